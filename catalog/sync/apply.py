"""Apply a page of messages in one transaction: SKUs, versions, findings, prices, listing moves, the inbox.

Everything is written in bulk (a few queries per page, none per SKU). The messages are marked
applied in the same transaction, conditionally on still being unapplied, so a page is applied once
or not at all, whichever worker dies where. A product the database refuses to store (whatever validation
did not foresee) does not stop the page: the page is applied again one product at a time, and that product
is marked invalid with the database's reason while the others apply.
"""
from dataclasses import dataclass, field

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from catalog.content import content_hash, content_merge
from catalog.listing import note_new_version, shown_name_and_category, sync_decision
from catalog.models import PriceChange, Sku, SkuFinding, SkuStatusChange, SkuVersion, SupplierMessage
from catalog.sync.bulk import bulk_set
from catalog.sync.inbox import messages_mark_applied, messages_mark_failed, messages_stop
from catalog.sync.plan import CONTENT_PARTS, missing_parts
from catalog.validation import PRICE_RULES, Finding, check_content, parse_prices
from procurement.kernel.statemachine import Move, by_source, transition_many

Kind = SupplierMessage.Kind
FIELD_MAX = SkuFinding._meta.get_field("field").max_length
SKU_FIELDS = ["name", "category", "latest_version", "price", "mall_price", "shelf_on", "pool_event_at",
              "delist_cause", "review_reason", "updated_at"]


@dataclass
class PageResult:
    applied: list = field(default_factory=list)  # supplier message ids, to delete at the supplier
    failed: int = 0
    skus_new: int = 0
    skus_changed: int = 0
    skus_delisted: int = 0


@dataclass
class Context:
    """What a page is checked against: the reference data, the connector's protocol, the links that opened."""

    rules: object
    connector: object
    reachable: dict = field(default_factory=dict)


def apply_page(supplier, plans, fetched, *, context, run, still_ours, also_applied=()):
    """Apply every plan whose data arrived; the others' messages wait for a later pass. Returns PageResult.

    `also_applied`: messages no plan holds that are applied with the page (a census end whose removals these
    plans are).
    """
    connector = context.connector
    gaps = [(plan, missing_parts(plan, fetched, connector.add_parts)) for plan in plans]
    ready = [plan for plan, missing in gaps if not missing]
    waiting = [(plan, missing) for plan, missing in gaps if missing]
    with transaction.atomic():
        still_ours()
        try:
            with transaction.atomic():  # a savepoint: the whole page at once, as it nearly always is
                result = _apply_ready(supplier, ready, fetched, context, run, also_applied)
        except (DataError, IntegrityError):
            result = _apply_one_by_one(supplier, ready, fetched, context, run, also_applied)
        for plan, missing in waiting:
            messages_mark_failed(plan.messages, _unanswered(plan, missing, connector))
        result.failed += sum(len(plan.messages) for plan, _ in waiting)
    return result


def _apply_ready(supplier, ready, fetched, context, run, also_applied=()):
    page = _Page(supplier, ready, fetched, context, run)
    page.apply()
    result = page.result
    applied = {m.pk: m for plan in ready for m in plan.messages} | {m.pk: m for m in also_applied}
    result.applied = messages_mark_applied(list(applied.values()), run,
                                           {pk: note for plan in ready for pk, note in plan.notes.items()})
    return result


def _apply_one_by_one(supplier, ready, fetched, context, run, also_applied):
    total = PageResult()
    for index, plan in enumerate(ready):
        extra = also_applied if index == len(ready) - 1 else ()
        try:
            with transaction.atomic():
                result = _apply_ready(supplier, [plan], fetched, context, run, extra)
        except (DataError, IntegrityError) as refused:
            _unstorable(supplier, plan, refused)
            total.failed += len(plan.messages)
            continue
        total.applied += result.applied
        for name in ("skus_new", "skus_changed", "skus_delisted"):
            setattr(total, name, getattr(total, name) + getattr(result, name))
    return total


def _unstorable(supplier, plan, refused):
    """The product's content cannot be stored: its messages stop for staff, the SKU (if any) is invalid, saying why."""
    reason = f"商品内容无法保存：{str(refused).splitlines()[0][:300]}"
    messages_stop(plan.messages, reason)
    sku = Sku.objects.filter(supplier=supplier, sku_code=plan.sku_code).first()
    if sku is None:
        return
    SkuFinding.objects.filter(sku=sku).delete()
    SkuFinding.objects.create(sku=sku, rule="unstorable", field="", message=reason)
    if Sku.Status.INVALID in Sku.TRANSITIONS.get(sku.status, ()):
        transition_many([Move(sku, Sku.Status.INVALID, reason, {"sku": sku, "message": plan.cause})],
                        allowed=Sku.TRANSITIONS, history=SkuStatusChange, actor=by_source("同步"))


def _unanswered(plan, missing, connector):
    reasons = [f"{part}（{connector.unanswered[(part, plan.sku_code)]}）" if (part, plan.sku_code) in
               connector.unanswered else part for part in missing]
    return "电商未返回该商品的：" + "、".join(reasons)


