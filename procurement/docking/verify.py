"""Whether a docking test report is genuine: by its content hash, or by the PDF itself.

Every report issued is kept as issued (DockingReport: its hash and canonical text). A hash is genuine when it is
one of them; when a case was re-run since, the report is genuine but superseded, and the page says which report
replaced it. A PDF is genuine when the hash printed in it is genuine and its text is the text of that report as
issued: an edited PDF keeps the original hash but not the original text.
"""
import re
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader

from procurement.docking.models import DockingReport, DockingRun
from procurement.docking.report import report_from_text
from procurement.docking.report_pdf import report_pdf

HASH = re.compile(r"\b[0-9a-f]{64}\b")
# Our reports are a few pages; a file far beyond that is not one of them, and is not parsed.
MAX_PAGES = 60
# A report prints one hash (on every page); a file printing more than this many is looked up by its first ones only.
MAX_HASHES = 20


class Outcome:
    GENUINE = "genuine"        # a report we issued, saying what our record says
    ALTERED = "altered"        # carries a genuine hash, but its text is not our report's
    SUPERSEDED = "superseded"  # a report we issued, replaced since by the report after a re-run
    UNKNOWN = "unknown"        # not a hash (or a file) of any report we issued
    UNREADABLE = "unreadable"  # not a PDF we could read


@dataclass(frozen=True)
class Verification:
    outcome: str
    message: str
    digest: str = ""
    run: DockingRun | None = None
    report: object = None

    @property
    def genuine(self):
        return self.outcome == Outcome.GENUINE


def verify_hash(text):
    """Check a pasted report hash."""
    digest = (text or "").strip().lower()
    if not HASH.fullmatch(digest):
        return Verification(Outcome.UNKNOWN, "校验码应为 64 位十六进制字符（SHA-256）", digest)
    issued = DockingReport.objects.select_related("run").filter(digest=digest).first()
    if issued is None:
        return Verification(Outcome.UNKNOWN, "未找到该校验码对应的报告：它不是电子卖场出具的报告", digest)
    run, report = issued.run, report_from_text(issued.text)
    if run.report_hash != digest:
        return Verification(Outcome.SUPERSEDED, "这是电子卖场出具的报告，但该次测试此后有用例重测，已出具新的报告"
                                                f"（校验码 {run.report_hash}），请以新报告为准", digest, run, report)
    return Verification(Outcome.GENUINE, "这是电子卖场出具的对接测试报告", digest, run, report)


def verify_pdf(data):
    """Check an uploaded report file (bytes)."""
    text = pdf_text(data)
    if text is None:
        return Verification(Outcome.UNREADABLE, "无法读取该文件：请上传电子卖场下载的 PDF 报告")
    printed = list(dict.fromkeys(HASH.findall(text)))[:MAX_HASHES]
    ours = DockingReport.objects.filter(digest__in=printed).values_list("digest", flat=True).first()
    if ours is None:
        message = "文件中的报告校验码不属于电子卖场出具的任何报告" if printed else "文件中没有找到报告校验码"
        return Verification(Outcome.UNKNOWN, message, printed[0] if printed else "")
    known = verify_hash(ours)
    if _normalised(text) != _normalised(pdf_text(report_pdf(known.report))):
        return Verification(Outcome.ALTERED, "文件印有真实的报告校验码，但内容与电子卖场出具的报告不一致："
                                             "该文件已被修改", known.digest, known.run, known.report)
    if not known.genuine:
        return known
    return Verification(Outcome.GENUINE, "这是电子卖场出具的对接测试报告，文件内容与出具时一致",
                        known.digest, known.run, known.report)


def pdf_text(data):
    """The text of a PDF, page after page, or None when it is not a PDF we can read."""
    try:
        reader = PdfReader(BytesIO(data))
        if len(reader.pages) > MAX_PAGES:
            return None
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception:  # noqa: BLE001 - an uploaded file is anyone's: pypdf fails on broken ones in many ways
        return None


def _normalised(text):
    return " ".join((text or "").split())
