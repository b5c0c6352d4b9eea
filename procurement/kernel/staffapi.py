"""Base of the staff-authenticated APIs (the trading system and operators calling us).

Authentication by Django session or HTTP Basic over TLS with a staff account; rights by the Django
model permissions of that account's groups, exactly as in the admin.
"""
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import IntegrityError
from rest_framework import authentication, exceptions, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from procurement.kernel.parsers import StrictFormParser, StrictJSONParser, StrictMultiPartParser
from procurement.kernel.served import OUT_OF_RANGE_MESSAGE
from procurement.kernel.statemachine import IllegalTransition

logger = logging.getLogger(__name__)


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def check_body_size(request, limit):
    """Refuse a body longer than `limit` by its Content-Length, before a byte of it is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise BodyTooLarge(f"请求体超过 {limit} 字节的上限")


def _locked_out():
    """A login refused because its username or address is locked: 429, with when to try again."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    return Response({"detail": settings.AXES_COOLOFF_MESSAGE}, status=status.HTTP_429_TOO_MANY_REQUESTS,
                    headers={"Retry-After": str(seconds)})


def _unreadable(exc):
    """The 4xx answer for what a caller's body did to Django's own parsing (or a column), None for the rest."""
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return Response({"detail": "请求体无法解析：字段过多"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": "请求体过大"}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, OverflowError):
        logger.warning("staff API refused a value out of range: %s", exc)
        return Response({"detail": OUT_OF_RANGE_MESSAGE}, status=status.HTTP_400_BAD_REQUEST)
    return None


class StaffModelPermissions(permissions.DjangoModelPermissions):
    """Staff only; reads need the view permission, writes the add/change permission."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_staff) and super().has_permission(request, view)


class StaffAPIView(APIView):
    """Subclasses set `queryset` (whose model's permissions apply) and input/output serializers."""

    authentication_classes = [authentication.SessionAuthentication, authentication.BasicAuthentication]
    permission_classes = [StaffModelPermissions]
    # The served interfaces' parsers: a body no parser can read is a 400 naming why, never a 500.
    parser_classes = [StrictJSONParser, StrictFormParser, StrictMultiPartParser]

    def initial(self, request, *args, **kwargs):
        check_body_size(request, settings.STAFF_API_MAX_BODY_BYTES)  # before authentication reads a form body
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        """DRF's errors as usual; an illegal state change or a constraint race is a 409, an unreadable body a
        400 or 413, anything else a logged 500 (never a 200)."""
        if getattr(self.request, "axes_locked_out", False):  # set by django-axes on a locked login
            return _locked_out()
        if isinstance(exc, IllegalTransition):
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        if isinstance(exc, IntegrityError):
            return Response({"detail": "与已有数据冲突（可能是同时提交），请刷新后重试"}, status=status.HTTP_409_CONFLICT)
        unreadable = _unreadable(exc)
        if unreadable is not None:
            return unreadable
        try:
            return super().handle_exception(exc)
        except Exception:
            logger.exception("staff API %s failed", type(self).__name__)
            return Response({"detail": "服务器内部错误"}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def valid_input(serializer_class, data):
    """The validated data of `data` (a 400 with the field errors otherwise), as a plain dict."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
