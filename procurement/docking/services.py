"""The docking test tool's services, the only code that changes its rows: a supplier's test environment, runs and
their cases; and (procurement/docking/trust.py, offered here too) the production-environment trust mark
(正式环境信任标识) that a passing run earns.
"""
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from procurement.docking.cases import case_named, cases_for, contract_version
from procurement.docking.models import DockingCase, DockingReport, DockingRun, TestEndpoint
from procurement.docking.refusals import DockingRefused
from procurement.docking.report import report_hash, report_of, report_text
from procurement.docking.trust import (  # noqa: F401  (the service API)
    not_for_trust,
    supplier_trusted,
    trust_grant,
    trust_withdraw,
)
from procurement.kernel.clear_text import clear_text_problem
from procurement.kernel.queue import enqueue
from procurement.kernel.statemachine import IllegalTransition, by_source
from procurement.models import Supplier
from procurement.services.suppliers import ParametersInvalid, parameters_merged, supplier_set_docking_status

Status, Verdict, DockingStatus = DockingRun.Status, DockingCase.Verdict, Supplier.DockingStatus
ACTIVE = (Status.QUEUED, Status.RUNNING)
RUN_JOB = "procurement.docking.jobs.docking_run"


# --- the test environment ------------------------------------------------------------------------------------

@sensitive_variables("values")
def endpoint_set(supplier, base_url, values, *, required_cases=None):
    """Store the supplier's test environment: its base URL and its protocol's declared parameters (a secret left
    empty keeps the stored one). ParametersInvalid names what is wrong; nothing is written then. `required_cases`:
    the ☆ cases staff require of this supplier (None: unchanged)."""
    current = TestEndpoint.objects.filter(supplier=supplier).first()
    plain, secrets = parameters_merged(supplier.protocol, current.parameters if current else {},
                                       current.secret_parameters if current else {}, values)
    _check_url(base_url)
    endpoint = current or TestEndpoint(supplier=supplier)
    endpoint.base_url, endpoint.parameters, endpoint.secret_parameters = base_url.strip(), plain, secrets
    if required_cases is not None:
        endpoint.required_cases = _optional_case_names(supplier.protocol, required_cases)
    endpoint.save()
    return endpoint


