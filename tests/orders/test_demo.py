"""The demo's orders: placed once the demo suppliers' SKUs have arrived, by a schedule that then removes itself."""
import io

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from catalog.extras import extras_refresh
from catalog.models import Sku, SkuStatusChange
from catalog.sync.passes import sync_pass
from orders.demo import DEMO_ORDERS, SCHEDULE_NAME, demo_orders_place
from orders.models import Order
from procurement.demo import DEMO_MALL_SUPPLIER_CODE, DEMO_SUPPLIER_CODE
from procurement.demo.docking import demo_docking_run
from procurement.docking.models import TestEndpoint
from procurement.models import Supplier
from procurement.suppliers.emall.sandbox import build_demo_sandbox as emall_demo
from procurement.suppliers.emall.sandbox_testenv import build_demo_sandbox as emall_testenv
from procurement.suppliers.mall.sandbox import build_demo_sandbox as mall_demo
from procurement.suppliers.mall.sandbox_testenv import build_demo_sandbox as mall_testenv


@pytest.fixture
def demo(db, sandbox_server):
    call_command("load_demo", admin_password="Demo-Admin-2026", stdout=io.StringIO())
    for code, build in ((DEMO_SUPPLIER_CODE, emall_demo), (DEMO_MALL_SUPPLIER_CODE, mall_demo)):
        running = sandbox_server(build("http://127.0.0.1:8000"))
        Supplier.objects.filter(code=code).update(base_url=running.url)
    for code, build in ((DEMO_SUPPLIER_CODE, emall_testenv), (DEMO_MALL_SUPPLIER_CODE, mall_testenv)):
        sandbox = build("http://127.0.0.1:8000")
        running = sandbox_server(sandbox)
        sandbox.public_url = running.url
        TestEndpoint.objects.filter(supplier__code=code).update(base_url=running.url)


def test_nothing_is_ordered_before_the_suppliers_skus_arrive_and_the_schedule_waits(demo):
    assert demo_orders_place() == []

    assert Schedule.objects.filter(name=SCHEDULE_NAME, func="orders.demo.demo_orders_place").exists()
    assert not Order.objects.exists()


def test_once_synced_every_demo_order_is_placed_once_and_the_schedule_is_gone(demo):
    assert demo_docking_run() == sorted((DEMO_MALL_SUPPLIER_CODE, DEMO_SUPPLIER_CODE))  # the trust mark, earned
    for code in (DEMO_SUPPLIER_CODE, DEMO_MALL_SUPPLIER_CODE):
        supplier = Supplier.objects.get(code=code)
        sync_pass(supplier.pk)
        if supplier.protocol == "mall":
            extras_refresh(supplier.pk)  # its area tree: stock is asked by its own county ids

    assert demo_orders_place() == sorted(DEMO_ORDERS)
    call_command("load_demo", admin_password="Demo-Admin-2026", stdout=io.StringIO())  # `make run` again

    orders = {o.storefront_no: o for o in Order.objects.select_related("supplier")}
    assert {no: (o.supplier.code, o.payment == Order.Payment.CREDIT) for no, o in orders.items()} == {
        no: (supplier, credit) for no, (supplier, _, credit) in DEMO_ORDERS.items()}
    assert all(o.commands.filter(action="submit").exists() for o in orders.values())
    assert not Schedule.objects.filter(name=SCHEDULE_NAME).exists()
    approvals = SkuStatusChange.objects.filter(to_state=Sku.Status.LISTED, source="演示数据")
    assert approvals.filter(sku__supplier__code=DEMO_MALL_SUPPLIER_CODE).count() == 3
    assert approvals.count() == Sku.objects.filter(status=Sku.Status.LISTED).count() == 6
