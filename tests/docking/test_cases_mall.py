"""The mall standard's cases against our sandbox supplier: all pass; each fault switch fails its case alone; a ☆
case that fails is listed without failing the run, unless staff require it of the supplier."""
import pytest

from procurement.docking.cases import cases_for
from procurement.docking.services import endpoint_set
from tests.docking.helpers import failing, not_run, run_to_end

# sandbox switch → the one case that must catch it
FAULTS = [
    ({"token_no_expiry": "1"}, "token_obtain"),
    ({"accept_any_password": "1"}, "token_wrong_password"),
    ({"expired_without_mark": "1"}, "token_stale"),
    ({"token_expire_after": "1"}, "token_reused"),
    ({"alien_pool": "1"}, "pools"),
    ({"unmatched_areas": "1"}, "areas"),
    ({"blank_names": "1"}, "sample_listable"),
    ({"dead_images": "MS000004"}, "sample_listable"),  # a main image that does not open: listing refuses it too
    ({"omit_skus": "MS000050"}, "batch_full"),
    ({"batch_limit": "200"}, "batch_over"),
    ({"price_above_mall": "MS000070"}, "prices"),
    ({"stock_unreadable": "1"}, "stock"),
    ({"confirm_ignored": "1"}, "order_confirm"),
    ({"cancel_refused": "1"}, "order_cancel"),
    ({"cancel_after_confirm": "1"}, "order_cancel_confirmed"),
    ({"duplicate_creates": "1"}, "order_duplicate"),
    ({"order_track_broken": "1"}, "order_logistics"),
    ({"html_errors": "1"}, "malformed"),
    ({"pretty_json": "1"}, "one_line"),
    ({"slow_interfaces": "images@250"}, "latency"),
]
# ☆ switch → its case: listed as failed, the run still passes
OPTIONAL_FAULTS = [
    ({"optional_missing": "ratings"}, "ratings"),
    ({"optional_missing": "accessories"}, "accessories"),
    ({"optional_missing": "warranty"}, "warranty"),
    ({"optional_missing": "accessory_links"}, "accessory_links"),
    ({"optional_missing": "group_buys"}, "group_buys"),
    ({"optional_missing": "specials"}, "specials"),
    ({"optional_missing": "tiers"}, "tiers"),
    ({"reconciliation_broken": "1"}, "reconciliation"),
    ({"invoice_broken": "1"}, "invoice"),
]
DEPENDENTS = {"order_confirm": {"order_cancel_confirmed"}}


def test_every_case_passes_against_the_sandbox(test_environment):
    _sandbox, supplier = test_environment("mall")
    run = run_to_end(supplier)
    assert failing(run) == set() and not_run(run) == set()
    assert run.status == "passed"
    assert run.cases.count() == len(cases_for("mall"))


@pytest.mark.parametrize(("faults", "case"), FAULTS, ids=[f"{next(iter(f))}->{c}" for f, c in FAULTS])
def test_each_fault_fails_its_case_alone(test_environment, settings, faults, case):
    settings.DOCKING_P95_MS = 200
    _sandbox, supplier = test_environment("mall", **faults)
    run = run_to_end(supplier)
    assert failing(run) == {case}
    assert not_run(run) == DEPENDENTS.get(case, set())
    assert run.status == "failed"


@pytest.mark.parametrize(("faults", "case"), OPTIONAL_FAULTS, ids=[c for _f, c in OPTIONAL_FAULTS])
def test_an_optional_failure_is_listed_but_does_not_fail_the_run(test_environment, faults, case):
    _sandbox, supplier = test_environment("mall", **faults)
    run = run_to_end(supplier)
    assert failing(run) == {case}
    assert run.status == "passed"
    assert run.summary["failed_optional"] == [case]


def test_an_optional_case_staff_require_fails_the_run(test_environment):
    sandbox, supplier = test_environment("mall", optional_missing="ratings")
    endpoint_set(supplier, supplier.test_endpoint.base_url, {}, required_cases=["ratings"])
    run = run_to_end(supplier)
    assert run.status == "failed"
    assert run.summary["failed_required"] == ["ratings"]


def test_optional_cases_run_after_the_required_ones(test_environment):
    _sandbox, supplier = test_environment("mall")
    run = run_to_end(supplier)
    rows = list(run.cases.order_by("started_at"))
    last_required = max(row.started_at for row in rows if row.required and row.name != "latency")
    assert all(row.started_at > last_required for row in rows if not row.required)


def test_every_case_has_a_switch_that_breaks_it():
    cases = {case for _faults, case in FAULTS + OPTIONAL_FAULTS}
    assert cases == {case.name for case in cases_for("mall")}


def test_the_contract_version_is_the_one_the_published_contract_states():
    from pathlib import Path

    from procurement.suppliers.mall.docking import CONTRACT_VERSION

    text = (Path(__file__).resolve().parents[2] / "docs" / "mall-supplier-contract.md").read_text(encoding="utf-8")
    assert f"合同版本：{CONTRACT_VERSION}\n" in text
