"""The report of a docking run: what it says (`report_of`), its canonical text and the content hash over it.

The hash is SHA-256 over `report_text(run)`: the report's content as JSON (keys sorted, no spaces, UTF-8),
so it depends on what the report says and on nothing else (not on when or how it is rendered). The HTML page
(templates/docking/report.html) and the PDF (report_pdf.py) show exactly these fields and print the hash.
"""
import hashlib
import json
from dataclasses import asdict, dataclass

from procurement.docking.models import DockingCase, DockingReport, DockingRun
from procurement.docking.words import duration_words
from procurement.kernel.wire import format_wire_time
from procurement.suppliers.registry import PROTOCOLS

TITLE = "电子卖场对接测试报告"
# Bumped when the report's content changes shape: a report of another format has another hash.
FORMAT = 1
MEASURE_LABELS = {"calls": "调用"}
NOT_RUN = (DockingCase.Verdict.PENDING, DockingCase.Verdict.RUNNING, DockingCase.Verdict.SKIPPED)


@dataclass(frozen=True)
class CaseLine:
    position: int
    name: str
    title: str
    clause: str
    required: bool
    verdict: str
    verdict_label: str
    duration: str
    reason: str
    measured: str
    reruns: int


@dataclass(frozen=True)
class Summary:
    total: int
    passed: int
    failed_required: int
    failed_optional: int
    not_run: int
    rerun: int

    @property
    def text(self):
        words = f"共 {self.total} 项：通过 {self.passed} 项，必测未通过 {self.failed_required} 项，" \
                f"非必需未通过 {self.failed_optional} 项"
        if self.not_run:
            words += f"，未测 {self.not_run} 项"
        if self.rerun:
            words += f"；其中 {self.rerun} 项经过重测"
        return words


@dataclass(frozen=True)
class Report:
    format: int
    title: str
    supplier_name: str
    supplier_code: str
    protocol: str
    protocol_label: str
    contract_version: str
    run_id: int
    status: str
    status_label: str
    started_via: str
    error: str
    started_at: str
    finished_at: str
    duration: str
    cases: tuple
    summary: Summary
    finished: bool

    def content(self):
        """Everything the report says, as plain data (what the hash is taken over)."""
        return asdict(self)


def report_of(run):
    """The report of `run` (its supplier and cases are read here)."""
    cases = tuple(_case_line(case) for case in run.cases.order_by("position", "name"))
    return Report(
        format=FORMAT, title=TITLE, supplier_name=run.supplier.name, supplier_code=run.supplier.code,
        protocol=run.protocol, protocol_label=PROTOCOLS.get(run.protocol, (run.protocol, ""))[0],
        contract_version=run.contract_version, run_id=run.pk, status=run.status,
        status_label=DockingRun.Status(run.status).label,
        started_via=DockingRun.Via(run.started_via).label if run.started_via else "", error=run.error.strip(),
        started_at=_time(run.started_at),
        finished_at=_time(run.finished_at), duration=duration_words(run.duration_ms), cases=cases,
        summary=_summary(cases), finished=run.finished,
    )


def report_from_text(text):
    """The Report whose canonical text is `text` (a report as it was issued)."""
    content = json.loads(text)
    content["cases"] = tuple(CaseLine(**case) for case in content["cases"])
    content["summary"] = Summary(**content["summary"])
    return Report(**content)


def report_issued(run):
    """The run's current report as it was issued (DockingReport), or None while it has none: what its page shows and
    its PDF prints, so that a file downloaded later still checks as genuine whatever changed since (a renamed
    supplier, a label's wording)."""
    if not run.report_hash:
        return None
    issued = DockingReport.objects.filter(digest=run.report_hash).values_list("text", flat=True).first()
    return report_from_text(issued) if issued else None


def report_text(run_or_report):
    """The canonical text of the report: its content as JSON, keys sorted, no spaces, non-ASCII kept."""
    report = run_or_report if isinstance(run_or_report, Report) else report_of(run_or_report)
    return json.dumps(report.content(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def report_hash(run_or_report):
    """SHA-256 (lowercase hex) over the UTF-8 of `report_text`: the same content always gives the same hash."""
    return hashlib.sha256(report_text(run_or_report).encode("utf-8")).hexdigest()


def _time(moment):
    return format_wire_time(moment) if moment else "—"


def _case_line(case):
    return CaseLine(
        position=case.position, name=case.name, title=case.title, clause=case.clause, required=case.required,
        verdict=case.verdict, verdict_label=DockingCase.Verdict(case.verdict).label,
        duration=duration_words(case.duration_ms), reason=case.reason.strip(),
        measured=measurements_text(case.measurements), reruns=case.reruns,
    )


def measurements_text(measurements):
    """What a case measured, in one line, keys in sorted order: `调用（access_token（调用 1，p95 41 毫秒））；tokens 1`."""
    measurements = {key: value for key, value in (measurements or {}).items() if value not in ({}, [], "", None)}
    return "；".join(_measured(key, measurements[key]) for key in sorted(measurements))


def _measured(key, value):
    if isinstance(value, dict):
        return f"{MEASURE_LABELS.get(key, key)}（{'，'.join(_measured(k, value[k]) for k in sorted(value))}）"
    if isinstance(value, list | tuple):
        value = "、".join(str(item) for item in value)
    if key.endswith("_ms"):
        return f"{key[:-3]} {value} 毫秒"
    return f"{MEASURE_LABELS.get(key, key)} {value}"


def _summary(cases):
    failed = [c for c in cases if c.verdict == DockingCase.Verdict.FAILED]
    return Summary(
        total=len(cases), passed=sum(c.verdict == DockingCase.Verdict.PASSED for c in cases),
        failed_required=sum(c.required for c in failed), failed_optional=sum(not c.required for c in failed),
        not_run=sum(c.verdict in NOT_RUN for c in cases), rerun=sum(c.reruns > 0 for c in cases),
    )
