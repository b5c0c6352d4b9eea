"""Daily reconciliation with each supplier (seed 001 §2.16): its list of one day's orders (numbers, delivery and
invoice states, amounts, totals) compared with ours; every mismatch kept for staff."""
from decimal import Decimal, InvalidOperation

from django.db import transaction

from orders.models import Order, ReconciliationMismatch, ReconciliationRun
from procurement.kernel.delivery import delivery_send, enqueue_when_committed
from procurement.suppliers.base import Capability
from procurement.suppliers.records import Delivery
from procurement.suppliers.registry import connector_for

RUN_TASK = "orders.jobs.run_reconciliation"
Kind = ReconciliationMismatch.Kind
DELIVERED = {Order.Status.COMPLETED, Order.Status.RETURNED}


def reconciliation_start(supplier, day):
    """Queue a comparison of `day`'s orders (today included: staff may check the day so far)."""
    with transaction.atomic():
        run = ReconciliationRun.objects.create(supplier=supplier, day=day)
        enqueue_when_committed(RUN_TASK, run.pk)
    return run


def reconciliation_run(run_id):
    return delivery_send(ReconciliationRun, run_id, _compare, related=("supplier",))


def _compare(run):
    connector = connector_for(run.supplier)
    if not connector.can(Capability.RECONCILIATION):
        return
    theirs = connector.reconciliation(run.day)
    ours = {o.number: o for o in Order.objects.filter(supplier=run.supplier, submitted_at__date=run.day)
            .select_related("invoice")}
    rows = {row.our_number: row for row in theirs.rows}
    mismatches = [m for number in sorted(set(ours) | set(rows)) for m in _differences(number, ours.get(number),
                                                                                     rows.get(number))]
    mismatches += _totals(ours.values(), theirs)
    with transaction.atomic():
        ReconciliationMismatch.objects.filter(run=run).delete()
        ReconciliationMismatch.objects.bulk_create([ReconciliationMismatch(run=run, **m) for m in mismatches])
        ReconciliationRun.objects.filter(pk=run.pk).update(our_count=len(ours), their_count=theirs.count
                                                           if theirs.count is not None else len(theirs.rows),
                                                           their_total=theirs.total_amount[:20])


def _differences(number, order, row):
    if row is None:
        return [dict(order_no=number, kind=Kind.MISSING_THERE, ours=f"{order.total}", theirs="—")]
    if order is None:
        return [dict(order_no=number or row.supplier_order, kind=Kind.MISSING_HERE, ours="—", theirs=row.amount)]
    found = []
    if _amount(row.amount) != order.total:
        found.append(dict(order_no=number, kind=Kind.AMOUNT, ours=f"{order.total}", theirs=row.amount))
    delivered_here = order.status in DELIVERED
    if (row.delivery is Delivery.DELIVERED) != delivered_here:
        found.append(dict(order_no=number, kind=Kind.DELIVERY, ours=order.get_status_display(),
                          theirs={Delivery.DELIVERED: "已妥投", Delivery.PENDING: "未妥投",
                                  Delivery.REFUSED: "拒收"}.get(row.delivery, "未知")))
    issued_here = bool(getattr(order, "invoice", None) and order.invoice.issued)
    if row.invoiced is not None and row.invoiced != issued_here:
        found.append(dict(order_no=number, kind=Kind.INVOICE, ours="已开" if issued_here else "未开",
                          theirs="已开" if row.invoiced else "未开"))
    return found


def _totals(ours, theirs):
    ours_total = sum((o.total for o in ours), Decimal("0"))
    their_total = _amount(theirs.total_amount)
    if theirs.total_amount and their_total != ours_total:
        return [dict(order_no="", kind=Kind.TOTAL, ours=f"{ours_total}", theirs=theirs.total_amount)]
    return []


def _amount(text):
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None
