"""Project-level views: health check, and error pages that stay JSON outside the admin."""
from django.http import JsonResponse
from django.views import defaults

from procurement.wire import ErrorCode, emall_fail


def healthz(request):
    """Liveness: the process answers. Kept trivial on purpose (also the baseline of the benchmarks)."""
    return JsonResponse({"status": "ok"})


def _is_admin(request):
    return request.path.startswith("/admin/") or request.path.startswith("/api/docs")


def not_found(request, exception=None):
    if _is_admin(request):
        return defaults.page_not_found(request, exception)
    return JsonResponse(emall_fail(ErrorCode.OTHER, f"接口不存在：{request.path}"), json_dumps_params={"ensure_ascii": False})


def server_error(request):
    if _is_admin(request):
        return defaults.server_error(request)
    return JsonResponse(emall_fail(ErrorCode.OTHER, "系统繁忙，请稍后重试"), json_dumps_params={"ensure_ascii": False})
