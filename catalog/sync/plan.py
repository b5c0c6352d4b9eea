"""From a page of stored change events to what to fetch per SKU, and the fetching itself, in full batches.

The mall applies the supplier's current data, fetched when the event is applied, rather than a
payload frozen in the event: applying an event twice gives the same result, and events of one SKU
applied out of order converge. Only pool membership (added / removed) comes from the event itself, so
the newest pool event of a SKU wins and older ones are applied as no-ops. Which parts each kind of
event calls for, and in which order a new SKU's parts are asked for, is the connector's (its protocol's)
to say: the e-mall's §6.3 order, for one.
"""
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection

from catalog.models import Sku, SupplierMessage
from procurement.kernel.wire import SHANGHAI
from procurement.suppliers.base import Capability
from procurement.suppliers.records import ChangeKind, ProductPromises

CONTENT_PARTS = ("detail", "attributes", "promises", "images")
Kind = SupplierMessage.Kind
_EARLIEST = datetime.min.replace(tzinfo=SHANGHAI)


@dataclass
class SkuPlan:
    """What a page of events asks of one SKU."""

    sku_code: str
    messages: list = field(default_factory=list)
    parts: set = field(default_factory=set)
    pool_event: SupplierMessage | None = None
    notes: dict = field(default_factory=dict)  # message pk → why it changes nothing

    @property
    def removal(self):
        return self.pool_event is not None and self.pool_event.kind in (Kind.REMOVED, Kind.CENSUS_END)

    @property
    def addition(self):
        return self.pool_event is not None and not self.removal

    @property
    def cause(self):
        """The event a state change is recorded against (None for the mall's own refresh of prices)."""
        return self.pool_event or (self.messages[-1] if self.messages else None)


def message_order(message):
    return (message.sent_at or _EARLIEST, len(message.message_id), message.message_id)


def plan_page(messages, skus, connector):
    """SkuPlan per SKU code for `messages` (sorted oldest first); `skus` maps code → existing Sku."""
    plans = {}
    for message in sorted(messages, key=message_order):
        plans.setdefault(message.sku_code, SkuPlan(message.sku_code)).messages.append(message)
    for plan in plans.values():
        _settle(plan, skus.get(plan.sku_code), connector)
    return plans


def _settle(plan, sku, connector):
    _settle_census(plan, sku)
    pool_events = [m for m in plan.messages if m.kind in SupplierMessage.POOL_KINDS]
    if pool_events:
        newest = pool_events[-1]
        if sku is not None and sku.pool_event_at and newest.sent_at and newest.sent_at <= sku.pool_event_at:
            for message in pool_events:
                plan.notes[message.pk] = "消息早于已处理的入池/出池消息，无需变更"
        else:
            plan.pool_event = newest
            for message in pool_events[:-1]:
                plan.notes[message.pk] = "同一商品有更新的入池/出池消息"
    if plan.removal:
        return
    if plan.addition:
        plan.parts = set(connector.parts_for(ChangeKind.ADDED))
        return
    if sku is None or sku.status == Sku.Status.REMOVED:
        for message in plan.messages:
            plan.notes.setdefault(message.pk, "商品不在商品池中，无需变更")
        return
    for message in plan.messages:
        if message.kind == Kind.OTHER:
            plan.notes[message.pk] = f"{message.note or '该类消息无需处理'}，未做变更"
        elif message.kind not in SupplierMessage.POOL_KINDS:
            plan.parts |= set(connector.parts_for(ChangeKind(message.kind)))


def _settle_census(plan, sku):
    """A census found the SKU in a pool: news if the mall lacks it (or had it removed), else nothing to do."""
    for message in plan.messages:
        if message.kind != Kind.PRESENT:
            continue
        if sku is None or sku.status == Sku.Status.REMOVED:
            message.kind = Kind.ADDED  # for this plan only (not saved): the SKU is in the pool after all
        else:
            plan.notes[message.pk] = "全量核对：商品仍在商品池中，无需变更"


def census_removals(end, present_codes, skus):
    """Plans removing `skus` (code → Sku, of the supplier) that the census ended by `end` did not find.

    Only SKUs the mall had before the census began: one added since may simply have been walked past.
    """
    began = end.sent_at
    plans = []
    for code, sku in skus.items():
        if code in present_codes or sku.status == Sku.Status.REMOVED:
            continue
        if began and ((sku.pool_event_at and sku.pool_event_at >= began) or sku.created_at >= began):
            continue
        plans.append(SkuPlan(code, pool_event=end))
    return plans


def fetch_parts(connector, plans, workers=1):
    """{part: {sku: record}} for every part some plan needs: full batches, each SKU's parts in its protocol's order.

    Batch i of every part forms pipeline i, asked part by part in the connector's order; pipelines run
    `workers` at a time. Additions come first in every part's list, so an added SKU sits in the same batch,
    and so the same pipeline, for all of its parts.
    """
    ordered = sorted(plans, key=lambda plan: not plan.addition)
    fetched, pipelines = {}, {}
    for part in connector.add_parts:
        codes = [plan.sku_code for plan in ordered if part in plan.parts]
        if part == "promises" and codes and not connector.can(Capability.PROMISES):
            fetched[part] = {code: ProductPromises(sku=code) for code in codes}
            codes = []
        for index, start in enumerate(range(0, len(codes), connector.batch_size)):
            pipelines.setdefault(index, []).append((part, codes[start:start + connector.batch_size]))
    for answers in _run(lambda pipeline: _fetch_pipeline(connector, pipeline), pipelines.values(), workers):
        for part, answered in answers:
            fetched.setdefault(part, {}).update(answered)
    return fetched


def _fetch_pipeline(connector, pipeline):
    return [(part, connector.fetch(part, codes)) for part, codes in pipeline]


def _run(work, items, workers):
    """work(item) for each item, in this thread or on `workers` threads (each closing its own connection).

    Each thread runs in a copy of the caller's context, so what the caller's calls are for (the sync run,
    procurement.kernel.http.purpose) is recorded on the calls its threads make too.
    """
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        return [work(item) for item in items]

    def in_thread(context, item):
        try:
            return context.run(work, item)
        finally:
            connection.close()

    contexts = [copy_context() for _ in items]  # copied here, in the caller's thread; one per item (a context
    # cannot be entered by two threads at once)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="catalog-fetch") as pool:
        return list(pool.map(in_thread, contexts, items))


def missing_parts(plan, fetched, parts):
    """The parts `plan` needs that did not arrive (in `parts` order)."""
    return [part for part in parts if part in plan.parts and plan.sku_code not in fetched.get(part, {})]
