"""Base of the staff-authenticated APIs (the trading system and operators calling us).

Authentication by Django session or HTTP Basic over TLS with a staff account; rights by the Django
model permissions of that account's groups, exactly as in the admin.
"""
import logging

from django.db import IntegrityError
from rest_framework import authentication, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from procurement.kernel.statemachine import IllegalTransition

logger = logging.getLogger(__name__)


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

    def handle_exception(self, exc):
        """DRF's errors as usual; an illegal state change or a constraint race is a 409, anything else a
        logged 500 (never a 200)."""
        if isinstance(exc, IllegalTransition):
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        if isinstance(exc, IntegrityError):
            return Response({"detail": "与已有数据冲突（可能是同时提交），请刷新后重试"}, status=status.HTTP_409_CONFLICT)
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
