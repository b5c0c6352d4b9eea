"""Project-level views: health check, and error pages that stay JSON outside the admin."""
from django.http import JsonResponse
from django.views import defaults

from procurement.wire import CUSTOMS_FAIL, ErrorCode, customs_reply, emall_fail, guarantee_reply


def healthz(request):
    """Liveness: the process answers. Kept trivial on purpose (also the baseline of the benchmarks)."""
    return JsonResponse({"status": "ok"})


def _is_admin(request):
    return request.path.startswith("/admin/") or request.path.startswith("/api/docs")


def _is_staff_api(request):
    return request.path.startswith("/api/")


def _envelope(request, message):
    """The error reply of the protocol the path belongs to."""
    if request.path.startswith("/guarantee/"):
        body = guarantee_reply(False, message)
    elif request.path.startswith("/customs/"):
        body = customs_reply(CUSTOMS_FAIL, message)
    else:
        body = emall_fail(ErrorCode.OTHER, message)
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def not_found(request, exception=None):
    if _is_admin(request):
        return defaults.page_not_found(request, exception)
    if _is_staff_api(request):
        return JsonResponse({"detail": f"不存在：{request.path}"}, status=404, json_dumps_params={"ensure_ascii": False})
    return _envelope(request, f"接口不存在：{request.path}")


def server_error(request):
    if _is_admin(request):
        return defaults.server_error(request)
    if _is_staff_api(request):
        return JsonResponse({"detail": "服务器内部错误"}, status=500, json_dumps_params={"ensure_ascii": False})
    return _envelope(request, "系统繁忙，请稍后重试")
