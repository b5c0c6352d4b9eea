"""The platDataOpen request (seed 004 §1.6.1): `openReq` holding JSON {orderNo, sessionID, serviceTime}, or that JSON
as the body."""
import json

from django.core.validators import RegexValidator
from rest_framework import serializers

from customs.wire import CustomsCode, CustomsError

no_control_characters = RegexValidator(r"^[^\x00-\x1f\x7f]+$", "不能包含控制字符")


class OpenRequest(serializers.Serializer):
    orderNo = serializers.CharField(max_length=60, validators=[no_control_characters], help_text="申报订单的订单编号")
    sessionID = serializers.CharField(max_length=100, trim_whitespace=False, validators=[no_control_characters],
                                      help_text="海关发起请求时的会话ID，原样用于上传与加签")
    serviceTime = serializers.IntegerField(min_value=0, max_value=2**63 - 1, help_text="调用时的系统时间（毫秒）")


class OpenRequestForm(serializers.Serializer):
    openReq = serializers.CharField(help_text='JSON 文本：{"orderNo":"…","sessionID":"…","serviceTime":1533271903898}')


class CustomsReply(serializers.Serializer):
    code = serializers.CharField(help_text="10000 成功；20001–21000 见 docs/customs-interface.md")
    message = serializers.CharField(help_text="异常信息，正常时为空")
    serviceTime = serializers.IntegerField(help_text="系统响应时间（毫秒）")


def open_request_document(data):
    """The {orderNo, sessionID, serviceTime} object inside a request body, whichever way it came."""
    document = data.get("openReq", data) if hasattr(data, "get") else data
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError as exc:
            raise CustomsError(CustomsCode.MALFORMED_REQUEST, f"openReq 不是合法的 JSON（{exc.msg}）") from None
    if not isinstance(document, dict):
        raise CustomsError(CustomsCode.MALFORMED_REQUEST, "openReq 应为 JSON 对象 {orderNo, sessionID, serviceTime}")
    return document
