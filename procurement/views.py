"""Project-level views: health check, and error pages that stay in the protocol's envelope outside the admin.

Whatever stops a request before a served view answers it (an unknown path, a refused Host header, a CSRF
check, a bug) is answered here: the admin answers 403 and 404 inside its own frame (procurement/admin_home.py)
and keeps Django's other pages, the supplier docking pages answer with pages of their own
(procurement/docking/pages_errors.py), the staff API gets JSON with an HTTP error status, every other path the
envelope of the protocol served under its prefix.
"""
from django.http import JsonResponse
from django.views import csrf, defaults
from django.views.decorators.csrf import csrf_exempt

from customs.wire import CUSTOMS_ENVELOPE
from guarantees.wire import GUARANTEE_ENVELOPE
from procurement import admin_home
from procurement.docking import pages_errors as docking_pages
from procurement.kernel.served import Refusal
from procurement.suppliers.emall.wire import EMALL_ENVELOPE

# path prefix → the envelope of the protocol served there (the e-mall's §7.1 paths are at the root)
SERVED_PREFIXES = (("/guarantee", GUARANTEE_ENVELOPE), ("/customs", CUSTOMS_ENVELOPE), ("/", EMALL_ENVELOPE))


def healthz(request):
    """Liveness: the process answers. Kept trivial on purpose (also the baseline of the benchmarks)."""
    return JsonResponse({"status": "ok"})


def _is_admin(request):
    return request.path.startswith("/admin/") or request.path.startswith("/api/docs")


def _is_staff_api(request):
    return request.path.startswith("/api/")


def envelope_for(path):
    """The envelope of the protocol served under `path`'s prefix (`/customs` and `/customs/…` alike)."""
    return next(envelope for prefix, envelope in SERVED_PREFIXES
                if path == prefix or path.startswith(prefix.rstrip("/") + "/"))


def _json(body, status=200):
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # any method on any unknown path gets the envelope, never Django's CSRF page
def not_found(request, exception=None):
    if _is_admin(request):
        return admin_home.not_found(request, exception)
    if docking_pages.is_docking_page(request):
        return docking_pages.not_found(request)
    if _is_staff_api(request):
        return _json({"detail": f"不存在：{request.path}"}, status=404)
    return _json(envelope_for(request.path).not_found(request.path))


def bad_request(request, exception=None):
    """A request Django refused before any view (a Host header not in ALLOWED_HOSTS, say)."""
    if _is_admin(request) or docking_pages.is_docking_page(request):
        return defaults.bad_request(request, exception)
    if _is_staff_api(request):
        return _json({"detail": "请求无效"}, status=400)
    return _json(envelope_for(request.path).refused(Refusal("unreadable", "请求无效（Host 等请求头不被接受）")))


def permission_denied(request, exception=None):
    if _is_admin(request):
        return admin_home.denied(request, exception)
    if docking_pages.is_docking_page(request):
        return docking_pages.denied(request)
    if _is_staff_api(request):
        return _json({"detail": "没有权限"}, status=403)
    return _json(envelope_for(request.path).refused(Refusal("unreadable", "请求被拒绝")))


def csrf_failure(request, reason=""):
    """Served views are exempt from CSRF checks; should one ever be made, its callers still get the envelope."""
    if _is_admin(request):
        return csrf.csrf_failure(request, reason)
    if docking_pages.is_docking_page(request):
        return docking_pages.csrf_refused(request)
    if _is_staff_api(request):
        return _json({"detail": f"CSRF 校验失败：{reason}"}, status=403)
    return _json(envelope_for(request.path).refused(Refusal("unreadable", "请求被拒绝（CSRF 校验失败）")))


def server_error(request):
    if _is_admin(request) or docking_pages.is_docking_page(request):
        return defaults.server_error(request)
    if _is_staff_api(request):
        return _json({"detail": "服务器内部错误"}, status=500)
    return _json(envelope_for(request.path).busy())
