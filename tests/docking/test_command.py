"""check_supplier: the same cases from the shell, a verdict per case, the exit code says the outcome."""
import pytest
from django.core.management import CommandError, call_command

from procurement.docking.models import DockingRun, TestEndpoint
from procurement.models import Supplier
from tests.procurement.factories import SupplierFactory


def test_a_passing_supplier_prints_every_verdict_and_exits_zero(test_environment, capsys):
    _sandbox, supplier = test_environment("emall")
    call_command("check_supplier", supplier.code)
    out = capsys.readouterr().out
    assert "order_confirm" in out and "通过" in out
    run = DockingRun.objects.get(supplier=supplier)
    assert run.status == "passed" and run.started_via == "command"
    supplier.refresh_from_db()
    assert supplier.docking_status == Supplier.DockingStatus.TEST_PASSED


def test_a_failing_case_exits_one_with_its_reason(test_environment, capsys):
    _sandbox, supplier = test_environment("mall", batch_limit="200")
    with pytest.raises(CommandError) as failed:
        call_command("check_supplier", supplier.code)
    assert failed.value.returncode == 1
    out = capsys.readouterr().out
    assert "batch_over" in out and "101" in out


def test_one_case_only(test_environment, capsys):
    _sandbox, supplier = test_environment("emall")
    call_command("check_supplier", supplier.code, "--case", "prices")
    run = DockingRun.objects.get(supplier=supplier)
    assert list(run.cases.values_list("name", flat=True)) == ["prices"]
    supplier.refresh_from_db()
    assert supplier.docking_status == Supplier.DockingStatus.DOCKING  # a partial run earns nothing


def test_an_endpoint_given_on_the_command_line_is_tested_and_not_stored(reference, sandbox_server, capsys):
    from procurement.suppliers.mall.sandbox import build_sandbox

    sandbox = build_sandbox(120, broken=False)
    running = sandbox_server(sandbox)
    sandbox.public_url = running.url
    supplier = SupplierFactory(protocol="emall", docking_status=Supplier.DockingStatus.DOCKING)
    call_command("check_supplier", supplier.code, "--protocol", "mall", "--base-url", running.url,
                 "--username", "mall", "--password", "sandbox-password")
    run = DockingRun.objects.get(supplier=supplier)
    assert run.status == "passed" and run.protocol == "mall" and run.base_url == running.url
    assert not TestEndpoint.objects.filter(supplier=supplier).exists()
    supplier.refresh_from_db()
    assert supplier.docking_status == Supplier.DockingStatus.DOCKING
    assert "sandbox-password" not in str(run.summary)


def test_unknown_supplier_or_no_test_environment_exits_two(db):
    with pytest.raises(CommandError) as unknown:
        call_command("check_supplier", "NO-SUCH")
    assert unknown.value.returncode == 2
    supplier = SupplierFactory()
    with pytest.raises(CommandError) as missing:
        call_command("check_supplier", supplier.code)
    assert missing.value.returncode == 2 and "测试环境" in str(missing.value)
