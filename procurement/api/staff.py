"""Base of the staff-authenticated APIs (the trading system and operators calling us).

Authentication by Django session or HTTP Basic over TLS with a staff account; rights by the Django
model permissions of that account's groups, exactly as in the admin.
"""
from rest_framework import authentication, permissions
from rest_framework.views import APIView


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
