"""The report check page (anyone holding a report, no sign-in) and the staff views of any supplier's report."""
from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from procurement.docking.forms import VERIFY_MAX_BYTES, VerifyForm
from procurement.docking.models import DockingRun
from procurement.docking.pages_errors import denied
from procurement.docking.pages_session import own_not_found
from procurement.docking.report_views import report_page, report_pdf_download
from procurement.docking.verify import verify_hash, verify_pdf
from procurement.kernel.served import caller_address
from procurement.kernel.throttle import Throttle

# Checks per address: a pasted hash costs a lookup, an upload a PDF parse and a report rendered again.
VERIFY_THROTTLE = Throttle("docking-verify", limit=30, window_seconds=10 * 60)
STAFF_PERMISSION = "procurement.view_dockingrun"
# The multipart framing and the other fields around an uploaded file.
FORM_OVERHEAD_BYTES = 16 * 1024


@csrf_exempt  # CSRF is checked in _verify, after the checks that must come before anything reads the body
@require_http_methods(["GET", "POST"])
def verify(request):
    """Paste a hash or upload a PDF. Refused before the body is read (by this view or by the CSRF check): too many
    checks from one address, or a body larger than any report of ours."""
    if request.method == "POST":
        if not VERIFY_THROTTLE.hit(caller_address(request)):
            return _verify_page(request, VerifyForm(), status=429,
                                refused=f"核验次数过多，请于 {VERIFY_THROTTLE.retry_after()} 秒后再试")
        if _body_length(request) > VERIFY_MAX_BYTES + FORM_OVERHEAD_BYTES:
            return _verify_page(request, VerifyForm(), status=413,
                                refused=f"文件超过 {VERIFY_MAX_BYTES // 1024 // 1024} MB：这不是电子卖场出具的报告")
    return _verify(request)


@csrf_protect
def _verify(request):
    if request.method == "GET":
        return _verify_page(request, VerifyForm())
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _verify_page(request, form, status=400)
    upload = form.cleaned_data["report"]
    verification = verify_pdf(upload.read()) if upload else verify_hash(form.cleaned_data["digest"])
    return _verify_page(request, form, verification=verification)


def _verify_page(request, form, *, verification=None, refused="", status=200):
    return render(request, "docking/verify.html", {"form": form, "verification": verification, "refused": refused},
                  status=status)


def _body_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def staff_with_permission(view):
    """Staff with the right to see docking runs; others signed in as staff get a 403 page."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm(STAFF_PERMISSION):
            return denied(request)
        return view(request, *args, **kwargs)

    return staff_member_required(checked)


@require_GET
@staff_with_permission
@own_not_found
def staff_report(request, run_id):
    return report_page(request, _run(run_id), staff=True)


@require_GET
@staff_with_permission
@own_not_found
def staff_report_pdf(request, run_id):
    return report_pdf_download(_run(run_id))


def _run(run_id):
    return get_object_or_404(DockingRun.objects.select_related("supplier"), pk=run_id)
