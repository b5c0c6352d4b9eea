"""Finished docking runs made directly as rows (for the report, the check page and the pages' tests)."""
from datetime import timedelta

from django.utils import timezone

from procurement.docking.models import DockingCase, DockingRun
from procurement.docking.services import report_issue

CASES = (
    # name, title, clause, required, verdict, reason
    ("token.obtain", "获取令牌", "§7.2.1", True, "passed", ""),
    ("token.wrong_password", "错误密码被拒绝", "§7.2.1", True, "failed",
     "错误密码应答 success:false 与 desc（5003），实际应答 HTTP 500"),
    ("batch.full", "100 个商品一批查询", "§7.2.7", True, "passed", ""),
    ("ratings", "商品评价（非必需）", "§2.9", False, "failed", "接口不存在：/api/ratings 应答 404"),
)


def finished_run(supplier, cases=CASES, status=DockingRun.Status.FAILED, store_hash=True):
    """A run of `supplier` that ended with `cases`; its report hash stored as the runner stores it."""
    started = timezone.now() - timedelta(minutes=5)
    run = DockingRun.objects.create(
        supplier=supplier, protocol=supplier.protocol, contract_version="2022-10", base_url=supplier.base_url,
        status=status, started_via=DockingRun.Via.STAFF, started_at=started,
        finished_at=started + timedelta(seconds=12, milliseconds=345), duration_ms=12345,
    )
    for position, (name, title, clause, required, verdict, reason) in enumerate(cases, start=1):
        DockingCase.objects.create(run=run, name=name, title=title, clause=clause, required=required,
                                   position=position, verdict=verdict, reason=reason, started_at=started,
                                   duration_ms=40 + position, measurements={"access_token": {"calls": 1}})
    if store_hash:
        store_report_hash(run)
    return run


def store_report_hash(run):
    """Issue the run's report as the runner does when a run ends or a case is re-run."""
    return report_issue(run)
