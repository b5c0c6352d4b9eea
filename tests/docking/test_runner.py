"""The runner: cases at once within the concurrency limit, each row updated as it ends, the run's duration kept,
calls tagged per case, tokens kept out of the supplier's RemoteToken row; a run a dead worker left is resumed or
closed; a finished run is left alone; a failed case can be re-run alone."""
import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from procurement.docking.models import DockingCase, DockingRun
from procurement.docking.services import DockingRefused, case_rerun, run_execute, run_start
from procurement.models import OutboundAttempt, RemoteToken
from tests.docking.helpers import failing, run_to_end
from tests.support.jobs import QueueWatch


def count_in_flight(sandbox):
    """The most requests the sandbox was answering at once."""
    seen, lock, original = {"now": 0, "peak": 0}, threading.Lock(), sandbox.handle

    def counted(request):
        with lock:
            seen["now"] += 1
            seen["peak"] = max(seen["peak"], seen["now"])
        try:
            return original(request)
        finally:
            with lock:
                seen["now"] -= 1

    sandbox.handle = counted
    return seen


@pytest.mark.django_db(transaction=True)  # the cases' threads use their own connections: committed data
@pytest.mark.parametrize(("protocol", "limit"), [("emall", 1), ("emall", 3), ("mall", 4)])
def test_independent_cases_run_at_once_within_the_limit(test_environment, settings, protocol, limit):
    settings.DOCKING_CONCURRENCY = limit
    sandbox, supplier = test_environment(protocol, latency_ms="20")
    in_flight = count_in_flight(sandbox)

    run = run_to_end(supplier)

    assert run.status == "passed", failing(run)
    assert run.summary["max_parallel"] == limit
    assert 1 <= in_flight["peak"] <= limit


def test_the_run_and_each_case_keep_their_duration_and_calls(test_environment):
    _sandbox, supplier = test_environment("mall")
    run = run_to_end(supplier)
    assert run.duration_ms > 0 and run.started_at <= run.finished_at
    assert run.duration_ms >= max(case.duration_ms for case in run.cases.all())
    batch = run.cases.get(name="batch_full")
    assert batch.measurements["calls"]["detail"]["calls"] == 1
    tagged = OutboundAttempt.objects.filter(purpose_kind="procurement.dockingrun", purpose_id=run.pk,
                                            purpose_case="batch_full")
    # one prices call: its 95th percentile is that call's own recorded duration
    assert batch.measurements["calls"]["prices"]["p95_ms"] == tagged.get(interface="prices").duration_ms
    assert set(tagged.values_list("interface", flat=True)) >= {"detail", "prices", "images", "shelf_states"}
    assert not OutboundAttempt.objects.filter(purpose_id=run.pk, purpose_kind="procurement.dockingrun",
                                              purpose_case="").exists()


def test_test_environment_tokens_never_reach_the_remote_token_row(test_environment):
    sandbox, supplier = test_environment("emall")
    run_to_end(supplier)
    assert not RemoteToken.objects.filter(supplier=supplier).exclude(token="").exists()
    assert sandbox.tokens_issued <= 4  # the run's, token_obtain's, token_reused's, the wrong password's refusal


def test_each_case_row_is_saved_as_it_ends(test_environment):
    _sandbox, supplier = test_environment("emall")
    run = run_start(supplier, via="staff", enqueue_job=False)
    seen = []

    def progress(case):
        stored = DockingCase.objects.filter(run=run).values_list("name", "verdict")
        seen.append((case.name, dict(stored)[case.name], sum(1 for _, v in stored if v == "pending")))

    run_execute(run.pk, progress=progress)
    assert [verdict for _name, verdict, _left in seen] == ["passed"] * len(seen)
    assert [left for _name, _verdict, left in seen] == sorted((left for *_, left in seen), reverse=True)


def test_starting_enqueues_the_job_on_commit_and_refuses_a_second_run(test_environment,
                                                                        django_capture_on_commit_callbacks):
    _sandbox, supplier = test_environment("emall")
    watch = QueueWatch()
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(supplier, via="staff")
    assert watch.new("procurement.docking.jobs.docking_run") == [(run.pk,)]
    assert run.cases.filter(verdict="pending").count() == run.cases.count() > 0
    with pytest.raises(DockingRefused, match="尚未结束"):
        run_start(supplier, via="supplier")


def test_a_finished_run_or_one_another_worker_runs_is_left_alone(test_environment):
    _sandbox, supplier = test_environment("emall")
    run = run_to_end(supplier)
    assert run_execute(run.pk) is None
    other = run_start(supplier, via="staff", enqueue_job=False)
    DockingRun.objects.filter(pk=other.pk).update(status="running", started_at=timezone.now(),
                                                  heartbeat_at=timezone.now())
    assert run_execute(other.pk) is None
    assert DockingCase.objects.filter(run=other, verdict="pending").count() == other.cases.count()


