"""Suppliers on the older mall standard (seed 001), over real HTTP against the mall sandbox: the first docking by a
walk of the pools, the new and modified lists, prices refreshed in full batches, SKUs that left every pool."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.listing import sku_approve
from catalog.models import LinkCheck, Sku, SupplierMessage, SupplierSync, SyncRun
from catalog.sync.passes import sync_pass
from procurement.kernel.statemachine import by_source
from procurement.models import OutboundAttempt
from procurement.suppliers.sandbox_catalog import broken_rule

pytestmark = pytest.mark.django_db
Status = Sku.Status
TEST = by_source("test")


def sku(code):
    return Sku.objects.select_related("latest_version").get(sku_code=code)


def statuses():
    return dict(Sku.objects.values_list("sku_code", "status"))


def census_due(supplier):
    """The next pass walks the pools again (as it does once CATALOG_POOL_WALK_HOURS have passed)."""
    state = SupplierSync.objects.get(supplier=supplier)
    state.feed_cursor = state.feed_cursor.replace('"census_done":"2', '"census_done":"1')  # a thousand years ago
    state.save(update_fields=["feed_cursor"])


def prices_due(supplier):
    SupplierSync.objects.filter(supplier=supplier).update(prices_refreshed_at=timezone.now() - timedelta(days=1))


def test_a_first_docking_walks_every_pool_and_brings_each_sku_through_validation(mall_platform):
    sandbox, _, supplier = mall_platform(260)

    run = sync_pass(supplier.pk)

    assert run.outcome == SyncRun.Outcome.DONE, run.error
    found = statuses()
    assert set(found) == set(sandbox.truth())
    invalid = {code for index, code in enumerate(sandbox.products) if broken_rule(index)}
    assert {code for code, status in found.items() if status == Status.INVALID} == invalid
    assert {code for code, status in found.items() if status == Status.PENDING_REVIEW} == set(found) - invalid
    assert run.calls["pools"] == 1 and run.calls["detail"] == 3 and run.calls["prices"] == 3
    row = sku("MS000002")
    product = sandbox.products["MS000002"]
    content = row.latest_version.content
    assert content["service"] == product.extra["service"] and content["main_image"].endswith("MS000002_1.jpg")
    assert content["attributes"] == {a["attributeId"]: a["value"] for a in product.attributes}
    assert (row.price, row.mall_price) == (Decimal(product.price), Decimal(product.mall_price))


def test_a_sku_in_two_pools_arrives_once(mall_platform):
    sandbox, _, supplier = mall_platform(80, broken=False)
    twice = [code for code, pools in sandbox.home_pools.items() if len(pools) > 1]
    assert twice

    sync_pass(supplier.pk)

    assert Sku.objects.filter(sku_code__in=twice).count() == len(twice)
    assert all(row.versions.count() == 1 for row in Sku.objects.filter(sku_code__in=twice))


def test_the_standards_own_required_fields_and_flags_are_checked(mall_platform):
    sandbox, _, supplier = mall_platform(5, broken=False)
    sandbox.products["MS000001"].extra["service"] = ""
    sandbox.products["MS000002"].extra["imported"] = "也许"

    sync_pass(supplier.pk)

    assert sku("MS000001").status == Status.INVALID
    assert "售后服务" in sku("MS000001").findings.get(rule="required").message
    assert sku("MS000002").findings.get(rule="flag_value").field == "imported"
    assert sku("MS000003").status == Status.PENDING_REVIEW


def test_a_dead_main_image_is_a_validation_failure_checked_once_through_the_client(mall_platform):
    sandbox, _, supplier = mall_platform(5, broken=False)
    sandbox.faults.update(dead_images="MS000004")

    sync_pass(supplier.pk)

    assert sku("MS000004").findings.filter(rule="main_image_unreachable").exists()
    assert sku("MS000004").status == Status.INVALID and sku("MS000005").status == Status.PENDING_REVIEW
    assert LinkCheck.objects.count() == 5
    assert OutboundAttempt.objects.filter(counterparty_kind="image").count() == 5


def test_new_and_modified_skus_drive_the_same_fetch_as_an_add_and_a_change(mall_platform):
    sandbox, _, supplier = mall_platform(30, broken=False, pooled=25)
    sync_pass(supplier.pk)
    assert Sku.objects.count() == 25

    sandbox.add(["MS000026", "MS000027"])
    sandbox.change_detail("MS000003", name="改进型号的新名称")
    run = sync_pass(supplier.pk)

    assert run.outcome == SyncRun.Outcome.DONE, run.error
    assert {sku("MS000026").status, sku("MS000027").status} == {Status.PENDING_REVIEW}
    assert sku("MS000003").latest_version.content["name"] == "改进型号的新名称"
    assert sku("MS000003").versions.count() == 2
    again = sync_pass(supplier.pk)  # the lists overlap the last window: nothing is applied twice
    assert again.received == 0 and sku("MS000003").versions.count() == 2


def test_a_listed_skus_price_above_the_market_price_delists_it_at_the_next_refresh(mall_platform):
    sandbox, _, supplier = mall_platform(10, broken=False)
    sync_pass(supplier.pk)
    sku_approve(sku("MS000005"), actor=TEST)
    product = sandbox.products["MS000005"]

    sandbox.set_price("MS000005", f"{Decimal(product.mall_price) + 1:.2f}")
    quiet = sync_pass(supplier.pk)  # within the refresh interval nothing asks for prices
    assert sku("MS000005").status == Status.LISTED and "prices" not in quiet.calls
    prices_due(supplier)
    sync_pass(supplier.pk)

    row = sku("MS000005")
    assert row.status == Status.DELISTED and row.delist_cause == Sku.DelistCause.PRICE
    assert "高于" in row.status_changes.get(to_state="delisted").reason


def test_a_sku_that_left_every_pool_is_removed_by_the_next_walk(mall_platform):
    sandbox, _, supplier = mall_platform(20, broken=False)
    sync_pass(supplier.pk)
    sku_approve(sku("MS000007"), actor=TEST)

    sandbox.remove(["MS000007", "MS000008"])
    sync_pass(supplier.pk)
    assert sku("MS000007").status == Status.LISTED  # no list says so: only a walk finds it
    census_due(supplier)
    run = sync_pass(supplier.pk)

    assert run.skus_delisted == 1
    assert {sku("MS000007").status, sku("MS000008").status} == {Status.REMOVED}
    assert Sku.objects.filter(status=Status.REMOVED).count() == 2


def test_a_walk_that_finds_nothing_removes_nothing_and_says_so(mall_platform):
    sandbox, _, supplier = mall_platform(10, broken=False)
    sync_pass(supplier.pk)
    sandbox.remove(list(sandbox.products))
    census_due(supplier)

    sync_pass(supplier.pk)

    assert not Sku.objects.filter(status=Status.REMOVED).exists()
    end = SupplierMessage.objects.filter(kind="census_end").latest("id")
    assert end.status == "failed" and "未移出" in end.last_error


def test_a_pool_that_is_not_one_of_our_leaf_categories_is_shown_as_a_docking_problem(mall_platform):
    sandbox, _, supplier = mall_platform(20, broken=False)
    sandbox.faults.update(alien_pool=1)

    sync_pass(supplier.pk)

    problems = SupplierSync.objects.get(supplier=supplier).pool_problems
    assert len(problems) == 1 and "Z9901" in problems[0]
    assert Sku.objects.count() == 20


def test_details_of_a_single_sku_platform_are_asked_one_by_one(mall_platform):
    sandbox, _, supplier = mall_platform(12, broken=False)
    sandbox.faults.update(single_sku_detail=1)

    run = sync_pass(supplier.pk)

    assert Sku.objects.filter(status=Status.PENDING_REVIEW).count() == 12
    assert run.calls["detail"] == 12


def test_token_expiry_in_the_middle_of_the_walk_is_refreshed_and_the_walk_goes_on(mall_platform):
    sandbox, _, supplier = mall_platform(120, broken=False)
    sandbox.faults.update(token_expire_after=7)

    run = sync_pass(supplier.pk)

    assert run.outcome == SyncRun.Outcome.DONE, run.error
    assert Sku.objects.count() == 120 and sandbox.tokens_issued > 2