def _check_url(base_url):
    parts = urlsplit((base_url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problem = "应为 http(s) 地址"
    else:
        problem = clear_text_problem(base_url.strip())
    if problem:
        raise ParametersInvalid({"base_url": problem}, {"base_url": "测试环境接口地址"})


def _optional_case_names(protocol, names):
    optional = {case.name for case in cases_for(protocol) if not case.required}
    unknown = [name for name in names if name not in optional]
    if unknown:
        raise ParametersInvalid({"required_cases": f"不是非必需接口的用例：{'、'.join(unknown)}"},
                                {"required_cases": "另行要求必测的用例"})
    return sorted(set(names))


# --- runs ----------------------------------------------------------------------------------------------------

def run_start(supplier, *, via, user=None, account="", enqueue_job=True, cases=None, endpoint=None, protocol=None):
    """A new run of the supplier's protocol against its test environment, one PENDING case row per case; its job is
    enqueued once this commits.

    For the shell (check_supplier): `enqueue_job` False (the caller runs it), `cases` (names: only those, a partial
    run), `endpoint` (an Endpoint given on the command line, used in memory and never stored; the protocol is then
    the connector's of `protocol` in summary). A partial or ad-hoc run is recorded but never earns 测试通过 or the
    trust mark.
    """
    stored = TestEndpoint.objects.filter(supplier=supplier).first()
    if stored is None and endpoint is None:
        raise DockingRefused("尚未填写测试环境的接口地址与账号，不能发起对接测试")
    protocol = protocol or supplier.protocol
    chosen = _chosen_cases(protocol, cases)
    try:
        with transaction.atomic():
            _refuse_if_active(supplier)
            run = DockingRun.objects.create(
                supplier=supplier, protocol=protocol, contract_version=contract_version(protocol),
                base_url=(endpoint or stored).base_url, started_via=via, started_by=user,
                started_by_account=account[:100],
                summary={"partial": cases is not None, "adhoc": endpoint is not None})
            required = set(stored.required_cases) if stored and endpoint is None else set()
            DockingCase.objects.bulk_create([
                DockingCase(run=run, name=case.name, title=case.title, clause=case.clause, position=position,
                            required=case.required or case.name in required)
                for position, case in enumerate(chosen, 1)])
            if enqueue_job:
                transaction.on_commit(lambda: enqueue(RUN_JOB, run.pk, task_name=f"docking-run-{run.pk}"))
    except IntegrityError:  # another request started one meanwhile (one_active_docking_run)
        _refuse_if_active(supplier)
        raise
    return run


def _chosen_cases(protocol, names):
    cases = cases_for(protocol)
    if names is None:
        return cases
    known = {case.name for case in cases}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise DockingRefused(f"{protocol} 没有这些用例：{'、'.join(unknown)}（可用：{'、'.join(sorted(known))}）")
    return [case for case in cases if case.name in names]


def _refuse_if_active(supplier):
    active = DockingRun.objects.filter(supplier=supplier, status__in=ACTIVE).first()
    if active is not None:
        raise DockingRefused(f"该电商已有一次对接测试（#{active.pk}，{active.get_status_display()}）尚未结束，请等它结束后再发起")


def run_execute(run_id, *, endpoint=None, progress=None):
    """Run the run's pending cases and close it (what its job calls). A finished run is left as it is; a run another
    worker is running is left to it; one a dead worker left (no progress for DOCKING_STALE_SECONDS) is resumed from
    its unfinished cases, or closed as ERROR after DOCKING_MAX_RESUMES resumes. `endpoint`: an ad-hoc run's (never
    stored: such a run cannot be resumed); `progress(case row)` is called as each case ends."""
    from procurement.docking.runner import run_cases

    run = _claim(run_id)
    if run is None:
        return None
    try:
        run_cases(run, endpoint=endpoint, progress=progress)
    except Exception as error:
        _close_interrupted(run, f"测试程序出错：{type(error).__name__}: {error}")
        raise
    return run_finish(run)


def _claim(run_id):
    run = DockingRun.objects.filter(pk=run_id).first()
    if run is None or run.finished:
        return None
    now = timezone.now()
    if run.status == Status.QUEUED:
        claimed = DockingRun.objects.filter(pk=run.pk, status=Status.QUEUED).update(
            status=Status.RUNNING, started_at=now, heartbeat_at=now)
        return DockingRun.objects.get(pk=run.pk) if claimed else None
    if not _stale(run, now):
        return None  # another worker is running it
    if run.resumes >= settings.DOCKING_MAX_RESUMES:
        _close_interrupted(run, f"测试进程多次中断（已续测 {run.resumes} 次），本次测试终止；请重新发起")
        return None
    claimed = DockingRun.objects.filter(pk=run.pk, status=Status.RUNNING, heartbeat_at=run.heartbeat_at).update(
        heartbeat_at=now, resumes=F("resumes") + 1)
    if not claimed:
        return None
    run.cases.filter(verdict=Verdict.RUNNING).update(verdict=Verdict.PENDING, started_at=None)
    return DockingRun.objects.get(pk=run.pk)


def _stale(run, now):
    last = run.heartbeat_at or run.started_at or run.created_at
    return last < now - timedelta(seconds=settings.DOCKING_STALE_SECONDS)


def _close_interrupted(run, reason):
    now = timezone.now()
    run.cases.filter(verdict__in=(Verdict.PENDING, Verdict.RUNNING)).update(
        verdict=Verdict.SKIPPED, reason="测试中断，未完成")
    DockingRun.objects.filter(pk=run.pk, status__in=ACTIVE).update(
        status=Status.ERROR, error=reason[:2000], finished_at=now, duration_ms=_ms(run.started_at, now))
    run.refresh_from_db()
    report_issue(run)


def run_heartbeat(run):
    DockingRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(heartbeat_at=timezone.now())


def run_finish(run):
    """Close a run whose cases have all ended: its verdict, duration and summary; a pass moves the supplier to
    测试通过 (with history)."""
    now = timezone.now()
    cases = list(run.cases.all())
    summary = run_summary(cases)
    status = Status.ERROR if summary["unfinished"] else Status.FAILED if summary["failed_required"] else Status.PASSED
    DockingRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
        status=status, finished_at=now, duration_ms=_ms(run.started_at, now),
        summary={**run.summary, **summary}, error="有用例未完成" if status == Status.ERROR else "")
    run.refresh_from_db()
    report_issue(run)
    if run.status == Status.PASSED:
        _mark_test_passed(run)
    return run


def run_summary(cases):
    counts = {verdict: sum(1 for case in cases if case.verdict == verdict) for verdict in Verdict.values}
    return {
        "cases": len(cases), "passed": counts[Verdict.PASSED], "failed": counts[Verdict.FAILED],
        "skipped": counts[Verdict.SKIPPED],
        "unfinished": counts[Verdict.PENDING] + counts[Verdict.RUNNING],
        "failed_required": [case.name for case in cases if case.required and case.verdict == Verdict.FAILED],
        "failed_optional": [case.name for case in cases if not case.required and case.verdict == Verdict.FAILED],
    }


def _ms(start, end):
    return int((end - start).total_seconds() * 1000) if start else None


def report_issue(run):
    """Issue the run's report as it now stands: its hash kept on the run (the current report) and the report
    itself kept as issued, so that one issued before a re-run can still be checked. Returns the hash."""
    report = report_of(run)
    run.report_hash = report_hash(report)
    with transaction.atomic():
        DockingRun.objects.filter(pk=run.pk).update(report_hash=run.report_hash)
        DockingReport.objects.get_or_create(digest=run.report_hash, defaults={"run": run, "text": report_text(report)})
    return run.report_hash


def _mark_test_passed(run):
    if not_for_trust(run):
        return
    supplier = Supplier.objects.get(pk=run.supplier_id)
    actor, why = by_source(f"对接测试 #{run.pk}"), f"对接测试 #{run.pk} 通过"
    try:
        if supplier.docking_status == DockingStatus.SUSPENDED:
            supplier_set_docking_status(supplier, DockingStatus.DOCKING, actor=actor, reason=why)
        if supplier.docking_status == DockingStatus.DOCKING:
            supplier_set_docking_status(supplier, DockingStatus.TEST_PASSED, actor=actor, reason=why)
    except IllegalTransition:
        pass  # staff changed the supplier meanwhile: their change stands


def case_rerun(run, name, *, user=None, account=""):
    """Re-run one case of a finished run that did not pass, synchronously (a case takes seconds); its rerun count
    and time are kept, the run's verdict, summary and report hash recomputed. Returns the case row."""
    from procurement.docking.runner import run_cases

    with transaction.atomic():  # the run locked: one re-run of it at a time
        run = DockingRun.objects.select_for_update().get(pk=run.pk)
        _check_rerunnable(run, name)
        claimed = run.cases.filter(name=name, verdict__in=(Verdict.FAILED, Verdict.SKIPPED)).update(
            verdict=Verdict.PENDING, reruns=F("reruns") + 1, rerun_at=timezone.now(), reason="")
        if not claimed:
            raise DockingRefused(f"用例 {name} 已通过或正在重测，只能重测未通过的用例")
    run_cases(run, names=[name])
    return _rerun_finish(run, name)


def _check_rerunnable(run, name):
    if not run.finished:
        raise DockingRefused("本次测试尚未结束，结束后才能重测单个用例")
    if run.status == Status.ERROR:
        raise DockingRefused("本次测试已中断，请重新发起测试")
    if (run.summary or {}).get("adhoc"):
        raise DockingRefused("命令行临时地址的测试不能重测单个用例，请重新运行命令")
    if DockingRun.objects.filter(supplier_id=run.supplier_id, status__in=ACTIVE).exists():
        raise DockingRefused("该电商有一次对接测试正在进行，请等它结束")
    latest = DockingRun.latest_finished(run.supplier_id)
    if latest is not None and latest.pk != run.pk:
        raise DockingRefused(f"只能重测该电商最近一次测试（#{latest.pk}）的用例：请在那次测试中重测，或重新发起测试")
    if run.cases.filter(verdict__in=(Verdict.PENDING, Verdict.RUNNING)).exists():
        raise DockingRefused("本次测试有另一个用例正在重测，请等它结束")
    try:
        case_named(run.protocol, name)
    except KeyError:
        raise DockingRefused(f"没有名为 {name} 的用例") from None


def _rerun_finish(run, name):
    cases = list(run.cases.all())
    summary = run_summary(cases)
    status = Status.FAILED if summary["failed_required"] else Status.PASSED
    DockingRun.objects.filter(pk=run.pk).update(status=status, summary={**run.summary, **summary})
    run.refresh_from_db()
    report_issue(run)
    if run.status == Status.PASSED:
        _mark_test_passed(run)
    return run.cases.get(name=name)
