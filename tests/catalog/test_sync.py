"""A sync pass against the sandbox supplier over real sockets: every §6.3 message type, the inbox, the acks."""
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from catalog.listing import sku_approve
from catalog.models import PriceChange, Sku, SkuStatusChange, SupplierMessage, SyncRun
from catalog.sync.passes import sync_pass
from procurement.kernel.statemachine import by_source
from procurement.suppliers.sandbox_catalog import BREAKERS, broken_rule

pytestmark = pytest.mark.django_db
Status = Sku.Status


def sync(supplier):
    return sync_pass(supplier.pk, trigger="test")


def sku(supplier, code):
    return Sku.objects.select_related("latest_version", "approved_version").get(supplier=supplier, sku_code=code)


def listed(supplier, code):
    """Approve a SKU the way a reviewer would, and return it."""
    sku_approve(sku(supplier, code), actor=by_source("test"))
    return sku(supplier, code)


def test_added_products_arrive_validated_and_only_applied_messages_are_deleted(supplier_platform):
    sandbox, _, supplier = supplier_platform(300)

    run = sync(supplier)

    assert (run.outcome, run.received, run.applied, run.failed, run.skus_new) == ("done", 300, 300, 0, 300)
    statuses = dict(Sku.objects.values_list("sku_code", "status"))
    broken = {f"SB{i + 1:06d}": broken_rule(i) for i in range(300) if broken_rule(i)}
    assert {code for code, status in statuses.items() if status == Status.INVALID} == set(broken)
    assert set(statuses.values()) == {Status.PENDING_REVIEW, Status.INVALID}
    assert sorted(sandbox.deleted, key=int) == [str(n) for n in range(1, 301)]
    assert sandbox.pending == {}
    assert SupplierMessage.objects.filter(status="applied", acked_at__isnull=False).count() == 300


def test_each_broken_rule_is_recorded_with_its_reason_and_code(supplier_platform):
    sandbox, _, supplier = supplier_platform(300)
    sync(supplier)

    found = {}
    for index in range(300):
        rule = broken_rule(index)
        if rule:
            findings = {(f.rule, f.code) for f in sku(supplier, f"SB{index + 1:06d}").findings.all()}
            assert rule in {name for name, _code in findings}, (index, rule, findings)
            found[rule] = findings
    assert set(found) == set(BREAKERS)  # the slice of 300 exercised every rule
    assert ("product_link", "5014") in found["product_link"]
    assert ("image_link", "5014") in found["image_link"]
    assert ("image_format", "5015") in found["image_format"]
    assert ("document_format", "5015") in found["document_format"]
    assert ("category_unknown", "5007") in found["category_unknown"]
    assert ("category_not_leaf", "5007") in found["category_not_leaf"]
    assert ("price_above_mall", "") in found["price_above_mall"]
    invalid = sku(supplier, "SB000200")
    assert invalid.status == Status.INVALID
    assert "高于商城售价" in invalid.status_changes.get().reason


def test_a_valid_product_lands_with_all_six_parts_in_the_review_queue(supplier_platform):
    sandbox, _, supplier = supplier_platform(3, broken=False)
    sync(supplier)

    product, row = sandbox.products["SB000002"], sku(supplier, "SB000002")
    content = row.latest_version.content
    assert row.status == Status.PENDING_REVIEW and row.review_reason == "new"
    assert content["name"] == product.detail["name"] and content["category"] == product.detail["category"]
    assert content["attributes"] == {a["attributeId"]: a["value"] for a in product.attributes}
    assert content["promises"] == product.promises
    assert content["images"][0] == product.images[0]["url"]
    assert (row.price, row.mall_price) == (Decimal(product.price), Decimal(product.mall_price))
    assert row.shelf_on is True and row.category.code == product.detail["category"]
    history = row.status_changes.get()
    assert (history.from_state, history.to_state, history.message.kind) == ("new", "pending_review", "added")


def test_a_price_change_applies_at_once_and_a_price_above_mall_price_delists(supplier_platform):
    sandbox, _, supplier = supplier_platform(3, broken=False)
    sync(supplier)
    listed(supplier, "SB000001")
    mall_price = Decimal(sandbox.products["SB000001"].mall_price)

    sandbox.set_price("SB000001", f"{mall_price - 1:.2f}")
    sync(supplier)
    assert sku(supplier, "SB000001").price == mall_price - 1
    assert sku(supplier, "SB000001").status == Status.LISTED

    sandbox.set_price("SB000001", f"{mall_price + 5:.2f}")
    sync(supplier)
    row = sku(supplier, "SB000001")
    assert (row.status, row.delist_cause) == (Status.DELISTED, "price")
    change = row.status_changes.filter(to_state="delisted").get()
    assert "高于商城售价" in change.reason and change.message.kind == "price"
    assert PriceChange.objects.filter(sku=row).count() == 3

    sandbox.set_price("SB000001", f"{mall_price - 2:.2f}")
    sync(supplier)
    assert sku(supplier, "SB000001").status == Status.PENDING_REVIEW


def test_a_shelf_off_delists_and_a_shelf_on_sends_back_to_review(supplier_platform):
    sandbox, _, supplier = supplier_platform(2, broken=False)
    sync(supplier)
    listed(supplier, "SB000001")

    sandbox.set_shelf("SB000001", False)
    sync(supplier)
    row = sku(supplier, "SB000001")
    assert (row.status, row.delist_cause, row.shelf_on) == (Status.DELISTED, "shelf_off", False)

    sandbox.set_shelf("SB000001", True)
    sync(supplier)
    assert sku(supplier, "SB000001").status == Status.PENDING_REVIEW
    assert sku(supplier, "SB000001").review_reason == "returned"