class _Page:
    def __init__(self, supplier, plans, fetched, context, run):
        self.supplier, self.plans, self.fetched, self.run = supplier, plans, fetched, run
        self.rules, self.finding_codes = context.rules, context.connector.finding_codes
        self.profile, self.reachable = context.connector.content_profile, context.reachable
        self.now = timezone.now()
        self.result = PageResult()
        self.versions, self.price_changes, self.moves, self.touched = [], [], [], {}
        self.findings = {}  # sku pk → new findings (only where they changed)

    def apply(self):
        skus = self._load_skus()
        old_findings = _findings_of(skus.values())
        for plan in self.plans:
            sku = skus.get(plan.sku_code)
            if sku is not None and (plan.pool_event or plan.parts):
                self._apply_plan(plan, sku, old_findings.get(sku.pk, []))
        self._save()

    def _load_skus(self):
        codes = [plan.sku_code for plan in self.plans]
        # Locked until the page commits: a reviewer's decision on one of these waits, then sees our result.
        rows = Sku.objects.select_for_update(of=("self",)).select_related("latest_version")
        skus = {s.sku_code: s for s in rows.filter(supplier=self.supplier, sku_code__in=codes)}
        fresh = [Sku(supplier=self.supplier, sku_code=plan.sku_code) for plan in self.plans
                 if plan.addition and plan.sku_code not in skus]
        for sku in Sku.objects.bulk_create(fresh):
            skus[sku.sku_code] = sku
        self.result.skus_new = len(fresh)
        return skus

    def _apply_plan(self, plan, sku, old_findings):
        self.touched[sku.pk] = sku
        if plan.pool_event:
            sku.pool_event_at = plan.pool_event.sent_at or self.now
        if plan.removal:
            self._decide(plan, sku, sync_decision(sku, [], removal=True))
            return
        before, moves = (sku.price, sku.mall_price, sku.shelf_on), len(self.moves)
        content_findings = [f for f in old_findings if f.rule not in PRICE_RULES]
        price_findings = [f for f in old_findings if f.rule in PRICE_RULES]
        new_version = None
        if plan.parts & set(CONTENT_PARTS):
            new_version, content_findings = self._content(plan, sku)
        if "prices" in plan.parts:
            price_findings = self._prices(plan, sku)
        if "shelf" in plan.parts:
            sku.shelf_on = self.fetched["shelf"][plan.sku_code].on is True
        findings = content_findings + price_findings
        if findings != old_findings:
            self.findings[sku.pk] = findings
        repriced = "prices" in plan.parts and (sku.price, sku.mall_price) != before[:2]
        if (new_version or repriced or ("prices" in plan.parts and plan.messages)) and sku.status != Sku.Status.NEW:
            self.result.skus_changed += 1
        self._decide(plan, sku, sync_decision(sku, findings, new_version=new_version is not None))
        unchanged = (sku.price, sku.mall_price, sku.shelf_on) == before and len(self.moves) == moves
        if not plan.messages and unchanged and sku.pk not in self.findings:
            del self.touched[sku.pk]  # a refresh that found nothing new leaves the row alone

    def _content(self, plan, sku):
        latest = sku.latest_version
        parts = {part: self.fetched[part][plan.sku_code] for part in CONTENT_PARTS if part in plan.parts}
        content = content_merge(latest.content if latest else {}, **parts)
        findings = check_content(content, self.rules, self.profile, self.reachable)
        if sku.status != Sku.Status.LISTED:  # on sale, the SKU shows its approved version's name and category
            sku.name, sku.category_id = shown_name_and_category(content, self.rules.categories)
        digest = content_hash(content)
        if latest is not None and latest.content_hash == digest:
            return None, findings
        version = SkuVersion(sku=sku, number=latest.number + 1 if latest else 1, content=content, content_hash=digest,
                             valid=not findings, message=plan.cause)
        self.versions.append(version)
        note_new_version(sku, version)
        return version, findings

    def _prices(self, plan, sku):
        price, mall_price, findings = parse_prices(self.fetched["prices"][plan.sku_code])
        if (price, mall_price) != (sku.price, sku.mall_price):
            self.price_changes.append(PriceChange(
                sku=sku, old_price=sku.price, new_price=price, old_mall_price=sku.mall_price,
                new_mall_price=mall_price,
                message=next((m for m in reversed(plan.messages) if m.kind in (Kind.PRICE, Kind.ADDED)), plan.cause),
            ))
            sku.price, sku.mall_price = price, mall_price
        return findings

    def _decide(self, plan, sku, decision):
        if decision is None:
            return
        to_state, reason, changes = decision
        for name, value in changes.items():
            setattr(sku, name, value)
        if sku.status == Sku.Status.LISTED and to_state in (Sku.Status.DELISTED, Sku.Status.REMOVED):
            self.result.skus_delisted += 1
        cause = plan.cause
        why = f"{reason}（消息 {cause.message_id}）" if cause else f"{reason}（定时刷新价格与上下架）"
        self.moves.append(Move(sku, to_state, why, {"sku": sku, "message": cause}))

    def _save(self):
        for version in SkuVersion.objects.bulk_create(self.versions):
            version.sku.latest_version = version
        PriceChange.objects.bulk_create(self.price_changes)
        SkuFinding.objects.filter(sku_id__in=list(self.findings)).delete()
        SkuFinding.objects.bulk_create([
            SkuFinding(sku_id=pk, rule=f.rule, code=self.finding_codes.get(f.rule, ""), field=f.field[:FIELD_MAX],
                       message=f.message)
            for pk, findings in self.findings.items() for f in findings
        ])
        transition_many(self.moves, allowed=Sku.TRANSITIONS, history=SkuStatusChange,
                        actor=by_source(f"同步批次 {self.run.pk}"))
        for sku in self.touched.values():
            sku.updated_at = self.now
        bulk_set(list(self.touched.values()), SKU_FIELDS)


def _findings_of(skus):
    found = {}
    rows = SkuFinding.objects.filter(sku__in=[s.pk for s in skus]).order_by("id")
    for row in rows.values("sku_id", "rule", "field", "message"):
        found.setdefault(row.pop("sku_id"), []).append(Finding(**row))
    return found
