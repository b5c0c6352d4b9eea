"""The report check page: anyone holding a report can tell a genuine one from an unknown or edited one."""
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from procurement.docking import report_pdf as pdf_module
from procurement.docking.models import DockingCase
from procurement.docking.report_pdf import report_pdf
from procurement.docking.verify import Outcome, pdf_text, verify_hash, verify_pdf
from procurement.models import Supplier
from tests.docking.report_rows import finished_run, store_report_hash
from tests.procurement.factories import SupplierFactory

pytestmark = pytest.mark.django_db
URL = "/docking/verify/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Each test counts its own checks (the throttle lives in the cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def run():
    return finished_run(SupplierFactory(name="津门办公用品有限公司", code="JMBG01"))


def forged(run, **case_change):
    """A PDF a forger made: the run's genuine hash printed over content the record does not say."""
    genuine = run.report_hash
    original = {k: getattr(run.cases.get(name="token.wrong_password"), k) for k in case_change}
    run.cases.filter(name="token.wrong_password").update(**case_change)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_module, "report_hash", lambda report: genuine)
        data = report_pdf(run)
    run.cases.filter(name="token.wrong_password").update(**original)
    return data


def post(client, **data):
    return client.post(URL, data)


def test_a_genuine_hash_names_the_run_supplier_verdict_and_date(client, run):
    reply = post(client, digest=f"  {run.report_hash.upper()} ")
    page = reply.content.decode()
    assert reply.status_code == 200
    assert "这是电子卖场出具的对接测试报告" in page
    assert "津门办公用品有限公司（JMBG01）" in page and f"<td>{run.pk}</td>" in page
    assert "未通过" in page and run.started_at.astimezone().strftime("%Y-%m-%d") in page


def test_an_unknown_hash_is_not_a_report_of_ours(client, run):
    page = post(client, digest="0" * 64).content.decode()
    assert "未找到该校验码对应的报告" in page and "津门办公用品有限公司" not in page
    assert "64 位十六进制" in post(client, digest="not-a-hash").content.decode()


def test_a_report_stays_genuine_as_issued_when_the_supplier_is_renamed_later(client, run):
    digest = run.report_hash
    Supplier.objects.filter(pk=run.supplier_id).update(name="津门办公集团")

    assert verify_hash(digest).genuine
    page = post(client, digest=digest).content.decode()
    assert "津门办公用品有限公司（JMBG01）" in page and "津门办公集团" not in page


def test_a_report_superseded_by_a_rerun_is_ours_and_names_the_new_one(client, run):
    old_pdf, old = report_pdf(run), run.report_hash
    run.cases.filter(name="token.wrong_password").update(verdict=DockingCase.Verdict.PASSED, reruns=1)
    new = store_report_hash(run)

    superseded = verify_hash(old)
    assert superseded.outcome == Outcome.SUPERSEDED and new in superseded.message
    assert superseded.report.summary.failed_required == 1  # what that report said when it was issued
    assert verify_pdf(old_pdf).outcome == Outcome.SUPERSEDED
    assert verify_hash(new).genuine
    assert "已出具新的报告" in post(client, digest=old).content.decode()


def test_a_genuine_pdf_matches_the_record(client, run):
    upload = SimpleUploadedFile("report.pdf", report_pdf(run), content_type="application/pdf")
    page = client.post(URL, {"report": upload}).content.decode()
    assert "文件内容与出具时一致" in page and "津门办公用品有限公司" in page


def test_a_genuine_pdf_saved_again_by_another_tool_still_matches(run):
    writer = PdfWriter(clone_from=BytesIO(report_pdf(run)))
    writer.add_metadata({"/Producer": "someone's PDF editor"})
    out = BytesIO()
    writer.write(out)
    assert verify_pdf(out.getvalue()).genuine


@pytest.mark.parametrize("change", [
    {"verdict": DockingCase.Verdict.PASSED, "reason": ""},  # a failed case turned into a pass
    {"duration_ms": 1},
])
def test_an_edited_pdf_with_the_original_hash_is_caught(client, run, change):
    upload = SimpleUploadedFile("report.pdf", forged(run, **change), content_type="application/pdf")
    page = client.post(URL, {"report": upload}).content.decode()
    assert "该文件已被修改" in page
    assert "文件内容与出具时一致" not in page


def edited(data, old, new):
    """The file with every `old` text shown on its pages replaced by `new`, bytes edited as a PDF editor would."""
    font = UnicodeCIDFont(pdf_module.FONT)
    before, after = (f"({font.formatForPdf(words)})".encode("latin-1") for words in (old, new))
    writer = PdfWriter(clone_from=BytesIO(data))
    for page in writer.pages:
        content = page.get_contents().get_data()
        stream = DecodedStreamObject()
        stream.set_data(content.replace(before, after))
        page.replace_contents(stream)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_verdict_edited_inside_the_genuine_file_is_caught(run):
    data = edited(report_pdf(run), "未通过", "通过")
    assert run.report_hash in pdf_text(data) and "结论 通过" in " ".join(pdf_text(data).split())
    verification = verify_pdf(data)
    assert verification.outcome == Outcome.ALTERED and verification.run == run


def test_files_that_are_not_our_reports(client, run):
    assert verify_pdf(b"%PDF-1.4 garbage").outcome == Outcome.UNREADABLE
    assert verify_pdf(b"").outcome == Outcome.UNREADABLE
    blank = BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(blank)
    assert verify_pdf(blank.getvalue()).message == "文件中没有找到报告校验码"


def test_a_file_larger_than_any_report_is_refused_unread(run):
    """Refused on its announced length, before even the CSRF check reads (and spools) the body."""
    from django.test import Client

    upload = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (3 * 1024 * 1024), content_type="application/pdf")
    reply = Client(enforce_csrf_checks=True).post(URL, {"report": upload})
    assert reply.status_code == 413 and "这不是电子卖场出具的报告" in reply.content.decode()


def test_checks_from_one_address_are_rate_limited(client, run, settings):
    from procurement.docking.views import VERIFY_THROTTLE

    for _ in range(VERIFY_THROTTLE.limit):
        assert post(client, digest=run.report_hash).status_code == 200
    reply = post(client, digest=run.report_hash)
    assert reply.status_code == 429 and "核验次数过多" in reply.content.decode()


def test_the_page_needs_no_sign_in_and_posts_carry_csrf(run):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get(URL)
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    refused = strict.post(URL, {"digest": run.report_hash})
    assert refused.status_code == 403 and "这是电子卖场出具的对接测试报告" not in refused.content.decode()
    token = page.cookies["csrftoken"].value
    checked = strict.post(URL, {"digest": run.report_hash, "csrfmiddlewaretoken": token})
    assert "这是电子卖场出具的对接测试报告" in checked.content.decode()


def test_a_file_printing_many_hashes_is_looked_up_in_one_query(run):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from reportlab.pdfgen.canvas import Canvas

    out = BytesIO()
    page = Canvas(out)
    for line in range(50):
        page.drawString(20, 800 - 15 * line, f"{line:064x}")
    page.save()

    with CaptureQueriesContext(connection) as queries:
        verification = verify_pdf(out.getvalue())

    assert verification.outcome == Outcome.UNKNOWN and len(queries) == 1
