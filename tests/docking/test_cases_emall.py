"""The e-mall standard's cases against our sandbox supplier: all pass; each fault switch fails its case alone."""
import pytest

from procurement.docking.cases import cases_for
from tests.docking.helpers import failing, not_run, run_to_end

# sandbox switch → the one case that must catch it
FAULTS = [
    ({"token_no_expiry": "1"}, "token_obtain"),
    ({"accept_any_password": "1"}, "token_wrong_password"),
    ({"expired_without_mark": "1"}, "token_stale"),
    ({"token_expire_after": "1"}, "token_reused"),
    ({"malformed_messages": "1"}, "messages_format"),
    ({"deleted_return": "1"}, "messages_delete"),
    ({"del_not_idempotent": "1"}, "messages_delete"),
    ({"unknown_id_error": "1"}, "messages_unknown_id"),
    ({"blank_names": "1"}, "sample_listable"),
    ({"omit_skus": "SB000050"}, "batch_full"),
    ({"conflicting_skus": "SB000060"}, "batch_full"),
    ({"batch_limit": "200"}, "batch_over"),
    ({"price_above_mall": "SB000070"}, "prices"),
    ({"stock_unreadable": "1"}, "stock"),
    ({"confirm_ignored": "1"}, "order_confirm"),
    ({"cancel_refused": "1"}, "order_cancel"),
    ({"cancel_after_confirm": "1"}, "order_cancel_confirmed"),
    ({"duplicate_creates": "1"}, "order_duplicate"),
    ({"order_track_broken": "1"}, "order_logistics_invoice"),
    ({"invoice_broken": "1"}, "order_logistics_invoice"),
    ({"html_errors": "1"}, "malformed"),
    ({"pretty_json": "1"}, "one_line"),
    ({"slow_interfaces": "images@250"}, "latency"),
]

DEPENDENTS = {"order_confirm": {"order_cancel_confirmed"}}


def test_every_case_passes_against_the_sandbox(test_environment):
    _sandbox, supplier = test_environment("emall")
    run = run_to_end(supplier)
    assert failing(run) == set()
    assert run.status == "passed"
    assert run.cases.count() == len(cases_for("emall"))


@pytest.mark.parametrize(("faults", "case"), FAULTS, ids=[f"{next(iter(f))}->{c}" for f, c in FAULTS])
def test_each_fault_fails_its_case_alone(test_environment, settings, faults, case):
    settings.DOCKING_P95_MS = 200
    _sandbox, supplier = test_environment("emall", **faults)
    run = run_to_end(supplier)
    assert failing(run) == {case}
    assert not_run(run) == DEPENDENTS.get(case, set())  # a case that needs the broken one is not run
    assert run.status == "failed"
    assert run.cases.get(name=case).reason


def test_every_case_has_a_switch_that_breaks_it():
    assert {case for _faults, case in FAULTS} == {case.name for case in cases_for("emall")}


def test_the_contract_version_is_the_one_the_published_contract_states():
    from pathlib import Path

    from procurement.suppliers.emall.docking import CONTRACT_VERSION

    text = (Path(__file__).resolve().parents[2] / "docs" / "supplier-contract.md").read_text(encoding="utf-8")
    assert f"合同版本：{CONTRACT_VERSION}\n" in text


def test_cases_of_interfaces_staff_recorded_as_missing_are_not_run(test_environment):
    from procurement.models import Supplier

    sandbox, supplier = test_environment("emall", cancel_refused="1")
    Supplier.objects.filter(pk=supplier.pk).update(interfaces_off=["order_cancel"])
    run = run_to_end(supplier)
    assert failing(run) == set() and run.status == "passed"
    skipped = run.cases.get(name="order_cancel")
    assert skipped.verdict == "skipped" and "未提供「取消订单」接口" in skipped.reason
    assert not_run(run) == {"order_cancel", "order_cancel_confirmed"}
