"""The inbox holds when the worker dies: `sync_supplier` in a child process, SIGKILLed at different points, resumed.

Afterwards the catalog must equal the sandbox's truth, nothing may have been applied twice (history
rows, versions, price changes) and only applied messages may have been deleted at the supplier.
"""
import os
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.content import content_merge
from catalog.listing import sku_approve
from catalog.models import PriceChange, Sku, SkuStatusChange, SkuVersion, SupplierMessage, SupplierSync
from procurement.kernel.statemachine import by_source
from procurement.suppliers.emall import wire as emall_wire
from procurement.suppliers.emall.sandbox import emall_item
from procurement.suppliers.sandbox_catalog import broken_rule
from tests.support import cluster

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
Status = Sku.Status


class Worker:
    """`manage.py sync_supplier CODE` in a child process, which the test may SIGKILL."""

    def __init__(self, supplier):
        self.supplier = supplier
        env = {**os.environ, "DATABASE_URL": cluster.test_database_url(), "CATALOG_POOL_PAGE": "40"}
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "sync_supplier", supplier.code, "--no-progress"],
            cwd=cluster.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )

    def kill_when(self, predicate, timeout=60):
        """SIGKILL once `predicate()` holds; True if the worker was still running then."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if predicate():
                self.process.kill()
                self.process.wait(timeout=10)
                expire_lease(self.supplier)
                return True
            time.sleep(0.002)
        return self._finish() and False

    def finish(self):
        assert self._finish() == 0, self.output

    def _finish(self):
        self.output = self.process.communicate(timeout=120)[0].decode("utf-8", "replace")
        return self.process.returncode


def expire_lease(supplier):
    """The dead worker's lease runs out (moved to the past rather than waited for)."""
    SupplierSync.objects.filter(supplier=supplier).exclude(lease_owner="").update(
        lease_until=timezone.now() - timedelta(seconds=1))


def calls(sandbox):
    return sum(sandbox.calls.values())


def applied_not_deleted():
    return SupplierMessage.objects.filter(status="applied", acked_at__isnull=True).exists()


def run_with_kills(sandbox, supplier, kill_points):
    killed = 0
    for make_predicate in kill_points:
        predicate = make_predicate()
        killed += Worker(supplier).kill_when(predicate)
    Worker(supplier).finish()
    return killed


def after_calls(sandbox, count):
    return lambda: (lambda start: lambda: calls(sandbox) >= start + count)(calls(sandbox))


def test_killed_workers_lose_nothing_and_apply_nothing_twice(supplier_platform):
    sandbox, _, supplier = supplier_platform(400)
    sandbox.faults.update(latency_ms=15)

    killed = run_with_kills(sandbox, supplier, [
        after_calls(sandbox, 9), lambda: applied_not_deleted, after_calls(sandbox, 30), lambda: applied_not_deleted,
    ])

    assert killed >= 3
    assert_catalog_matches(sandbox, supplier)
    assert_applied_once(sandbox)
    assert list(SkuStatusChange.objects.values_list("sku_id", flat=True).order_by("sku_id")) == sorted(
        Sku.objects.values_list("pk", flat=True))
    assert SkuVersion.objects.count() == Sku.objects.count() == 400

    changed = change_products(sandbox, supplier)
    killed = run_with_kills(sandbox, supplier, [after_calls(sandbox, 6), lambda: applied_not_deleted,
                                                 after_calls(sandbox, 12)])

    assert killed >= 2
    assert_catalog_matches(sandbox, supplier)
    assert_applied_once(sandbox)
    assert_changes_applied_once(supplier, changed)


def change_products(sandbox, supplier):
    """List some SKUs, then make the supplier change prices, shelves, details and the pool."""
    valid = [code for index, code in enumerate(sandbox.products) if broken_rule(index) is None]
    for code in valid[:60]:
        sku_approve(Sku.objects.get(supplier=supplier, sku_code=code), actor=by_source("test"))
    changed = {"price": valid[:20], "above_mall": valid[20:25], "shelf_off": valid[25:30],
               "detail": valid[30:45], "removed": valid[45:50]}
    for code in changed["price"]:
        sandbox.set_price(code, f"{Decimal(sandbox.products[code].price) - 1:.2f}")
    for code in changed["above_mall"]:
        sandbox.set_price(code, f"{Decimal(sandbox.products[code].mall_price) + 1:.2f}")
    for code in changed["shelf_off"]:
        sandbox.set_shelf(code, False)
    for code in changed["detail"]:
        sandbox.change_detail(code, name=f"{sandbox.products[code].detail['name']} 第二代")
    sandbox.remove(changed["removed"])
    return changed


def assert_catalog_matches(sandbox, supplier):
    truth = sandbox.truth()
    skus = {s.sku_code: s for s in Sku.objects.filter(supplier=supplier).select_related("latest_version")}
    assert {code for code, s in skus.items() if s.status != Status.REMOVED} == set(truth)
    for code, product in truth.items():
        sku = skus[code]
        records = {part: read(emall_item(product, interface)) for part, interface, read in (
            ("detail", "detail_standard", emall_wire.read_detail),
            ("attributes", "product_attributes_standard", emall_wire.read_attributes),
            ("promises", "product_promise", emall_wire.read_promises), ("images", "images", emall_wire.read_images))}
        assert sku.latest_version.content == content_merge({}, **records), code
        assert sku.shelf_on == (product.shelf == 1), code
        if product.price != "0.00":
            assert (sku.price, sku.mall_price) == (Decimal(product.price), Decimal(product.mall_price)), code
    invalid = {code for index, code in enumerate(sandbox.products) if broken_rule(index)} & set(truth)
    assert {code for code in truth if skus[code].status == Status.INVALID} == invalid


def assert_applied_once(sandbox):
    applied = set(SupplierMessage.objects.filter(status="applied").values_list("message_id", flat=True))
    assert sandbox.pending == {}
    assert set(sandbox.deleted) == applied
    assert len(sandbox.deleted) == len(applied)
    assert not SupplierMessage.objects.exclude(status="applied").exists()
    assert not SupplierMessage.objects.filter(attempts__gt=1).exists()


def assert_changes_applied_once(supplier, changed):
    def count(model, codes, **filters):
        return model.objects.filter(sku__supplier=supplier, sku__sku_code__in=codes, **filters).count()

    assert count(PriceChange, changed["price"] + changed["above_mall"]) == 2 * 25
    assert count(SkuStatusChange, changed["above_mall"], to_state="delisted") == 5
    assert count(SkuStatusChange, changed["shelf_off"], to_state="delisted") == 5
    assert count(SkuVersion, changed["detail"]) == 2 * 15
    assert count(SkuStatusChange, changed["removed"], to_state="removed") == 5
    statuses = dict(Sku.objects.values_list("sku_code", "status"))
    assert {statuses[code] for code in changed["above_mall"] + changed["shelf_off"]} == {Status.DELISTED}
    assert {statuses[code] for code in changed["price"] + changed["detail"]} == {Status.LISTED}
