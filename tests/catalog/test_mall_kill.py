"""A mall-standard first docking holds when the worker dies mid-walk: `sync_supplier` in a child process, SIGKILLed
at different points, resumed; afterwards the catalog equals the sandbox's truth and nothing was applied twice."""
import pytest

from catalog.content import content_merge
from catalog.models import Sku, SkuStatusChange, SkuVersion, SupplierMessage
from procurement.suppliers.mall import sandbox_rows
from procurement.suppliers.mall import wire as mall_wire
from procurement.suppliers.sandbox_catalog import broken_rule
from tests.catalog.test_kill import after_calls, run_with_kills

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
Status = Sku.Status


def test_a_walk_killed_at_several_points_resumes_without_loss_or_duplicates(mall_platform):
    sandbox, _, supplier = mall_platform(300)
    sandbox.faults.update(latency_ms=10)

    killed = run_with_kills(sandbox, supplier, [after_calls(sandbox, 6), after_calls(sandbox, 25),
                                                 after_calls(sandbox, 40)])

    assert killed >= 2
    truth = sandbox.truth()
    skus = {s.sku_code: s for s in Sku.objects.filter(supplier=supplier).select_related("latest_version")}
    assert set(skus) == set(truth)
    for code, product in truth.items():
        expected = content_merge({}, detail=mall_wire.read_detail(sandbox_rows.detail(product, sandbox.public_url)),
                                 images=mall_wire.read_images(sandbox_rows.images(product, sandbox.public_url)))
        assert skus[code].latest_version.content == expected, code
    invalid = {code for index, code in enumerate(sandbox.products) if broken_rule(index)}
    assert {code for code, s in skus.items() if s.status == Status.INVALID} == invalid
    assert SkuVersion.objects.count() == SkuStatusChange.objects.count() == len(truth)
    assert not SupplierMessage.objects.exclude(status="applied").exists()
    assert SupplierMessage.objects.filter(kind="census_end", status="applied").count() == 1
