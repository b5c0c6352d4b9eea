"""A page's batches fetched on several threads: the same result, and each SKU's calls still in §6.3 order."""
import threading
from collections import defaultdict

import pytest

from catalog.models import Sku
from catalog.sync.passes import sync_pass
from procurement.suppliers.emall.wire import EMALL_LIST_SEPARATOR

# Committed data: the fetching threads use their own database connections.
pytestmark = pytest.mark.django_db(transaction=True)

class _Calls(defaultdict):
    pass


ADD_ORDER = ["detail_standard", "product_attributes_standard", "product_promise", "shelf_states", "images", "prices"]


def record_calls(sandbox):
    """{sku: [interface, …]} in the order the sandbox was asked; `asked.connections` counts the connections used."""
    asked, lock = _Calls(list), threading.Lock()
    asked.connections = set()
    original = sandbox.handle

    def logged(request):
        params = request.params()
        if request.path.startswith("/api/product/") and params.get("sku"):
            with lock:
                asked.connections.add(threading.get_ident())  # one server thread per client connection
                for code in params["sku"].split(EMALL_LIST_SEPARATOR):
                    asked[code].append(request.path.rsplit("/", 1)[1])
        return original(request)

    sandbox.handle = logged
    return asked


def test_parallel_pipelines_apply_everything_and_keep_each_skus_call_order(supplier_platform, settings):
    settings.CATALOG_FETCH_WORKERS = 4
    sandbox, _, supplier = supplier_platform(450)
    asked = record_calls(sandbox)

    run = sync_pass(supplier.pk, trigger="test")

    assert (run.outcome, run.applied, run.skus_new) == ("done", 450, 450)
    assert run.calls["detail_standard"] == run.calls["prices"] == 5
    assert len(asked) == 450
    assert all(calls == ADD_ORDER for calls in asked.values())
    assert len(asked.connections) > 1
    assert Sku.objects.filter(supplier=supplier).count() == 450


def test_details_come_before_attributes_when_a_page_mixes_changes_and_additions(supplier_platform, settings):
    settings.CATALOG_FETCH_WORKERS = 4
    sandbox, _, supplier = supplier_platform(250)
    sync_pass(supplier.pk, trigger="test")
    codes = sorted(sandbox.products)
    for code in codes[:120]:
        sandbox.change_detail(code, name=f"{sandbox.products[code].detail['name']} 新款")
    for code in codes[100:230]:
        sandbox.set_price(code, "1.00")
    asked = record_calls(sandbox)

    run = sync_pass(supplier.pk, trigger="test")

    assert run.outcome == "done"
    for code in codes[:120]:
        detail_calls = [call for call in asked[code] if call != "prices"]
        assert detail_calls == ["detail_standard", "product_attributes_standard"], code
    assert {code for code, calls in asked.items() if "prices" in calls} == set(codes[100:230])
