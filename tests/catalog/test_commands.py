"""`manage.py sync_supplier`: one pass with a summary, by code or for all; clear errors otherwise."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def sync_command(*args):
    out = StringIO()
    call_command("sync_supplier", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_one_pass_prints_what_it_applied_changed_and_called(supplier_platform):
    sandbox, _, supplier = supplier_platform(60)

    output = sync_command(supplier.code)

    assert f"{supplier.code}：完成" in output
    assert "收到 60，已处理 60，重复跳过 0，失败 0" in output
    assert "新增 60，变更 0，下架 0" in output
    assert "detail_standard 1" in output and "共 10 次" in output
    sandbox.set_price("SB000001", "1.00")
    assert "变更 1" in sync_command(supplier.code)


def test_all_runs_every_active_supplier_and_a_failure_is_an_error(supplier_platform, settings):
    settings.CATALOG_CALL_ATTEMPTS = 1
    _, _, supplier = supplier_platform(5)
    from tests.procurement.factories import SupplierFactory

    dead = SupplierFactory(base_url="http://127.0.0.1:9")
    out = StringIO()
    with pytest.raises(CommandError, match=dead.code):
        call_command("sync_supplier", "--all", "--no-progress", stdout=out, stderr=StringIO())
    assert f"{supplier.code}：完成" in out.getvalue() and "CallConnectionError" in out.getvalue()


def test_unknown_codes_and_missing_arguments_are_refused():
    with pytest.raises(CommandError, match="NOPE"):
        sync_command("NOPE")
    with pytest.raises(CommandError, match="--all"):
        sync_command()
