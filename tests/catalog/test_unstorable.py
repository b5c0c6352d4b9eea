"""One product the database cannot store never stops a supplier: text no column can hold is cleaned by a documented
rule, lengths are checked against the columns, and whatever the database still refuses fails that product alone."""
import pytest
from django.db import DataError

from catalog.models import Sku, SupplierMessage, SyncRun
from catalog.sync import apply
from catalog.sync.passes import sync_pass

pytestmark = pytest.mark.django_db
Status = Sku.Status


def test_nul_characters_are_removed_and_lone_surrogates_replaced(supplier_platform):
    sandbox, _, supplier = supplier_platform(5, broken=False)
    sandbox.products["SB000002"].detail["name"] = "激光\x00打印机"
    sandbox.products["SB000003"].detail["model"] = "M\ud800X"

    run = sync_pass(supplier.pk)

    assert run.outcome == SyncRun.Outcome.DONE, run.error
    assert Sku.objects.get(sku_code="SB000002").latest_version.content["name"] == "激光打印机"
    assert Sku.objects.get(sku_code="SB000003").latest_version.content["model"] == "M\ufffdX"
    assert Sku.objects.filter(status=Status.PENDING_REVIEW).count() == 5


def test_an_attribute_id_longer_than_its_column_is_a_finding_not_an_error(supplier_platform):
    sandbox, _, supplier = supplier_platform(5, broken=False)
    sandbox.products["SB000004"].attributes.append({"attributeId": "9" * 80, "value": "超长"})

    run = sync_pass(supplier.pk)

    assert run.outcome == SyncRun.Outcome.DONE, run.error
    row = Sku.objects.get(sku_code="SB000004")
    assert row.status == Status.INVALID
    assert "超过 50 个字符" in row.findings.get(rule="too_long").message
    assert Sku.objects.filter(status=Status.PENDING_REVIEW).count() == 4


def test_a_product_the_database_still_refuses_fails_alone_with_the_reason(supplier_platform, monkeypatch):
    sandbox, _, supplier = supplier_platform(6, broken=False)
    sync_pass(supplier.pk)
    original = apply._Page._content

    def refusing(page, plan, sku):
        if plan.sku_code == "SB000005":
            raise DataError("value too long for type character varying(64)")
        return original(page, plan, sku)

    monkeypatch.setattr(apply._Page, "_content", refusing)
    sandbox.change_detail("SB000005", name="新名称五")
    sandbox.change_detail("SB000006", name="新名称六")

    run = sync_pass(supplier.pk)

    assert run.outcome == SyncRun.Outcome.DONE, run.error
    assert Sku.objects.get(sku_code="SB000006").latest_version.content["name"] == "新名称六"
    refused = Sku.objects.get(sku_code="SB000005")
    assert refused.status == Status.INVALID and "无法保存" in refused.findings.get(rule="unstorable").message
    message = SupplierMessage.objects.get(sku_code="SB000005", kind="detail")
    assert message.status == "failed" and "value too long" in message.last_error
