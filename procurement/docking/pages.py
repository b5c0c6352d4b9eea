"""The supplier docking pages: sign in with the supplier API account, set the test environment, start a run,
watch it case by case, re-run a failed case, read and download the report. A supplier sees only its own runs:
another supplier's run is not found (404), whatever the page.
"""
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from procurement.docking.forms import SignInForm, TestEnvironmentForm
from procurement.docking.models import DockingCase, DockingRun
from procurement.docking.pages_session import (
    session_sign_in,
    session_sign_out,
    signed_in_account,
    supplier_page,
)
from procurement.docking.report import report_of
from procurement.docking.report_views import report_page, report_pdf_download
from procurement.docking.services import DockingRefused, case_rerun, run_start
from procurement.docking.words import duration_words
from procurement.kernel.served import caller_address
from procurement.services.accounts import account_sign_in
from procurement.suppliers.emall.wire import WireError
from procurement.suppliers.registry import PROTOCOLS

HISTORY_LENGTH = 50


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sign_in(request):
    if signed_in_account(request):
        return redirect("docking:home")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = account_sign_in(username=form.cleaned_data["username"],
                                      clear_password=form.cleaned_data["password"], caller=caller_address(request))
        except WireError as refused:
            form.add_error(None, refused.desc)
        else:
            session_sign_in(request, account)
            return redirect("docking:home")
    return render(request, "docking/sign_in.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def sign_out(request):
    session_sign_out(request)
    return redirect("docking:sign_in")


@require_GET
@supplier_page
def home(request):
    supplier = request.supplier
    runs = DockingRun.objects.filter(supplier=supplier).order_by("-created_at", "-id")[:HISTORY_LENGTH]
    return render(request, "docking/home.html", {
        "supplier": supplier, "protocol_label": PROTOCOLS[supplier.protocol][0],
        "runs": [(run, duration_words(run.duration_ms)) for run in runs],
        "environment": getattr(supplier, "test_endpoint", None),
    })


@sensitive_post_parameters()  # the declared secrets have protocol-specific names: none is shown in error reports
@require_http_methods(["GET", "POST"])
@supplier_page
def environment(request):
    form = TestEnvironmentForm(request.supplier, request.POST or None)
    if request.method == "POST" and form.is_valid() and form.save():
        messages.success(request, "测试环境已保存")
        return redirect("docking:home")
    return render(request, "docking/environment.html", {"form": form, "supplier": request.supplier},
                  status=400 if form.errors else 200)


@require_POST
@supplier_page
def start(request):
    try:
        run = run_start(request.supplier, via=DockingRun.Via.SUPPLIER, account=request.account.username)
    except DockingRefused as refused:
        messages.error(request, str(refused))
        return redirect("docking:home")
    return redirect("docking:run", run_id=run.pk)


@require_GET
@supplier_page
def run_page(request, run_id):
    run = _own_run(request, run_id)
    report = report_of(run)
    # While anything still runs (the run, or a case re-run after it) the page follows it.
    live = not report.finished or any(c.verdict == DockingCase.Verdict.RUNNING for c in report.cases)
    return render(request, "docking/run.html", {"run": run, "report": report, "live": live,
                                                "rerunnable": _rerunnable(run, report, live)})


@require_GET
@supplier_page
def run_progress(request, run_id):
    """The run as the run page shows it, for its script to follow while it runs."""
    report = report_of(_own_run(request, run_id))
    return JsonResponse({
        "status": report.status, "status_label": report.status_label, "finished": report.finished,
        "duration": report.duration, "summary": report.summary.text,
        "cases": [{"name": c.name, "verdict": c.verdict, "verdict_label": c.verdict_label, "reason": c.reason,
                   "duration": c.duration, "measured": c.measured, "reruns": c.reruns} for c in report.cases],
    }, json_dumps_params={"ensure_ascii": False})


@require_POST
@supplier_page
def rerun(request, run_id, name):
    run = _own_run(request, run_id)
    get_object_or_404(DockingCase, run=run, name=name)
    try:
        case_rerun(run, name, account=request.account.username)
    except DockingRefused as refused:
        messages.error(request, str(refused))
    return redirect("docking:run", run_id=run.pk)


@require_GET
@supplier_page
def report(request, run_id):
    return report_page(request, _own_run(request, run_id))


@require_GET
@supplier_page
def report_pdf(request, run_id):
    return report_pdf_download(_own_run(request, run_id))


def _rerunnable(run, report, live):
    """The cases a supplier may re-run once it fixed them: failed ones, and those not run because of them.
    An interrupted run is started again instead."""
    if live or run.status == DockingRun.Status.ERROR:
        return set()
    return {c.name for c in report.cases if c.verdict in (DockingCase.Verdict.FAILED, DockingCase.Verdict.SKIPPED)}


def _own_run(request, run_id):
    """The run `run_id` of the signed-in supplier; any other is not found."""
    return get_object_or_404(DockingRun.objects.select_related("supplier"), pk=run_id, supplier=request.supplier)

