"""The report of a docking run as a PDF (reportlab): A4, Chinese in the built-in STSong-Light CID font (no font file
to ship, and its text extracts), the case table, the content hash on every page. Rendered `invariant`, so the
same report gives the same bytes.
"""
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from procurement.docking.report import Report, report_hash, report_of

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

MARGIN = 15 * mm
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13, wordWrap="CJK")
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=11)
TITLE = ParagraphStyle("title", parent=BODY, fontSize=16, leading=22, alignment=TA_CENTER, spaceAfter=4 * mm)
HEADING = ParagraphStyle("heading", parent=BODY, fontSize=11, leading=16, spaceBefore=4 * mm, spaceAfter=2 * mm)
VERDICT_COLOURS = {"passed": "#1a7f37", "failed": "#c62828"}
# 序号, 用例, 必测, 结果, 耗时, 重测, 说明: the widths fill A4 between the margins.
CASE_COLUMNS = (10 * mm, 50 * mm, 10 * mm, 14 * mm, 16 * mm, 13 * mm, 67 * mm)
GRID = [("FONT", (0, 0), (-1, -1), FONT, 8), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]


def report_pdf(run_or_report):
    """The PDF bytes of a run's report (or of a Report, such as one as it was issued)."""
    report = run_or_report if isinstance(run_or_report, Report) else report_of(run_or_report)
    digest = report_hash(report)
    out = BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN + 6 * mm,
        title=f"{report.title} #{report.run_id}", author="天津市政府采购中心 电子卖场", subject=f"报告校验码 {digest}",
        creator="procurement docking", invariant=1,
    )
    footer = _footer(digest)
    document.build(_story(report, digest), onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _story(report, digest):
    return [
        Paragraph(escape(report.title), TITLE),
        _facts(report, digest),
        Paragraph("测试用例", HEADING),
        _cases(report),
        Paragraph("汇总", HEADING),
        Paragraph(escape(f"结论：{report.status_label}。{report.summary.text}。"), BODY),
        Spacer(1, 3 * mm),
        Paragraph(escape("核验：在电子卖场的「对接测试报告核验」页面（/docking/verify/）粘贴本报告校验码或上传本文件，"
                         "可确认报告是否由电子卖场出具、内容是否与记录一致。"), SMALL),
    ]


def _facts(report, digest):
    rows = [
        ("电商", f"{report.supplier_name}（{report.supplier_code}）"),
        ("对接协议", report.protocol_label),
        ("接口规范版本", report.contract_version),
        ("测试编号", str(report.run_id)),
        ("开始时间", report.started_at),
        ("结束时间", report.finished_at),
        ("耗时", report.duration),
        ("发起方式", report.started_via),
        ("结论", report.status_label),
        *([("中断原因", report.error)] if report.error else []),
        ("报告校验码", digest),
    ]
    table = Table([[Paragraph(escape(k), BODY), Paragraph(escape(v), BODY)] for k, v in rows],
                  colWidths=(28 * mm, sum(CASE_COLUMNS) - 28 * mm))
    table.setStyle(TableStyle(GRID[:3]))
    return table


def _cases(report):
    head = [Paragraph(h, SMALL) for h in ("序号", "用例", "必测", "结果", "耗时", "重测", "说明")]
    rows = [head] + [_case_row(case) for case in report.cases]
    table = LongTable(rows, colWidths=CASE_COLUMNS, repeatRows=1)
    table.setStyle(TableStyle(GRID))
    return table


def _case_row(case):
    colour = VERDICT_COLOURS.get(case.verdict, "#555555")
    explained = escape(case.reason or "—") + (f"<br/>测量：{escape(case.measured)}" if case.measured else "")
    return [
        Paragraph(str(case.position), SMALL),
        Paragraph(f"{escape(case.title)}<br/>{escape(case.name)}<br/>{escape(case.clause)}", SMALL),
        Paragraph("是" if case.required else "否", SMALL),
        Paragraph(f'<font color="{colour}">{escape(case.verdict_label)}</font>', SMALL),
        Paragraph(escape(case.duration), SMALL),
        Paragraph(f"{case.reruns} 次" if case.reruns else "—", SMALL),
        Paragraph(explained.replace("\n", "<br/>"), SMALL),
    ]


def _footer(digest):
    def draw(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.drawString(MARGIN, MARGIN, f"报告校验码（SHA-256）：{digest}")
        canvas.drawRightString(A4[0] - MARGIN, MARGIN, f"第 {document.page} 页")
        canvas.restoreState()

    return draw
