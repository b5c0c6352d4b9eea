"""What every interface served to e-mall suppliers (§7.1) shares: the §6.1 envelope, the token, the document.

The token and platform interfaces live here (procurement/api); the catalog interfaces in catalog/api.
"""
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers

from procurement.api.callers import callers
from procurement.kernel.served import ServedView
from procurement.suppliers.emall.wire import EMALL_ENVELOPE

TAG = "电子卖场 §7.1（电商调用）"


class EmallView(ServedView):
    """A §7.1 interface: answered in the §6.1 envelope."""

    envelope = EMALL_ENVELOPE


class TokenView(EmallView):
    """An interface that needs the token issued by /gyssc/token (as `token` or `access_token`)."""

    def post(self, request):
        self.caller = callers.authenticate(request.data.get("token") or request.data.get("access_token"))
        return super().post(request)


class TokenOnly(serializers.Serializer):
    # Checked before validation (TokenView); declared for the document.
    token = serializers.CharField(required=False, help_text="/gyssc/token 取得的令牌（也可用 access_token）")


def envelope(name, result_serializer):
    """The §6.1 envelope around a result, for the OpenAPI document."""
    return inline_serializer(
        name=name,
        fields={
            "success": serializers.BooleanField(help_text="true 成功；false 失败"),
            "result": result_serializer(required=False),
            "code": serializers.CharField(required=False, help_text="失败时的错误码（见 §6.2）"),
            "desc": serializers.CharField(required=False, help_text="失败时的错误描述"),
        },
    )


def documented(summary, request, result, name):
    return extend_schema_view(
        post=extend_schema(
            summary=summary, tags=[TAG], responses={200: envelope(name, result)},
            request={"application/x-www-form-urlencoded": request, "application/json": request},
        )
    )
