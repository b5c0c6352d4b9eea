"""The platDataOpen request (seed 004 §1.6.1): `openReq` holding JSON {orderNo, sessionID, serviceTime}, or that JSON
as the body."""
import json

from django.core.validators import RegexValidator
from rest_framework import serializers

from customs.wire import (
    CUSTOMS_SPAN_TEXT,
    EARLIEST_MS,
    LATEST_MS,
    CustomsCode,
    CustomsError,
)
from procurement.kernel.parsers import ReadableJSONDecoder

no_control_characters = RegexValidator(r"^[^\x00-\x1f\x7f]+$", "不能包含控制字符")


class EpochMillisField(serializers.IntegerField):
    """A moment as epoch milliseconds (the seed's Long), a JSON number or a string of digits, within the span
    customs' times may name (customs.wire.CUSTOMS_EARLIEST…CUSTOMS_LATEST)."""

    default_error_messages = {
        "invalid": "应为毫秒时间戳（整数，如 1533271903898）",
        "max_string_length": "过长：应为毫秒时间戳（整数，如 1533271903898）",
        "out_of_span": f"应为 {CUSTOMS_SPAN_TEXT} 之间的毫秒时间戳，实为 {{value}}",
    }

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not EARLIEST_MS <= value < LATEST_MS:
            text = str(value)
            self.fail("out_of_span", value=text if len(text) <= 24 else text[:24] + "…")
        return value


class OpenRequest(serializers.Serializer):
    orderNo = serializers.CharField(max_length=60, validators=[no_control_characters], help_text="申报订单的订单编号")
    sessionID = serializers.CharField(max_length=100, trim_whitespace=False, validators=[no_control_characters],
                                      help_text="海关发起请求时的会话ID，原样用于上传与加签")
    serviceTime = EpochMillisField(help_text="调用时的系统时间（毫秒），2000–2099 年之间")


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
            document = json.loads(document, cls=ReadableJSONDecoder)
        except ValueError as exc:
            raise CustomsError(CustomsCode.MALFORMED_REQUEST, f"openReq 不是合法的 JSON（{exc.msg}）") from None
    if not isinstance(document, dict):
        raise CustomsError(CustomsCode.MALFORMED_REQUEST, "openReq 应为 JSON 对象 {orderNo, sessionID, serviceTime}")
    return document
