"""Runs a docking run's cases against the supplier's test environment: in dependency order, independent ones at
once on up to DOCKING_CONCURRENCY threads, each inside `purpose("procurement.dockingrun", run, case)` so its calls
are tagged, each case row updated as it starts and ends (progress shows live).

Order: a case waits for the cases in its `after` (and is not run, 未测, if one of them did not pass); the 非必需
cases wait for every required one; a `runs_last` case (latency) waits for all the others.
"""
import logging
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextvars import copy_context

from django.conf import settings
from django.db import connection
from django.utils import timezone

from procurement.docking.cases import CaseFailed, cases_for
from procurement.docking.context import CaseContext
from procurement.docking.models import RUN_CALLS, DockingCase, TestEndpoint
from procurement.kernel import http

logger = logging.getLogger(__name__)
Verdict = DockingCase.Verdict


class NoEndpoint(Exception):
    pass


def run_cases(run, names=None, *, endpoint=None, progress=None):
    """Run the run's PENDING cases (only `names` if given); the others' verdicts stand as recorded. `endpoint`: an
    ad-hoc run's (else the supplier's stored test environment); `progress(row)` after each case."""
    supplier = run.supplier
    if endpoint is None:
        if (run.summary or {}).get("adhoc"):
            raise NoEndpoint("命令行临时地址的测试中断后无法续测（地址与密码未保存）")
        endpoint = TestEndpoint.objects.get(supplier_id=run.supplier_id).endpoint()
    ctx = CaseContext(run, supplier, endpoint)
    rows = {row.name: row for row in run.cases.all()}
    todo = [case for case in cases_for(run.protocol) if case.name in rows and rows[case.name].verdict == Verdict.PENDING
            and (names is None or case.name in names)]
    plan = _Plan(todo, rows, supplier)
    peak = _Pool(settings.DOCKING_CONCURRENCY).run(plan, lambda case: _execute(ctx, case, rows[case.name], progress))
    if names is None:
        run.summary = {**run.summary, "max_parallel": max(peak, run.summary.get("max_parallel", 0)),
                       "concurrency": settings.DOCKING_CONCURRENCY}
        type(run).objects.filter(pk=run.pk).update(summary=run.summary)


class _Plan:
    """Which pending case may start now, which may never (and why)."""

    def __init__(self, todo, rows, supplier):
        self.pending = {case.name: case for case in todo}
        self.done = {name: row.verdict for name, row in rows.items() if name not in self.pending}
        self.required = {case.name for case in todo if rows[case.name].required and not case.runs_last}
        self.required |= {name for name, row in rows.items() if row.required and name not in self.pending}
        self.rows, self.switched_off = rows, set(supplier.interfaces_off or ())

    def next_moves(self, running):
        """(cases to start, {case: reason it is not run})."""
        start, skip = [], {}
        for name, case in list(self.pending.items()):
            why = self._never(case)
            if why:
                skip[name] = why
            elif self._ready(case, running):
                start.append(case)
        for name in [*skip, *(case.name for case in start)]:
            del self.pending[name]
        return start, skip

    def _never(self, case):
        if case.capability is not None and case.capability.value in self.switched_off:
            return f"工作人员已登记该电商未提供「{case.capability.label}」接口，本用例不测"
        failed = [name for name in case.after if name in self.done and self.done[name] != Verdict.PASSED]
        if failed:
            return "依赖的用例未通过：" + "、".join(self.rows[name].title for name in failed)
        return ""

    def _ready(self, case, running):
        if any(name not in self.done for name in case.after):
            return False
        others = set(self.pending) | set(running)
        others.discard(case.name)
        if case.runs_last:
            return not others
        if not self.rows[case.name].required:
            return not (others & self.required)
        return True

    def finished(self, name, verdict):
        self.done[name] = verdict


