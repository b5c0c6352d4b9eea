"""The report of a run as a page and as a PDF download: shared by the supplier pages and the staff views."""
from django.http import Http404, HttpResponse
from django.shortcuts import render

from procurement.docking.report import report_hash, report_issued, report_of
from procurement.docking.report_pdf import report_pdf


def report_page(request, run, **context):
    """A finished run's report as issued, with the hash it was issued under; a run still going as it stands."""
    issued = report_issued(run) if run.finished else None
    report = issued or report_of(run)
    digest = run.report_hash if issued else (report_hash(report) if report.finished else "")
    return render(request, "docking/report.html", {"report": report, "digest": digest, **context})


def report_pdf_download(run):
    """The PDF of a finished run (a run still going has no report yet)."""
    if not run.finished:
        raise Http404("测试尚未结束")
    response = HttpResponse(report_pdf(report_issued(run) or run), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="docking-report-{run.supplier.code}-{run.pk}.pdf"'
    return response
