"""Until a supplier holds the trust mark (正式) its SKUs do not reach the review queue and cannot be listed, and no
order line of it is accepted or sent."""
import pytest

from catalog.listing import awaiting_review, sku_approve
from catalog.models import Sku
from catalog.sync.passes import sync_pass
from orders.models import OrderCommand
from orders.services.commands import command_send
from orders.services.intake import Cart, CartLine, OrderInvalid, orders_place
from procurement.docking.services import endpoint_set, trust_grant, trust_withdraw
from procurement.kernel.statemachine import IllegalTransition, by_source
from procurement.models import Supplier
from procurement.suppliers.emall.sandbox import build_sandbox
from tests.docking.conftest import TEST_SKUS
from tests.docking.helpers import run_to_end
from tests.orders.conftest import shop  # noqa: F401  (the fixture)

DockingStatus = Supplier.DockingStatus


@pytest.mark.parametrize("status", [DockingStatus.DOCKING, DockingStatus.TEST_PASSED, DockingStatus.SUSPENDED])
def test_an_untrusted_suppliers_skus_wait_outside_the_review_queue(supplier_platform, status):
    _sandbox, _running, supplier = supplier_platform(5, broken=False)
    Supplier.objects.filter(pk=supplier.pk).update(docking_status=status)
    sync_pass(supplier.pk)
    waiting = Sku.objects.filter(supplier=supplier, status=Sku.Status.PENDING_REVIEW)
    assert waiting.count() == 5
    assert not Sku.objects.filter(awaiting_review()).exists()

    with pytest.raises(IllegalTransition, match="尚未取得正式环境信任标识"):
        sku_approve(waiting.first(), actor=by_source("test"))

    Supplier.objects.filter(pk=supplier.pk).update(docking_status=DockingStatus.PRODUCTION)
    assert Sku.objects.filter(awaiting_review()).count() == 5
    sku_approve(waiting.first(), actor=by_source("test"))


def test_a_line_of_an_untrusted_supplier_is_refused_with_the_line_and_the_reason(shop):  # noqa: F811
    _emall, _mall, emall_supplier, _mall_supplier, address = shop
    Supplier.objects.filter(pk=emall_supplier.pk).update(docking_status=DockingStatus.SUSPENDED)
    sku = Sku.objects.select_related("supplier").get(supplier=emall_supplier, sku_code="SB000001")
    cart = Cart(purchaser=address.purchaser, address=address, lines=[CartLine(sku, 1, sku.price)])

    with pytest.raises(OrderInvalid) as refused:
        orders_place(cart, actor=by_source("test"))

    assert refused.value.problems == [f"lines[0]（SB000001）：电商 {emall_supplier.code} 尚未取得正式环境信任标识"
                                      "（暂停），暂不接受其订单"]


def test_no_order_is_sent_to_a_supplier_that_lost_the_mark(shop, django_capture_on_commit_callbacks):  # noqa: F811
    emall, _mall, emall_supplier, _mall_supplier, address = shop
    sku = Sku.objects.select_related("supplier").get(supplier=emall_supplier, sku_code="SB000002")
    cart = Cart(purchaser=address.purchaser, address=address, lines=[CartLine(sku, 1, sku.price)])
    with django_capture_on_commit_callbacks(execute=False):
        orders, _ = orders_place(cart, actor=by_source("test"))
    Supplier.objects.filter(pk=emall_supplier.pk).update(docking_status=DockingStatus.SUSPENDED)
    command = OrderCommand.objects.get(order=orders[0], action="submit")

    command_send(command.pk)

    command.refresh_from_db()
    assert command.status == "failed" and "尚未取得正式环境信任标识" in command.last_error
    assert emall.orders == {}
    orders[0].refresh_from_db()
    assert orders[0].status == "new"


def test_withdrawing_the_mark_takes_the_listed_skus_off_sale_and_granting_it_again_sends_them_to_review(
        supplier_platform, sandbox_server):
    _sandbox, _running, supplier = supplier_platform(5, broken=False)
    sync_pass(supplier.pk)
    listed = list(Sku.objects.filter(supplier=supplier).order_by("sku_code")[:3])
    for sku in listed:
        sku_approve(sku, actor=by_source("test"))
    test_system = sandbox_server(build_sandbox(TEST_SKUS, broken=False))
    endpoint_set(supplier, test_system.url, {"username": "mall", "password": "sandbox-password"})

    trust_withdraw(supplier, actor=by_source("test"), reason="正式环境价格与测试环境不一致")

    for sku in Sku.objects.filter(pk__in=[s.pk for s in listed]):
        assert (sku.status, sku.delist_cause) == (Sku.Status.DELISTED, Sku.DelistCause.SUSPENDED)
        assert sku.status_changes.order_by("-id").first().reason == "电商暂停对接：正式环境价格与测试环境不一致"
    assert not Sku.objects.filter(supplier=supplier, status=Sku.Status.LISTED).exists()

    trust_grant(run_to_end(supplier), actor=by_source("test"))

    back = Sku.objects.filter(pk__in=[s.pk for s in listed])
    assert {(s.status, s.delist_cause) for s in back} == {(Sku.Status.PENDING_REVIEW, "")}
    assert set(Sku.objects.filter(awaiting_review(), pk__in=[s.pk for s in listed])) == set(back)
