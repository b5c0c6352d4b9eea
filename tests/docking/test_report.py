"""The report of a docking run: its PDF says what the run found, and its hash tells one content from another."""
from io import BytesIO

import pytest
import time_machine
from pypdf import PdfReader

from procurement.docking.models import DockingCase
from procurement.docking.report import report_hash, report_of, report_text
from procurement.docking.report_pdf import report_pdf
from tests.docking.report_rows import CASES, finished_run
from tests.procurement.factories import SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    return finished_run(SupplierFactory(name="津门办公用品有限公司", code="JMBG01"))


def pdf_text(data):
    reader = PdfReader(BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def test_the_pdf_says_who_what_and_why_with_the_hash_on_every_page(run):
    reader, pages = pdf_text(report_pdf(run))
    text = "\n".join(pages)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    assert "津门办公用品有限公司（JMBG01）" in text
    assert "电子卖场对接标准（2022-10）" in text and "测试编号" in text
    for _name, title, _clause, _required, _verdict, reason in CASES:
        assert title in text
        if reason:
            assert reason[:12] in text
    assert text.count("未通过") >= 3 and "通过" in text  # the run's verdict and the cases' own
    assert "共 4 项：通过 2 项，必测未通过 1 项，非必需未通过 1 项" in text
    digest = report_hash(run)
    assert all(digest in page for page in pages)


def test_a_long_run_spans_pages_each_carrying_the_hash(run):
    many = [(f"case.{n}", f"用例{n}", "§7.2", True, "passed", "应答字段齐全" * 6) for n in range(80)]
    long_run = finished_run(run.supplier, cases=many)
    _reader, pages = pdf_text(report_pdf(long_run))
    assert len(pages) > 1
    assert all(report_hash(long_run) in page for page in pages)
    assert "用例79" in pages[-1] and "用例79" not in pages[0]


def test_the_same_content_gives_the_same_hash_and_the_same_bytes(run):
    assert report_hash(run) == report_hash(run) == run.report_hash
    with time_machine.travel("2026-12-01 09:00:00+08:00", tick=False):
        first = report_pdf(run)
    with time_machine.travel("2027-03-15 17:30:00+08:00", tick=False):
        later = report_pdf(run)
    assert first == later  # rendered months apart: nothing of the moment of rendering is in the file
    run.refresh_from_db()
    assert report_hash(run) == run.report_hash


def test_the_hash_covers_only_the_content(run):
    """Saving a case again, or another run's rows, change nothing; the text is the report's content."""
    before = report_hash(run)
    for case in run.cases.all():
        case.save()
    finished_run(run.supplier)
    assert report_hash(run) == before
    assert '"supplier_name":"津门办公用品有限公司"' in report_text(run)


@pytest.mark.parametrize("change", [
    {"verdict": DockingCase.Verdict.PASSED, "reason": ""},
    {"reason": "错误密码应答 HTTP 502"},
    {"duration_ms": 9999},
])
def test_the_hash_changes_when_what_a_case_says_changes(run, change):
    before = report_hash(run)
    run.cases.filter(name="token.wrong_password").update(**change)
    assert report_hash(run) != before


def test_a_rerun_case_is_marked_and_changes_the_hash(run):
    before = report_hash(run)
    run.cases.filter(name="token.wrong_password").update(verdict=DockingCase.Verdict.PASSED, reason="", reruns=2)
    report = report_of(run)
    assert next(c for c in report.cases if c.name == "token.wrong_password").reruns == 2
    assert "其中 1 项经过重测" in report.summary.text
    _reader, pages = pdf_text(report_pdf(run))
    text = "\n".join(pages)
    assert "2 次" in text and "其中 1 项经过重测" in text
    assert report_hash(run) != before



def test_what_a_case_measured_reads_in_one_line():
    from procurement.docking.report import measurements_text

    measured = {"tokens": 1, "calls": {"getMessagePool": {"calls": 5, "p95_ms": 12}, "access_token": {"calls": 1}}}
    assert measurements_text(measured) == "调用（access_token（调用 1），getMessagePool（调用 5，p95 12 毫秒））；tokens 1"
    assert measurements_text({}) == ""


def test_an_interrupted_run_says_why_and_what_was_not_run(run):
    from procurement.docking.models import DockingRun

    run.cases.filter(position__gt=2).update(verdict=DockingCase.Verdict.SKIPPED, reason="测试中断，未完成")
    DockingRun.objects.filter(pk=run.pk).update(status=DockingRun.Status.ERROR, error="测试进程多次中断")
    run.refresh_from_db()
    _reader, pages = pdf_text(report_pdf(run))
    text = "\n".join(pages)
    assert "测试中断" in text and "测试进程多次中断" in text and "未测 2 项" in text
    assert "发起方式" in text and "工作人员" in text
