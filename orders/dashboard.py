"""The orders' panel of the admin home page: what came in today, what waits on staff, and per supplier."""
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html

from orders.models import Order, OrderCommand, ReconciliationMismatch
from orders.services.payments import overdue
from orders.services.staff import needs_attention
from procurement.kernel.charts import Series, daily_bars
from procurement.kernel.dashboard import Figure, Panel, Table, changelist, counts_by_day, last_days
from procurement.kernel.delivery import Delivery

Status = Order.Status
MISMATCH_DAYS = 7


def panels(request):
    if not request.user.has_perm("orders.view_order"):
        return []
    return [orders_panel()]


def orders_panel():
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    counts = Order.objects.aggregate(
        today=Count("pk", filter=Q(created_at__gte=today)), open=Count("pk", filter=Q(status__in=Order.OPEN)))
    since = timezone.localdate() - timedelta(days=MISMATCH_DAYS - 1)
    figures = [
        Figure("今日新订单", counts["today"], changelist("orders.Order", created_at__gte=today.isoformat())),
        Figure("进行中", counts["open"], changelist("orders.Order", status__in=",".join(Order.OPEN))),
        Figure("待工作人员处理", needs_attention().count(), changelist("orders.Order", attention="yes"), alert=True),
        Figure("指令发送失败", OrderCommand.objects.filter(status=Delivery.Status.FAILED).count(),
               changelist("orders.OrderCommand", status__exact=Delivery.Status.FAILED), alert=True),
        Figure("账期逾期", overdue().count(), changelist("orders.Order", overdue="yes"), alert=True),
        Figure(f"近 {MISMATCH_DAYS} 天对账差异", ReconciliationMismatch.objects.filter(run__day__gte=since).count(),
               changelist("orders.ReconciliationMismatch", run__day__gte=since.isoformat()), alert=True),
    ]
    return Panel("orders", "订单", figures, [_by_state(), _by_supplier(today)], [_orders_chart()], order=30,
                 url=changelist("orders.Order"))


def _by_state():
    counted = dict(Order.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return Table(("状态", "订单数"), [
        (format_html('<a href="{}">{}</a>', changelist("orders.Order", status__exact=status), label), counted[status])
        for status, label in Status.choices if counted.get(status)])


def _by_supplier(today):
    rows = (Order.objects.values("supplier__code", "supplier__name").order_by("supplier__code").annotate(
        today=Count("pk", filter=Q(created_at__gte=today)), open=Count("pk", filter=Q(status__in=Order.OPEN)),
        refused=Count("pk", filter=Q(status=Status.REFUSED)),
        completed=Count("pk", filter=Q(status=Status.COMPLETED))))
    return Table(("电商", "今日", "进行中", "电商拒单", "已完成"),
                 [(f"{row['supplier__code']} {row['supplier__name']}", row["today"], row["open"], row["refused"],
                   row["completed"]) for row in rows])


def _orders_chart():
    split = counts_by_day(Order.objects.all(), "created_at", split_by="status")
    refused = {}
    for status in (Status.REFUSED, Status.CANCELLED):
        for day, count in split.pop(status, {}).items():
            refused[day] = refused.get(day, 0) + count
    placed = {}
    for counts in split.values():
        for day, count in counts.items():
            placed[day] = placed.get(day, 0) + count
    return daily_bars(last_days(), [Series("下单", "ok", placed), Series("拒单或取消", "bad", refused)],
                      "近 30 天订单")
