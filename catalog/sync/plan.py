"""From a page of stored messages to what to fetch per SKU (§6.3), and the fetching itself, in full batches.

The mall applies the supplier's current data, fetched when the message is applied, rather than a
payload frozen in the message: applying a message twice gives the same result, and messages of one
SKU applied out of order converge. Only pool membership (type 6) comes from the message itself, so
the newest type-6 message of a SKU wins and older ones are applied as no-ops.
"""
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection

from catalog.models import Sku, SupplierMessage
from procurement.kernel.wire import SHANGHAI
from procurement.suppliers.base import Capability
from procurement.suppliers.emall.wire import EMALL_STATE_OFF

# The parts of a product, in the order §6.3 gives for an add (type 6).
PARTS = ("detail", "attributes", "promises", "shelf", "images", "prices")
CONTENT_PARTS = ("detail", "attributes", "promises", "images")
FETCHERS = {"detail": "details", "attributes": "attributes", "promises": "promises", "shelf": "shelf_states",
            "images": "images", "prices": "prices"}
Type = SupplierMessage.Type
NEEDS = {Type.PRICE: {"prices"}, Type.SHELF: {"shelf"}, Type.DETAIL: {"detail", "attributes"}}
_EARLIEST = datetime.min.replace(tzinfo=SHANGHAI)


@dataclass
class SkuPlan:
    """What a page of messages asks of one SKU."""

    sku_code: str
    messages: list = field(default_factory=list)
    parts: set = field(default_factory=set)
    pool_event: SupplierMessage | None = None
    notes: dict = field(default_factory=dict)  # message pk → why it changes nothing

    @property
    def removal(self):
        return self.pool_event is not None and self.pool_event.state == EMALL_STATE_OFF

    @property
    def addition(self):
        return self.pool_event is not None and not self.removal

    @property
    def cause(self):
        """The message a state change is recorded against."""
        return self.pool_event or self.messages[-1]


def message_order(message):
    return (message.sent_at or _EARLIEST, len(message.message_id), message.message_id)


def plan_page(messages, skus):
    """SkuPlan per SKU code for `messages` (sorted oldest first); `skus` maps code → existing Sku."""
    plans = {}
    for message in sorted(messages, key=message_order):
        plans.setdefault(message.sku_code, SkuPlan(message.sku_code)).messages.append(message)
    for plan in plans.values():
        _settle(plan, skus.get(plan.sku_code))
    return plans


def _settle(plan, sku):
    pool_events = [m for m in plan.messages if m.type == Type.POOL]
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
        plan.parts = set(PARTS)
        return
    if sku is None or sku.status == Sku.Status.REMOVED:
        for message in plan.messages:
            plan.notes.setdefault(message.pk, "商品不在商品池中，无需变更")
        return
    for message in plan.messages:
        if message.type in NEEDS:
            plan.parts |= NEEDS[message.type]
        elif message.type != Type.POOL:
            plan.notes[message.pk] = f"未知消息类型 {message.type}，未做变更"


def fetch_parts(connector, plans, workers=1):
    """{part: {sku: wire item}} for every part some plan needs: full batches, each SKU's parts in §6.3 order.

    Batch i of every part forms pipeline i, asked part by part in §6.3 order; pipelines run `workers`
    at a time. Additions come first in every part's list, so an added SKU sits in the same batch, and
    so the same pipeline, for all six of its parts.
    """
    ordered = sorted(plans, key=lambda plan: not plan.addition)
    fetched, pipelines = {}, {}
    for part in PARTS:
        codes = [plan.sku_code for plan in ordered if part in plan.parts]
        if part == "promises" and codes and not connector.can(Capability.PROMISES):
            fetched[part] = {code: {"sku": code, "promises": []} for code in codes}
            codes = []
        for index, start in enumerate(range(0, len(codes), connector.batch_size)):
            pipelines.setdefault(index, []).append((part, codes[start:start + connector.batch_size]))
    for answers in _run(lambda pipeline: _fetch_pipeline(connector, pipeline), pipelines.values(), workers):
        for part, answered in answers:
            fetched.setdefault(part, {}).update(answered)
    return fetched


def _fetch_pipeline(connector, pipeline):
    return [(part, getattr(connector, FETCHERS[part])(codes)) for part, codes in pipeline]


def _run(work, items, workers):
    """work(item) for each item, in this thread or on `workers` threads (each closing its own connection)."""
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        return [work(item) for item in items]

    def in_thread(item):
        try:
            return work(item)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="catalog-fetch") as pool:
        return list(pool.map(in_thread, items))


def missing_parts(plan, fetched):
    return [part for part in PARTS if part in plan.parts and plan.sku_code not in fetched.get(part, {})]
