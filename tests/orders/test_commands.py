"""The operators' order commands: follow orders now, reconcile a day now; both print what staff would look up."""
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from orders.models import Order
from tests.orders.test_lifecycle import buy, run_commands

pytestmark = pytest.mark.django_db


def test_follow_order_asks_the_supplier_and_prints_state_and_latest_tracking(shop):
    sandbox, order = buy(shop, "emall", ("SB000001",))
    run_commands()
    sandbox.ship(order.number)
    out = io.StringIO()

    call_command("follow_order", order.number, stdout=out)

    order = Order.objects.get(pk=order.pk)
    assert order.status == Order.Status.SHIPPED
    [shipment] = order.shipments.all()
    printed = out.getvalue()
    assert f"{order.number}  {order.supplier.code}  已发货  电商订单号 {order.supplier_order_no}" in printed
    assert f"包裹 {shipment.carrier} {shipment.waybill}：" in printed


def test_follow_order_names_unknown_numbers_and_wants_numbers_or_due(shop):
    with pytest.raises(CommandError, match="没有这些订单：NOPE-1"):
        call_command("follow_order", "NOPE-1")
    with pytest.raises(CommandError, match="二选一"):
        call_command("follow_order")


def test_reconcile_orders_prints_every_mismatch_of_each_supplier(shop):
    sandbox, order = buy(shop, "mall", ("SB000001",))
    run_commands()
    sandbox.faults.update(reconciliation_disagree=1)
    _, _, emall_supplier, mall_supplier, _ = shop
    out = io.StringIO()

    call_command("reconcile_orders", mall_supplier.code, emall_supplier.code, "--day",
                 f"{timezone.localdate():%Y-%m-%d}", stdout=out)

    printed = out.getvalue()
    assert f"{mall_supplier.code} {timezone.localdate():%Y-%m-%d}：我方 1 单" in printed
    amount = f"  {order.number}  金额不一致  我方 {order.total}  电商 {order.total + 10}"
    assert amount in printed and "我方没有该订单" in printed and "差异 3 处" in printed
    assert f"{emall_supplier.code} {timezone.localdate():%Y-%m-%d}：我方 0 单，电商 0 单，电商合计 0.00，差异 0 处" in printed