class _Pool:
    """Cases on at most `limit` threads (in this thread when the limit is 1); returns the most run at once."""

    def __init__(self, limit):
        self.limit = max(1, limit)
        self.lock, self.now_running, self.peak = threading.Lock(), 0, 0

    def run(self, plan, execute):
        if self.limit == 1:
            return self._serially(plan, execute)
        with ThreadPoolExecutor(max_workers=self.limit, thread_name_prefix="docking-case") as pool:
            futures = {}
            while True:
                self._start(plan, execute, pool, futures)
                if not futures:
                    break
                ended, _ = wait(futures, return_when=FIRST_COMPLETED)
                for future in ended:
                    plan.finished(futures.pop(future), future.result())
        _skip_left(plan)
        return self.peak

    def _start(self, plan, execute, pool, futures):
        while True:
            start, skip = plan.next_moves(set(futures.values()))
            for name, reason in skip.items():
                plan.finished(name, _skipped(plan.rows[name], reason))
            for case in start:
                futures[pool.submit(self._in_thread, copy_context(), execute, case)] = case.name
            if not skip:
                return

    def _serially(self, plan, execute):
        while True:
            start, skip = plan.next_moves(set())
            for name, reason in skip.items():
                plan.finished(name, _skipped(plan.rows[name], reason))
            if not start and not skip:
                break
            for case in start[:1]:  # one at a time; the others go back to wait their turn
                plan.finished(case.name, self._counted(execute, case))
            for case in start[1:]:
                plan.pending[case.name] = case
        _skip_left(plan)
        return self.peak

    def _in_thread(self, context, execute, case):
        try:
            return context.run(self._counted, execute, case)
        finally:
            connection.close()

    def _counted(self, execute, case):
        with self.lock:
            self.now_running += 1
            self.peak = max(self.peak, self.now_running)
        try:
            return execute(case)
        finally:
            with self.lock:
                self.now_running -= 1


def _skip_left(plan):
    for name in list(plan.pending):  # only a dependency cycle leaves any: a case list's mistake, said so
        plan.finished(name, _skipped(plan.rows[name], "用例的依赖关系有误，未能运行"))
        del plan.pending[name]


def _skipped(row, reason):
    DockingCase.objects.filter(pk=row.pk).update(verdict=Verdict.SKIPPED, reason=reason, duration_ms=None)
    return Verdict.SKIPPED


def _execute(ctx, case, row, progress=None):
    """One case: its row RUNNING, then its verdict, reason, duration and measurements."""
    started, clock = timezone.now(), time.monotonic()
    DockingCase.objects.filter(pk=row.pk).update(verdict=Verdict.RUNNING, started_at=started, reason="")
    with http.purpose(RUN_CALLS, ctx.run.pk, case.name):
        verdict, reason, measured = _outcome(ctx, case)
    measured = {**measured, "calls": _calls_of(ctx.run.pk, case.name, started)}
    DockingCase.objects.filter(pk=row.pk).update(
        verdict=verdict, reason=reason[:4000], duration_ms=int((time.monotonic() - clock) * 1000),
        measurements=measured)
    from procurement.docking.services import run_heartbeat

    run_heartbeat(ctx.run)
    if progress is not None:
        progress(DockingCase.objects.get(pk=row.pk))
    return verdict


def _outcome(ctx, case):
    try:
        measured = case.function(ctx) or {}
    except CaseFailed as failed:
        return Verdict.FAILED, failed.reason, {}
    except http.OutboundError as error:
        return Verdict.FAILED, _call_failed(error), {}
    except Exception as error:
        logger.exception("docking case %s of run %s", case.name, ctx.run.pk)
        return Verdict.FAILED, f"测试时出错：{type(error).__name__}: {error}", {}
    return Verdict.PASSED, "", measured


def _call_failed(error):
    """Which interface failed and how (the attempt row knows the interface)."""
    from procurement.models import OutboundAttempt

    interface = ""
    if error.attempt_id:
        interface = OutboundAttempt.objects.filter(pk=error.attempt_id).values_list("interface", flat=True).first()
    where = f"调用 {interface} 时" if interface else "调用时"
    return f"{where}失败：{error}（请求与回复见本用例的调用记录）"


def _calls_of(run_pk, case_name, since):
    """Per interface: the calls this case made (this time) and their 95th-percentile duration."""
    from procurement.docking.checks_robust import call_stats
    from procurement.models import OutboundAttempt

    return call_stats(OutboundAttempt.objects.filter(purpose_kind=RUN_CALLS, purpose_id=run_pk, purpose_case=case_name,
                                                     started_at__gte=since))