def _left_by_a_dead_worker(supplier, done=("token_obtain",), resumes=0):
    run = run_start(supplier, via="staff", enqueue_job=False)
    long_ago = timezone.now() - timedelta(hours=1)
    DockingRun.objects.filter(pk=run.pk).update(status="running", started_at=long_ago, heartbeat_at=long_ago,
                                                resumes=resumes)
    run.cases.filter(name__in=done).update(verdict="passed", duration_ms=7)
    run.cases.filter(name="prices").update(verdict="running", started_at=long_ago)
    return run


def test_a_run_left_by_a_dead_worker_is_resumed_from_its_unfinished_cases(test_environment):
    _sandbox, supplier = test_environment("emall")
    run = _left_by_a_dead_worker(supplier)

    run = run_execute(run.pk)

    assert run.status == "passed" and run.resumes == 1
    assert run.cases.get(name="token_obtain").duration_ms == 7  # finished before the crash: kept, not re-run
    assert run.cases.get(name="prices").verdict == "passed"


def test_a_run_that_keeps_dying_is_closed_with_the_reason(test_environment, settings):
    settings.DOCKING_MAX_RESUMES = 2
    _sandbox, supplier = test_environment("emall")
    run = _left_by_a_dead_worker(supplier, resumes=2)

    assert run_execute(run.pk) is None

    run.refresh_from_db()
    assert run.status == "error" and "多次中断" in run.error and run.finished_at
    assert not run.cases.filter(verdict__in=("pending", "running")).exists()


def test_the_recovery_schedule_hands_stale_and_forgotten_runs_to_a_job(test_environment):
    from procurement.docking.jobs import docking_runs_recover

    _sandbox, supplier = test_environment("emall")
    run = _left_by_a_dead_worker(supplier)
    watch = QueueWatch()
    assert docking_runs_recover() == 1
    assert watch.new("procurement.docking.jobs.docking_run") == [(run.pk,)]


def test_a_failed_case_is_rerun_alone_and_the_verdict_follows(test_environment):
    sandbox, supplier = test_environment("emall", batch_limit="200")
    run = run_to_end(supplier)
    assert run.status == "failed" and failing(run) == {"batch_over"}
    before = run.report_hash
    with pytest.raises(DockingRefused, match="只能重测未通过的用例"):
        case_rerun(run, "prices")

    sandbox.faults.update(batch_limit="100")  # the supplier fixed it
    case = case_rerun(run, "batch_over")

    run.refresh_from_db()
    assert (case.verdict, case.reruns) == ("passed", 1) and case.rerun_at
    assert run.status == "passed" and run.summary["failed_required"] == []
    assert run.report_hash and run.report_hash != before
    supplier.refresh_from_db()
    assert supplier.docking_status == "test_passed"


def test_only_the_latest_finished_run_takes_a_rerun(test_environment):
    sandbox, supplier = test_environment("emall", batch_limit="200")
    older, latest = run_to_end(supplier), run_to_end(supplier)
    sandbox.faults.update(batch_limit="100")

    with pytest.raises(DockingRefused, match=f"只能重测该电商最近一次测试（#{latest.pk}）"):
        case_rerun(older, "batch_over")

    assert DockingCase.objects.get(run=older, name="batch_over").verdict == "failed"
    supplier.refresh_from_db()
    assert supplier.docking_status == "docking"
    assert case_rerun(latest, "batch_over").verdict == "passed"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)  # the child process sees committed data only
def test_a_killed_worker_leaves_a_run_that_is_resumed_where_it_stopped(test_environment):
    import os
    import subprocess
    import sys

    from tests.support.cluster import BASE_DIR, test_database_url, wait_until

    _sandbox, supplier = test_environment("emall", latency_ms="40")
    env = {**os.environ, "DATABASE_URL": test_database_url(), "DOCKING_CONCURRENCY": "1"}
    child = subprocess.Popen([sys.executable, "manage.py", "check_supplier", supplier.code], cwd=BASE_DIR, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: DockingCase.objects.filter(run__supplier=supplier, verdict="passed").count() >= 3,
                   timeout=60, interval=0.01, message="three cases done")
    finally:
        child.kill()
        child.wait(timeout=10)
    run = DockingRun.objects.get(supplier=supplier)
    assert run.status == "running"
    done_before = dict(run.cases.filter(verdict="passed").values_list("name", "started_at"))
    assert run.cases.filter(verdict__in=("pending", "running")).exists()

    assert run_execute(run.pk) is None  # not stale yet: it might be a live worker's
    DockingRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    run = run_execute(run.pk)

    assert run.status == "passed" and run.resumes == 1
    kept = dict(run.cases.filter(name__in=done_before).values_list("name", "started_at"))
    assert kept == done_before  # what finished before the kill was not run again
