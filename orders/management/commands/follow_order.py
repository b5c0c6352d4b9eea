"""python manage.py follow_order NUMBER [NUMBER …] | --due: ask the suppliers about orders now, as the schedule does."""
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch
from django.utils import timezone

from orders.models import Order, Shipment
from orders.services.tracking import order_poll, orders_due_for_poll
from procurement.kernel.http import OutboundError


class Command(BaseCommand):
    help = "立即向电商查询订单状态与物流（与定时任务相同），并显示结果：状态、电商订单号、拆单、包裹与最新物流"

    def add_arguments(self, parser):
        parser.add_argument("numbers", nargs="*", help="我方订单号")
        parser.add_argument("--due", action="store_true", help="全部到了查询时间的订单")

    def handle(self, *args, numbers, due, **options):
        if due == bool(numbers):
            raise CommandError("请给出订单号，或使用 --due（二选一）")
        ids = orders_due_for_poll(0) if due else self._ids(numbers)
        failed = []
        for order_id in ids:
            try:
                order_poll(order_id)
            except OutboundError as error:
                failed.append(order_id)
                self.stderr.write(f"订单 {order_id}：查询失败：{error}")
        for order in self._shown(ids):
            self._print(order)
        if failed:
            raise CommandError(f"{len(failed)} 个订单查询失败（见上方原因与 外部调用记录）")

    def _ids(self, numbers):
        found = dict(Order.objects.filter(number__in=numbers).values_list("number", "pk"))
        unknown = [number for number in numbers if number not in found]
        if unknown:
            raise CommandError(f"没有这些订单：{', '.join(unknown)}")
        return [found[number] for number in numbers]

    def _shown(self, ids):
        shipments = Shipment.objects.prefetch_related("steps")
        return (Order.objects.filter(pk__in=ids).select_related("supplier").order_by("number")
                .prefetch_related(Prefetch("shipments", queryset=shipments), "sub_orders"))

    def _print(self, order):
        self.stdout.write(f"{order.number}  {order.supplier.code}  {order.get_status_display()}  "
                          f"电商订单号 {order.supplier_order_no or '—'}")
        for child in order.sub_orders.all():
            self.stdout.write(f"  拆单 {child.number}  {child.get_state_display()}  {child.amount}")
        for shipment in order.shipments.all():
            steps = sorted(shipment.steps.all(), key=lambda step: step.at or timezone.now())
            latest = f"{timezone.localtime(steps[-1].at):%Y-%m-%d %H:%M} {steps[-1].what}" if steps else "暂无物流信息"
            self.stdout.write(f"  包裹 {shipment.carrier} {shipment.waybill}：{latest}")
