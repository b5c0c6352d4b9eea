"""checkbaohanlist: the bank's list beside ours, every difference shown to staff."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from guarantees.models import CheckMismatch, CheckRun, Guarantee
from guarantees.services.reconciliation import check_runs_create
from procurement.kernel.delivery import Delivery
from procurement.kernel.wire import format_wire_time, parse_wire_time
from procurement.models import OutboundAttempt
from tests.guarantees.conftest import send_due
from tests.guarantees.factories import GuaranteeFactory, IssuedGuaranteeFactory
from tests.guarantees.test_admin import staff
from tests.guarantees.test_lifecycle import issued

Kind = CheckMismatch.Kind


def _yesterday(guarantee, bank):
    """Issued yesterday, on our side and the bank's alike (to the second, as on the wire)."""
    when = timezone.now().replace(microsecond=0) - timedelta(days=1)
    Guarantee.objects.filter(pk=guarantee.pk).update(generated_at=when)
    bank.sandbox.guarantees[guarantee.applyno]["generatetime"] = format_wire_time(when)


@pytest.mark.slow
def test_every_difference_between_their_list_and_ours_is_recorded(bank):
    same, different_cost, quit_here = issued(bank), issued(bank), issued(bank)
    for guarantee in (same, different_cost, quit_here):
        _yesterday(guarantee, bank)
    Guarantee.objects.filter(pk=different_cost.pk).update(cost=Decimal("120.00"))
    Guarantee.objects.filter(pk=quit_here.pk).update(status=Guarantee.Status.QUIT)
    only_ours = IssuedGuaranteeFactory(guarantor=bank.row, generated_at=timezone.now() - timedelta(days=1))
    bank.sandbox.guarantees["BH-ONLY-THEIRS"] = {
        "apply": {"applyno": "BH-ONLY-THEIRS"}, "baohanno": "SBH-X", "rate": "0.0015", "cost": "100.00",
        "status": "0", "generatetime": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S"),
    }

    [run] = check_runs_create([bank.row])
    assert send_due() == [Delivery.Status.DONE]

    run.refresh_from_db()
    found = {(m.applyno, m.kind, m.ours, m.theirs) for m in run.mismatches.all()}
    assert found == {
        (different_cost.applyno, Kind.COST, "120.00", "100.00"),
        (quit_here.applyno, Kind.STATUS, "1", "0"),
        (only_ours.applyno, Kind.MISSING_THEIRS, only_ours.baohanno, ""),
        ("BH-ONLY-THEIRS", Kind.MISSING_OURS, "", "SBH-X"),
    }
    assert (run.our_count, run.their_count) == (4, 4)
    sent = bank.received("checkbaohanlist")[0]
    today = timezone.localdate()
    assert (sent["startdate"], sent["enddate"]) == (f"{today - timedelta(days=3)}", f"{today - timedelta(days=1)}")


@pytest.mark.slow
def test_a_malformed_list_is_retried_and_applications_without_a_guarantee_are_not_compared(bank):
    GuaranteeFactory(guarantor=bank.row)  # applied, no guarantee yet: not in the list
    bank.sandbox.faults.update(malformed_rate=1.0)

    [run] = check_runs_create([bank.row])
    assert send_due() == [Delivery.Status.RETRYING]
    bank.sandbox.faults.update(malformed_rate=0.0)
    CheckRun.objects.update(next_attempt_at=timezone.now())
    assert send_due() == [Delivery.Status.DONE]
    assert not run.mismatches.exists()


@pytest.mark.slow
def test_a_malformed_list_is_recorded_as_a_bad_reply_on_its_attempt(bank):
    bank.sandbox.faults.update(malformed_check_list="1")

    [run] = check_runs_create([bank.row])
    assert send_due() == [Delivery.Status.RETRYING]

    run.refresh_from_db()
    attempt = OutboundAttempt.objects.get(pk=run.last_attempt_id)
    assert (attempt.interface, attempt.outcome) == ("checkbaohanlist", "bad_reply")
    assert attempt.error == run.last_error == "checkbaohanlist 返回的 data.baohanlist 格式不正确"


@pytest.mark.django_db
def test_setup_schedules_writes_the_guarantee_jobs():
    call_command("setup_schedules", verbosity=0)

    dispatch = Schedule.objects.get(func="guarantees.jobs.dispatch")
    assert (dispatch.schedule_type, dispatch.minutes) == (Schedule.MINUTES, 1)
    assert Schedule.objects.get(func="guarantees.jobs.daily_check").schedule_type == Schedule.DAILY


@pytest.mark.slow
def test_a_guarantee_the_bank_lists_twice_is_recorded_not_merged(bank):
    guarantee = issued(bank)
    _yesterday(guarantee, bank)
    bank.sandbox.faults.extra["duplicate_check_rows"] = "1"  # the copy also carries another cost

    [run] = check_runs_create([bank.row])
    assert send_due() == [Delivery.Status.DONE]

    found = {(m.applyno, m.kind, m.theirs) for m in run.mismatches.all()}
    assert found == {(guarantee.applyno, Kind.LISTED_TWICE, "列出 2 次")}  # compared as first listed: same cost


@pytest.mark.slow
@pytest.mark.parametrize("theirs", ["shifted", "2026/11/30 10:00:00", ""])
def test_an_issue_time_that_differs_from_ours_is_listed_for_staff(bank, theirs):
    same, moved = issued(bank), issued(bank)
    for guarantee in (same, moved):
        _yesterday(guarantee, bank)
    record = bank.sandbox.guarantees[moved.applyno]
    ours = record["generatetime"]
    record["listed_generatetime"] = (format_wire_time(parse_wire_time(ours) + timedelta(hours=1))
                                     if theirs == "shifted" else theirs)

    [run] = check_runs_create([bank.row])
    assert send_due() == [Delivery.Status.DONE]

    found = {(m.applyno, m.kind, m.ours, m.theirs) for m in run.mismatches.all()}
    assert found == {(moved.applyno, Kind.GENERATETIME, ours, record["listed_generatetime"])}
    page = staff("保函管理").get(reverse("admin:guarantees_checkrun_change", args=[run.pk])).content.decode()
    assert "出函时间不同" in page
