"""What an independently written supplier platform sent that the sync once mishandled: a message id reused for
other content, a batch reply that names a SKU twice with different values, the seed's own spellings."""
from decimal import Decimal

import pytest

from catalog.models import Sku, SupplierMessage, SyncRun
from catalog.sync.passes import sync_pass
from procurement.suppliers.sandbox_catalog import generate

pytestmark = pytest.mark.django_db
Status = Sku.Status


@pytest.fixture
def catalog(supplier_platform):
    sandbox, _, supplier = supplier_platform(30, broken=False)
    sync_pass(supplier.pk)
    return sandbox, supplier


def queue_as(sandbox, message_id, message):
    with sandbox.state_lock:
        sandbox.pending[message_id] = {"id": message_id, **message}


def test_a_message_id_reused_for_other_content_is_applied_as_the_new_message_it_is(catalog):
    sandbox, supplier = catalog
    sandbox.set_price("SB000001", "10.00")
    [price_id] = list(sandbox.pending)
    sync_pass(supplier.pk)
    assert price_id in sandbox.deleted
    extra = generate(1, seed=99, broken=False, prefix="NEW")["NEW000001"]
    sandbox.products[extra.sku] = extra
    sandbox.pool.add(extra.sku)
    queue_as(sandbox, price_id, {"type": 6, "sku": extra.sku, "state": 1, "time": "2030-01-02 00:00:00"})

    run = sync_pass(supplier.pk)

    new = Sku.objects.get(sku_code=extra.sku)
    assert new.status == Status.PENDING_REVIEW
    rows = SupplierMessage.objects.filter(message_id=price_id).order_by("id")
    assert [(m.kind, m.status) for m in rows] == [("price", "applied"), ("added", "applied")]
    assert "内容不同" in rows[1].note and run.reused == 1
    assert sandbox.pending == {}


def test_a_redelivered_message_with_the_same_content_stays_a_no_op(catalog):
    sandbox, supplier = catalog
    sandbox.set_price("SB000002", "11.00")
    [message] = list(sandbox.pending.values())
    sync_pass(supplier.pk)
    queue_as(sandbox, message["id"], dict(message))

    run = sync_pass(supplier.pk)

    assert (run.received, run.duplicates, run.reused) == (0, 1, 0)
    assert SupplierMessage.objects.filter(message_id=message["id"]).count() == 1
    assert sandbox.pending == {}


def test_a_sku_answered_twice_with_different_values_is_unanswered_never_the_last_one(catalog, settings):
    sandbox, supplier = catalog
    settings.CATALOG_MESSAGE_MAX_ATTEMPTS = 2
    settings.CATALOG_SYNC_BACKOFF_SECONDS = 0
    before = Sku.objects.get(sku_code="SB000003").price
    sandbox.faults.update(conflicting_skus="SB000003")
    sandbox.set_price("SB000003", "12.00")
    sandbox.set_price("SB000004", "13.00")

    sync_pass(supplier.pk)
    sync_pass(supplier.pk)

    assert Sku.objects.get(sku_code="SB000003").price == before
    assert Sku.objects.get(sku_code="SB000004").price == Decimal("13.00")
    stuck = SupplierMessage.objects.get(sku_code="SB000003", kind="price")
    assert stuck.status == "failed" and "两条不同的数据" in stuck.last_error
    assert stuck.message_id not in sandbox.deleted


def test_parameters_under_the_seeds_spelling_attribute_id_are_read(supplier_platform):
    sandbox, _, supplier = supplier_platform(5, broken=False)
    sandbox.faults.update(attribute_key="attributeID")

    sync_pass(supplier.pk)

    product = sandbox.products["SB000001"]
    row = Sku.objects.select_related("latest_version").get(sku_code="SB000001")
    assert row.status == Status.PENDING_REVIEW
    assert row.latest_version.content["attributes"] == {a["attributeId"]: a["value"] for a in product.attributes}


def test_a_parameter_without_any_id_is_a_finding_that_names_it(supplier_platform):
    sandbox, _, supplier = supplier_platform(5, broken=False)
    sandbox.faults.update(attribute_key="attributeCode")  # neither spelling: no id the mall can read

    sync_pass(supplier.pk)

    row = Sku.objects.get(sku_code="SB000001")
    assert row.status == Status.INVALID
    findings = list(row.findings.filter(rule="attribute_unreadable").values_list("message", flat=True))
    assert findings and "第 1 个参数没有参数项 ID" in findings[0] and "attributeCode" in findings[0]
    assert "" not in row.latest_version.content["attributes"]


def test_success_sent_as_text_is_understood_and_token_expiry_still_seen(supplier_platform):
    sandbox, _, supplier = supplier_platform(5, broken=False)
    sandbox.faults.update(success_as_text=1, token_expire_after=3)

    run = sync_pass(supplier.pk)

    assert run.outcome == SyncRun.Outcome.DONE, run.error
    assert Sku.objects.filter(status=Status.PENDING_REVIEW).count() == 5
    assert sandbox.tokens_issued > 1 and sandbox.pending == {}
