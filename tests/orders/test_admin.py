"""The orders admin as staff use it: the list (masked, constant queries), placing an order on a purchaser's
behalf, the actions with their permissions, the credit-terms payment form and the private invoice file."""
import pytest
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.models import Order, OrderCommand, OrderInvoice
from tests.orders.factories import OrderFactory, PurchaserFactory

pytestmark = pytest.mark.django_db
Status = Order.Status
CHANGELIST = reverse("admin:orders_order_changelist")
PLACE = reverse("admin:orders_order_place")


@pytest.fixture(autouse=True)
def areas(reference):
    """Orders are delivered to our areas."""


@pytest.fixture
def viewer(client):
    """A staff member who may look at orders but not act on them."""
    user = User.objects.create_user("viewer", password="pw-Viewer-1", is_staff=True)
    group = Group.objects.create(name="只读订单")
    group.permissions.add(*Group.objects.get(name="订单管理").permissions.filter(codename__startswith="view_"))
    user.groups.add(group)
    client.force_login(user)
    return user


def action(client, name, orders, **extra):
    return client.post(CHANGELIST, {"action": name, "_selected_action": [o.pk for o in orders], **extra},
                       follow=True)


def test_the_list_masks_phones_and_costs_the_same_queries_for_many_orders(staff, client):
    OrderFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(CHANGELIST).status_code == 200
    OrderFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        page = client.get(CHANGELIST)

    assert len(many) == len(few)
    assert page.content.decode().count("PO20261201") >= 22
    detail = client.get(reverse("admin:orders_order_change", args=[Order.objects.first().pk])).content.decode()
    assert "13812345678" not in detail and "138****5678" in detail
    assert "南京路 100 号 3 楼" not in detail


def test_staff_place_an_order_on_a_purchasers_behalf_at_the_listed_price(shop, staff, client):
    emall, mall, emall_supplier, mall_supplier, address = shop
    sku = emall_supplier.skus.get(sku_code="SB000001")

    page = client.post(PLACE, {"purchaser": address.purchaser.pk, "address": address.pk,
                               "lines": f"{emall_supplier.code} SB000001 2\n{mall_supplier.code} MS000002 1"},
                       follow=True)

    orders = list(Order.objects.order_by("supplier__code"))
    assert len(orders) == 2, page.content.decode()
    assert "已下单" in page.content.decode()
    line = Order.objects.get(supplier=emall_supplier).lines.get()
    assert (line.sku_code, line.quantity, line.unit_price) == ("SB000001", 2, sku.price)
    assert orders[0].created_by == staff
    assert all(order.commands.filter(action=OrderCommand.Action.SUBMIT).exists() for order in orders)


def test_a_line_that_names_no_sku_is_refused_with_its_row(shop, staff, client):
    *_, address = shop

    page = client.post(PLACE, {"purchaser": address.purchaser.pk, "address": address.pk,
                               "lines": "NOSUCH SB000001 1"})

    assert "第 1 行「NOSUCH SB000001 1」" in page.content.decode()
    assert not Order.objects.exists()


def test_an_address_of_another_purchaser_is_refused(shop, staff, client):
    emall, mall, emall_supplier, mall_supplier, address = shop
    other = PurchaserFactory()

    page = client.post(PLACE, {"purchaser": other.pk, "address": address.pk,
                               "lines": f"{emall_supplier.code} SB000001 1"})

    assert "不是该采购人的地址" in page.content.decode()
    assert not Order.objects.exists()


def test_staff_without_the_order_group_cannot_place_or_act(viewer, client):
    order = OrderFactory()

    assert client.get(PLACE).status_code == 403
    page = client.get(CHANGELIST).content.decode()
    assert 'value="cancel"' not in page and 'value="confirm"' not in page
    action(client, "cancel", [order], reason="采购人不要了")
    assert Order.objects.get(pk=order.pk).status == Status.NEW


def test_cancel_asks_for_a_reason_then_cancels_an_order_the_supplier_never_had(staff, client):
    order = OrderFactory()

    form = action(client, "cancel", [order])
    assert "取消订单" in form.content.decode() and Order.objects.get(pk=order.pk).status == Status.NEW

    action(client, "cancel", [order], reason="采购人不要了")
    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert order.status_changes.get().reason == "采购人不要了"


def test_confirm_of_an_order_not_yet_submitted_is_refused_with_its_state(staff, client):
    order = OrderFactory()

    page = action(client, "confirm", [order]).content.decode()

    assert "只有已预下单的订单可以确认" in page
    assert not order.commands.exists()


def test_the_payment_form_takes_one_order_and_refuses_one_not_due_for_payment(staff, client):
    first, second = OrderFactory.create_batch(2, payment=Order.Payment.CREDIT)

    assert "请只选择一个订单登记转账" in action(client, "record_payment", [first, second]).content.decode()
    page = action(client, "record_payment", [first], serial_no="TX-1", amount="100.00", paid_at="2026-12-01 10:00:00",
                  bank_name="中国银行", bank_account="6222000011112222").content.decode()
    assert not first.payments.exists()
    assert "不能登记付款（仅待付款的账期订单）" in page


def test_the_invoice_file_is_only_for_staff_who_may_see_orders(staff, client):
    order = OrderFactory()
    invoice = OrderInvoice.objects.create(order=order, issued=True, number="00012345")
    invoice.file.save("invoice.pdf", ContentFile(b"%PDF-1.4 invoice"))
    url = reverse("admin:orders_order_invoice", args=[order.pk])

    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 invoice"

    outsider = User.objects.create_user("outsider", password="pw-Outsider-1", is_staff=True)
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_the_order_page_says_which_order_interfaces_its_supplier_offers(staff, client):
    order = OrderFactory(status=Status.COMPLETED, supplier__interfaces_off=["returns"])

    page = client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()

    assert "取消订单、查询订单、物流、退换货（未提供）、对账" in page
    assert "该电商未提供退换货接口" in page and reverse("admin:orders_order_return", args=[order.pk]) not in page


def test_cancel_at_a_supplier_without_the_cancel_interface_is_refused_before_anything_is_sent(staff, client):
    order = OrderFactory(status=Status.SUBMITTED, supplier_order_no="S-1", supplier__interfaces_off=["order_cancel"])

    page = action(client, "cancel", [order], reason="采购人不要了").content.decode()

    assert "未提供取消订单接口" in page
    assert Order.objects.get(pk=order.pk).status == Status.SUBMITTED and not order.commands.exists()
