"""Orders coming in through the storefront's API: one order per supplier, prices frozen, a retried request answered
with the first orders, and every refusal naming the line and the reason (nothing made then)."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from catalog.models import Sku
from orders.models import Order, OrderCommand
from tests.support.jobs import QueueWatch

pytestmark = pytest.mark.django_db


def line(supplier, code, quantity=1, price=None):
    sku = Sku.objects.get(supplier=supplier, sku_code=code)
    return {"supplier": supplier.code, "sku": code, "quantity": quantity, "price": str(price or sku.price)}


def place(client, address, lines, **extra):
    body = {"storefrontNo": extra.pop("storefrontNo", "SF-0001"), "purchaser": address.purchaser.external_id,
            "addressId": address.pk, "lines": lines, **extra}
    return client.post("/api/staff/orders", body, content_type="application/json")


def test_a_cart_across_suppliers_becomes_one_order_each_linked_with_frozen_prices(client, staff, shop,
                                                                                  django_capture_on_commit_callbacks):
    _, _, emall_supplier, mall_supplier, address = shop
    watch = QueueWatch()

    with django_capture_on_commit_callbacks(execute=True):  # the Redis broker is told once the orders commit
        reply = place(client, address, [line(emall_supplier, "SB000001", 2), line(mall_supplier, "MS000002"),
                                        line(emall_supplier, "SB000003")])

    assert reply.status_code == 201, reply.content.decode()
    orders = {o.supplier.code: o for o in Order.objects.select_related("supplier")}
    assert set(orders) == {emall_supplier.code, mall_supplier.code}
    assert len({o.cart_no for o in orders.values()}) == 1 and orders[emall_supplier.code].lines.count() == 2
    first = orders[emall_supplier.code].lines.get(sku_code="SB000001")
    assert (first.quantity, first.amount) == (2, first.unit_price * 2)
    Sku.objects.filter(sku_code="SB000001").update(price=Decimal("1.00"))
    first.refresh_from_db()
    assert first.unit_price != Decimal("1.00")  # what the purchaser saw stays
    assert len(watch.new("orders.jobs.send_command")) == 2
    assert {c.action for c in OrderCommand.objects.all()} == {"submit"}
    assert reply.json()[0]["receiverPhone"] == "138****5678"


def test_the_same_storefront_order_sent_again_returns_the_first_orders_and_makes_none(client, staff, shop):
    _, _, emall_supplier, _, address = shop
    first = place(client, address, [line(emall_supplier, "SB000001")])

    again = place(client, address, [line(emall_supplier, "SB000001")])

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()[0]["number"] == first.json()[0]["number"] and Order.objects.count() == 1


@pytest.mark.parametrize(("change", "words"), [
    ("unlisted", "商品不可售"),
    ("price", "价格已变化"),
    ("quantity", "库存不足"),
])
def test_a_refusal_names_the_line_and_why_and_makes_nothing(client, staff, shop, change, words):
    emall, _, emall_supplier, _, address = shop
    good = line(emall_supplier, "SB000001")
    bad = {"unlisted": lambda: line(emall_supplier, "SB000011"),
           "price": lambda: line(emall_supplier, "SB000002", price="1.00"),
           "quantity": lambda: line(emall_supplier, "SB000002", emall.products["SB000002"].stock["120101"] + 1),
           }[change]()

    reply = place(client, address, [good, bad])

    assert reply.status_code == 400
    assert reply.json()["problems"][0].startswith(f"lines[1]（{bad['sku']}）：") and words in reply.json()["detail"]
    assert not Order.objects.exists()


def test_a_credit_terms_purchase_must_fit_the_units_remaining_credit(client, staff, shop):
    _, _, emall_supplier, _, address = shop
    unit = address.purchaser.unit
    price = Sku.objects.get(sku_code="SB000001").price
    unit.credit_limit = price * 3
    unit.save()

    assert place(client, address, [line(emall_supplier, "SB000001", 2)], payment="credit",
                 storefrontNo="SF-A").status_code == 201
    refused = place(client, address, [line(emall_supplier, "SB000001", 2)], payment="credit", storefrontNo="SF-B")

    assert refused.status_code == 400 and "账期额度不足" in refused.json()["detail"]
    assert place(client, address, [line(emall_supplier, "SB000001", 1)], payment="credit",
                 storefrontNo="SF-C").status_code == 201


def test_placing_orders_needs_the_order_groups_rights(client, shop):
    _, _, emall_supplier, _, address = shop
    client.force_login(User.objects.create_user("nobody", password="pw-Nobody-12", is_staff=True))

    assert place(client, address, [line(emall_supplier, "SB000001")]).status_code == 403