def test_a_pool_removal_takes_the_sku_out_at_once(supplier_platform):
    sandbox, _, supplier = supplier_platform(2, broken=False)
    sync(supplier)
    listed(supplier, "SB000001")

    sandbox.remove(["SB000001"])
    run = sync(supplier)

    row = sku(supplier, "SB000001")
    assert row.status == Status.REMOVED and run.skus_delisted == 1
    assert row.status_changes.filter(to_state="removed").get().message.kind == "removed"


def test_a_valid_detail_change_waits_for_review_while_the_approved_version_stays_visible(supplier_platform):
    sandbox, _, supplier = supplier_platform(2, broken=False)
    sync(supplier)
    approved = listed(supplier, "SB000001").approved_version

    sandbox.change_detail("SB000001", name="新名称 商用台式机")
    sync(supplier)

    row = sku(supplier, "SB000001")
    assert row.status == Status.LISTED and row.approved_version == approved
    assert row.latest_version.content["name"] == "新名称 商用台式机" and row.has_unreviewed_change
    sku_approve(row, actor=by_source("test"))
    assert sku(supplier, "SB000001").approved_version.content["name"] == "新名称 商用台式机"


def test_an_invalid_detail_change_never_reaches_a_listed_sku(supplier_platform):
    sandbox, _, supplier = supplier_platform(2, broken=False)
    sync(supplier)
    approved = listed(supplier, "SB000001").approved_version

    sandbox.change_detail("SB000001", url="ftp://files.example/item")
    sync(supplier)

    row = sku(supplier, "SB000001")
    assert row.status == Status.LISTED and row.approved_version == approved
    assert not row.latest_version.valid and not row.has_unreviewed_change
    assert [(f.rule, f.code) for f in row.findings.all()] == [("product_link", "5014")]


def test_redelivered_and_shuffled_messages_apply_once(supplier_platform):
    sandbox, _, supplier = supplier_platform(20, broken=False)
    sandbox.faults.update(duplicate_messages=1, out_of_order=1, seed=3)
    sandbox.remove(["SB000005"])  # after its add: the removal must win however the two arrive

    run = sync(supplier)

    assert (run.applied, run.duplicates) == (21, 21)
    assert not Sku.objects.filter(sku_code="SB000005").exists()
    assert set(Sku.objects.values_list("sku_code", flat=True)) == set(sandbox.truth())
    assert SkuStatusChange.objects.count() == 19
    assert sandbox.pending == {}


def test_a_message_already_applied_is_only_deleted_again(supplier_platform):
    sandbox, _, supplier = supplier_platform(5, broken=False)
    pending = dict(sandbox.pending)
    sync(supplier)
    sandbox.pending.update(pending)  # the supplier lost our deletes and sends everything again

    run = sync(supplier)

    assert (run.received, run.applied, run.duplicates) == (0, 0, 5)
    assert sandbox.pending == {} and SkuStatusChange.objects.count() == 5


def test_skus_missing_from_a_batch_reply_are_retried_then_stopped_and_never_deleted(supplier_platform, settings):
    settings.CATALOG_MESSAGE_MAX_ATTEMPTS = 2
    sandbox, _, supplier = supplier_platform(5, broken=False)
    sandbox.faults.update(omit_skus="SB000003")

    first = sync(supplier)
    assert (first.applied, first.failed) == (4, 1)
    message = SupplierMessage.objects.get(sku_code="SB000003")
    assert message.status == "retrying" and "电商未返回该商品" in message.last_error
    assert sync(supplier).failed == 0  # not due yet: it backs off
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.CATALOG_SYNC_BACKOFF_SECONDS + 1)):
        assert sync(supplier).failed == 1

    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == 2
    assert list(sandbox.pending) == [message.message_id]
    assert "SB000003" not in set(Sku.objects.values_list("sku_code", flat=True))


def test_a_stopped_message_rerun_by_staff_is_applied(supplier_platform, settings):
    from catalog.sync.inbox import messages_retry

    settings.CATALOG_MESSAGE_MAX_ATTEMPTS = 1
    sandbox, _, supplier = supplier_platform(2, broken=False)
    sandbox.faults.update(omit_skus="SB000002")
    sync(supplier)
    message = SupplierMessage.objects.get(sku_code="SB000002", status="failed")

    sandbox.faults.update(omit_skus="")
    messages_retry(SupplierMessage.objects.filter(pk=message.pk))
    sync(supplier)

    assert sku(supplier, "SB000002").status == Status.PENDING_REVIEW
    assert sandbox.pending == {}


def test_stock_of_listed_skus_is_refreshed_in_batches_for_every_configured_area(supplier_platform, settings):
    from catalog.stock import stock_refresh

    settings.CATALOG_STOCK_AREAS = ["120000", "120101"]
    sandbox, _, supplier = supplier_platform(150, broken=False)
    sync(supplier)
    for index in range(1, 121):
        listed(supplier, f"SB{index:06d}")

    assert stock_refresh(supplier.pk) == 240

    levels = dict(sku(supplier, "SB000007").stock_levels.values_list("area_code", "quantity"))
    product = sandbox.products["SB000007"]
    assert levels == {"120000": product.stock["120000"], "120101": product.stock["120101"]}
    assert sandbox.calls["/api/product/stock"] == 4
    assert not sku(supplier, "SB000130").stock_levels.exists()


def test_batch_interfaces_are_called_with_full_batches(supplier_platform):
    sandbox, _, supplier = supplier_platform(250, broken=False)

    run = sync(supplier)

    assert run.calls["detail_standard"] == 3 and run.calls["prices"] == 3
    assert sandbox.calls["/api/product/delMessagePool"] == 3
    assert SyncRun.objects.get().outcome == "done"
