"""The orders' panel of the admin home: figures from the database, each linking to the list that shows them,
the same queries whatever the number of orders."""
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import Order, OrderCommand, ReconciliationMismatch, ReconciliationRun
from procurement.kernel.delivery import Delivery
from tests.orders.factories import OrderFactory
from tests.procurement.factories import SupplierFactory

pytestmark = pytest.mark.django_db
Status = Order.Status


@pytest.fixture
def clerk(client, reference):
    user = User.objects.create_user("clerk", password="pw-Clerk-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="订单管理"))
    client.force_login(user)
    return user


def some_orders(count):
    """Per round: an open order, one refused with the supplier's words, an overdue credit order, a failed
    command and a reconciliation mismatch."""
    supplier = SupplierFactory()
    for _ in range(count):
        OrderFactory(supplier=supplier, status=Status.CONFIRMED)
        OrderFactory(supplier=supplier, status=Status.REFUSED, stop_reason="5001 价格已变化")
        OrderFactory(supplier=supplier, status=Status.COMPLETED, payment=Order.Payment.CREDIT,
                     payment_status=Order.PaymentStatus.DUE, due_date=timezone.localdate() - timedelta(days=1))
        submitted = OrderFactory(supplier=supplier, status=Status.NEW)
        OrderCommand.objects.create(order=submitted, action="submit", status=Delivery.Status.FAILED)
    run = ReconciliationRun.objects.create(supplier=supplier, day=timezone.localdate(), status=Delivery.Status.DONE)
    ReconciliationMismatch.objects.bulk_create(
        [ReconciliationMismatch(run=run, order_no=f"PO{n}", kind="amount", ours="1", theirs="2") for n in range(count)])


def orders_panel(client):
    return next(panel for panel in client.get("/admin/").context["panels"] if panel.key == "orders")


def shown(client, panel, label):
    figure = next(f for f in panel.figures if f.label == label)
    return figure.value, client.get(figure.url).context["cl"].result_count


def test_each_figure_is_the_databases_and_its_link_lists_exactly_those(client, clerk):
    some_orders(3)
    OrderFactory(status=Status.SUBMITTED, stop_reason="")  # open, nothing to look into

    panel = orders_panel(client)

    assert shown(client, panel, "今日新订单") == (13, 13)
    assert shown(client, panel, "进行中") == (7, 7)
    assert shown(client, panel, "待工作人员处理") == (3, 3)
    assert shown(client, panel, "指令发送失败") == (3, 3)
    assert shown(client, panel, "账期逾期") == (3, 3)
    assert shown(client, panel, "近 7 天对账差异") == (3, 3)
    by_state, by_supplier = panel.tables
    assert [(cell.split(">")[1].split("<")[0], n) for cell, n in by_state.rows] == [
        ("待提交电商", 3), ("已预下单", 1), ("已确认", 3), ("已完成", 3), ("电商拒单", 3)]
    link = by_state.rows[-1][0].split('"')[1].replace("&amp;", "&")
    assert client.get(link).context["cl"].result_count == 3
    supplier_row = next(row for row in by_supplier.rows if row[1] == 12)
    assert supplier_row[2:] == (6, 3, 3)  # in progress, refused, completed


def test_the_panel_costs_the_same_queries_for_two_or_twenty_rounds(client, clerk):
    some_orders(2)
    client.get("/admin/")
    with CaptureQueriesContext(connection) as few:
        orders_panel(client)
    some_orders(20)
    with CaptureQueriesContext(connection) as many:
        orders_panel(client)

    assert len(many) == len(few)


def test_staff_without_the_orders_group_do_not_see_it(client, reference):
    user = User.objects.create_user("reviewer", password="pw-Review-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="商品审核"))
    client.force_login(user)

    assert all(panel.key != "orders" for panel in client.get("/admin/").context["panels"])
