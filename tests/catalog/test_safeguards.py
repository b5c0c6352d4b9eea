"""What the sync and the review must not let through: removed or rejected content back on sale, a jammed pool,
one bad message stopping a supplier, failures that were never transient treated as final."""
import pytest
from django.db import OperationalError

from catalog.listing import sku_approve, sku_reject, sku_resubmit
from catalog.models import Sku, SupplierMessage, SupplierSync
from catalog.sync import passes
from catalog.sync.passes import sync_pass
from procurement.kernel.statemachine import IllegalTransition, by_source
from tests.catalog.test_review import act, pks, staff
from tests.support.jobs import QueueWatch

pytestmark = pytest.mark.django_db
Status = Sku.Status
TEST = by_source("test")


@pytest.fixture
def catalog(supplier_platform):
    sandbox, _, supplier = supplier_platform(30, broken=False)
    sync_pass(supplier.pk)
    return sandbox, supplier


def sku(code):
    return Sku.objects.select_related("latest_version").get(sku_code=code)


def queue(sandbox, message):
    with sandbox.state_lock:
        message_id = str(sandbox._next_id)
        sandbox._next_id += 1
        sandbox.pending[message_id] = {"id": message_id, "time": "2030-01-01 00:00:00", **message}
    return message_id


def test_a_sku_the_supplier_removed_cannot_be_put_back_on_sale_by_staff(catalog):
    sandbox, supplier = catalog
    sku_approve(sku("SB000001"), actor=TEST)
    sandbox.remove(["SB000001"])
    sync_pass(supplier.pk)
    assert sku("SB000001").status == Status.REMOVED

    with pytest.raises(IllegalTransition, match="不能人工送审"):
        sku_resubmit(sku("SB000001"), actor=TEST)


def test_a_rejected_version_is_not_approvable_when_the_sku_returns_to_review(catalog):
    sandbox, supplier = catalog
    sku_approve(sku("SB000002"), actor=TEST)
    sandbox.change_detail("SB000002", name="夸大其词的商品名")
    sync_pass(supplier.pk)
    sku_reject(sku("SB000002"), actor=TEST, reason="名称不实")
    sandbox.set_shelf("SB000002", False)
    sync_pass(supplier.pk)
    sandbox.set_shelf("SB000002", True)
    sync_pass(supplier.pk)
    assert sku("SB000002").status == Status.PENDING_REVIEW

    with pytest.raises(IllegalTransition, match="已被驳回"):
        sku_approve(sku("SB000002"), actor=TEST)


def test_a_listed_sku_keeps_its_approved_name_when_an_invalid_change_arrives(catalog):
    sandbox, supplier = catalog
    sku_approve(sku("SB000003"), actor=TEST)
    approved_name = sku("SB000003").name
    sandbox.change_detail("SB000003", name="")
    sync_pass(supplier.pk)

    row = sku("SB000003")
    assert row.status == Status.LISTED
    assert row.name == approved_name and row.category_id is not None


def test_types_the_standard_does_not_define_are_consumed_as_no_ops(catalog):
    sandbox, supplier = catalog
    message_id = queue(sandbox, {"type": 8, "sku": "SB000004"})

    run = sync_pass(supplier.pk)

    assert run.outcome == "done"
    assert message_id in sandbox.deleted
    assert "未知消息类型" in SupplierMessage.objects.get(message_id=message_id).note


def test_an_unusable_message_is_kept_for_staff_and_does_not_stop_the_others(catalog):
    sandbox, supplier = catalog
    comma = queue(sandbox, {"type": 2, "sku": "SB000005,SB000006"})
    stateless = queue(sandbox, {"type": 6, "sku": "SB000007"})
    sandbox.set_price("SB000008", "1.00")

    run = sync_pass(supplier.pk)

    assert run.outcome == "done"
    failed = dict(SupplierMessage.objects.filter(status="failed").values_list("message_id", "last_error"))
    assert "列表分隔符" in failed[comma] and "state" in failed[stateless]
    assert comma not in sandbox.deleted and stateless not in sandbox.deleted
    assert str(sku("SB000008").price) == "1.00"


def test_a_pool_jammed_by_failed_messages_stops_the_sync_with_the_reason(catalog, settings):
    sandbox, supplier = catalog
    settings.CATALOG_POOL_PAGE = 2
    queue(sandbox, {"type": 6, "sku": "SB000009"})
    queue(sandbox, {"type": 6, "sku": "SB000010"})
    sandbox.set_price("SB000011", "2.00")

    run = sync_pass(supplier.pk)

    assert run.outcome == "failed"
    assert "新消息取不到" in SupplierSync.objects.get(supplier=supplier).halted_reason


def test_a_busy_database_is_a_transient_failure_not_a_stop(catalog, monkeypatch):
    _, supplier = catalog

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(passes, "inbox_store", locked)
    run = sync_pass(supplier.pk)

    state = SupplierSync.objects.get(supplier=supplier)
    assert run.outcome == "failed"
    assert (state.failures, state.halted_reason) == (1, "")


def test_rejecting_all_across_pages_rejects_them_all(client, catalog):
    staff(client, "reviewer", "商品审核")

    asked = act(client, "reject", ["SB000012"], select_across="1", index="0", reason="批量驳回")
    assert "确认驳回（30 条）" in asked.content.decode()  # "select all" counts every row, and asks first
    assert Sku.objects.filter(status=Status.REJECTED).count() == 0
    act(client, "reject", ["SB000012"], select_across="1", index="0", reason="批量驳回", _confirmed="1")

    assert not Sku.objects.filter(status=Status.PENDING_REVIEW).exists()
    assert Sku.objects.filter(status=Status.REJECTED).count() == 30


def test_refreshing_stock_from_the_admin_is_queued_not_done_in_the_request(client, catalog):
    _, supplier = catalog
    staff(client, "reviewer", "商品审核")
    queued = QueueWatch()

    response = act(client, "refresh_stock", ["SB000013", "SB000014"])

    assert "已排队刷新 2 个商品的库存" in response.content.decode()
    assert queued.new("catalog.jobs.refresh_stock") == [(supplier.pk, sorted(int(pk) for pk in pks("SB000013", "SB000014")))]
