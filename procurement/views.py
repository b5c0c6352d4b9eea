"""Project-level views: health check, and error pages that stay in the protocol's envelope outside the admin."""
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from customs.wire import CUSTOMS_ENVELOPE
from guarantees.wire import GUARANTEE_ENVELOPE
from procurement.suppliers.emall.wire import EMALL_ENVELOPE

# path prefix → the envelope of the protocol served there (the e-mall's §7.1 paths are at the root)
SERVED_PREFIXES = (("/guarantee/", GUARANTEE_ENVELOPE), ("/customs/", CUSTOMS_ENVELOPE), ("/", EMALL_ENVELOPE))


def healthz(request):
    """Liveness: the process answers. Kept trivial on purpose (also the baseline of the benchmarks)."""
    return JsonResponse({"status": "ok"})


def _is_admin(request):
    return request.path.startswith("/admin/") or request.path.startswith("/api/docs")


def _is_staff_api(request):
    return request.path.startswith("/api/")


def envelope_for(path):
    return next(envelope for prefix, envelope in SERVED_PREFIXES if path.startswith(prefix))


def _json(body, status=200):
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # any method on any unknown path gets the envelope, never Django's CSRF page
def not_found(request, exception=None):
    if _is_admin(request):
        return defaults.page_not_found(request, exception)
    if _is_staff_api(request):
        return _json({"detail": f"不存在：{request.path}"}, status=404)
    return _json(envelope_for(request.path).not_found(request.path))


def server_error(request):
    if _is_admin(request):
        return defaults.server_error(request)
    if _is_staff_api(request):
        return _json({"detail": "服务器内部错误"}, status=500)
    return _json(envelope_for(request.path).busy())
