"""The customs real-time data wire format (seed 004): reply codes, the compact JSON that is signed, trading times."""
import json
import re
from datetime import datetime
from decimal import Decimal
from enum import Enum

from procurement.kernel.parsers import ReadableJSONDecoder
from procurement.kernel.served import Envelope
from procurement.kernel.wire import SHANGHAI, epoch_ms, epoch_ms_now

CUSTOMS_TRADING_TIME_FORMAT = "%Y%m%d%H%M%S"
TRADING_TIME_RE = re.compile(r"[0-9]{14}")

CUSTOMS_OK = "10000"
CUSTOMS_FAIL = "20000"

# The moments customs' times may name (serviceTime, tradingTime), Beijing time, the end excluded. Outside
# them a value is a mistake (0, year 1, 292 million years ahead), refused as such, never stored.
CUSTOMS_EARLIEST = datetime(2000, 1, 1, tzinfo=SHANGHAI)
CUSTOMS_LATEST = datetime(2100, 1, 1, tzinfo=SHANGHAI)
CUSTOMS_SPAN_TEXT = "2000-01-01 00:00:00 至 2099-12-31 23:59:59（北京时间）"
EARLIEST_MS, LATEST_MS = epoch_ms(CUSTOMS_EARLIEST), epoch_ms(CUSTOMS_LATEST)


class CustomsCode(Enum):
    """Our codes in the §1.6.4 range 20001–21000 (docs/customs-interface.md lists them).

    20001–20009 are what our platDataOpen answers; 20011–20019 are what the sandbox customs answers
    to an upload it refuses (the real customs answers 20000 or its own 2xxxx with a message).
    """

    MALFORMED_REQUEST = "20001"
    MISSING_PARAMETER = "20002"
    BAD_PARAMETER = "20003"
    UNKNOWN_ORDER = "20004"
    SESSION_CONFLICT = "20005"
    CALLER_NOT_ALLOWED = "20006"
    RATE_LIMITED = "20007"
    BUSY = "20009"
    UNREADABLE_UPLOAD = "20011"
    INVALID_FIELD = "20012"
    BAD_SIGNATURE = "20013"
    UNKNOWN_CERTIFICATE = "20014"
    DUPLICATE_GUID = "20015"

    @property
    def label(self):
        return _CUSTOMS_LABELS[self]


_CUSTOMS_LABELS = {
    CustomsCode.MALFORMED_REQUEST: "请求报文无法解析",
    CustomsCode.MISSING_PARAMETER: "必填参数为空",
    CustomsCode.CALLER_NOT_ALLOWED: "调用方地址不在允许范围内",
    CustomsCode.RATE_LIMITED: "调用过于频繁，请稍后重试",
    CustomsCode.BAD_PARAMETER: "参数格式错误",
    CustomsCode.UNKNOWN_ORDER: "订单不存在",
    CustomsCode.SESSION_CONFLICT: "sessionID 已用于其他订单",
    CustomsCode.BUSY: "系统繁忙，请稍后重试",
    CustomsCode.UNREADABLE_UPLOAD: "payExInfoStr 无法解析",
    CustomsCode.INVALID_FIELD: "数据不符合接口格式要求",
    CustomsCode.BAD_SIGNATURE: "验签失败",
    CustomsCode.UNKNOWN_CERTIFICATE: "证书未登记",
    CustomsCode.DUPLICATE_GUID: "系统唯一序号重复",
}


class CustomsError(Exception):
    """A customs request or upload refused with a §1.6.4 code and a message."""

    def __init__(self, code, message=None):
        self.code = code
        self.message = message or code.label
        super().__init__(f"{code.value} {self.message}")


def customs_reply(code, message="", service_time_ms=None):
    return {"code": code, "message": message, "serviceTime": service_time_ms or epoch_ms_now()}


def is_customs_error_code(code):
    """20000 and 20001–21000 are the failure codes of §1.6.4."""
    return isinstance(code, str) and code.isdigit() and 20000 <= int(code) <= 21000


def customs_amount_text(amount):
    """A Decimal as the JSON number customs receives: fixed point, no exponent, no trailing zeros.

    2000.00000 → 2000, 88.80000 → 88.8, 0.00001 → 0.00001. The value is never a float, so what is
    stored is exactly what is signed and sent.
    """
    text = format(amount.normalize(), "f")
    return "0" if text in ("-0", "") else text


def customs_json(value):
    """Compact JSON (no spaces, non-ASCII as is), Decimals written as exact numbers (customs_amount_text).

    The text this returns is what goes both into the sign source and into payExInfoStr.
    """
    if isinstance(value, dict):
        return "{" + ",".join(f"{_json_string(k)}:{customs_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(customs_json(v) for v in value) + "]"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite amount: {value}")
        return customs_amount_text(value)
    if isinstance(value, float):
        raise TypeError("amounts are Decimal, never float")
    return json.dumps(value, ensure_ascii=False)


def _json_string(text):
    return json.dumps(str(text), ensure_ascii=False)


def customs_sign_source(session_id, head_text, lists_text, service_time_ms):
    """The `||`-joined first-level nodes that are signed (seed 004 §1.4, DESIGN "Crypto and signing")."""
    return (
        f'"sessionID":"{session_id}"||"payExchangeInfoHead":"{head_text}"'
        f'||"payExchangeInfoLists":"{lists_text}"||"serviceTime":"{service_time_ms}"'
    )


def customs_pay_ex_info(session_id, head_text, lists_text, service_time_ms, cert_no, sign_value):
    """payExInfoStr: the very texts that were signed, embedded as they are, then certNo and signValue."""
    return (
        f'{{"sessionID":{_json_string(session_id)},"payExchangeInfoHead":{head_text},'
        f'"payExchangeInfoLists":{lists_text},"serviceTime":{int(service_time_ms)},'
        f'"certNo":{_json_string(cert_no)},"signValue":{_json_string(sign_value)}}}'
    )


def parse_customs_json(text):
    """Customs JSON → Python, numbers with a fraction as Decimal (never float); ValueError for any unreadable text."""
    return json.loads(text, parse_float=Decimal, cls=ReadableJSONDecoder)


def within_customs_span(moment):
    return CUSTOMS_EARLIEST <= moment < CUSTOMS_LATEST


def format_trading_time(moment):
    return moment.astimezone(SHANGHAI).strftime(CUSTOMS_TRADING_TIME_FORMAT)


def parse_trading_time(text):
    """Customs `yyyyMMddHHmmss` in Beijing time → aware datetime; ValueError on anything else."""
    if not isinstance(text, str) or not TRADING_TIME_RE.fullmatch(text):
        raise ValueError(f"not yyyyMMddHHmmss: {text!r}")
    return datetime.strptime(text, CUSTOMS_TRADING_TIME_FORMAT).replace(tzinfo=SHANGHAI)


class CustomsEnvelope(Envelope):
    """`{"code": "10000"|"2xxxx", "message", "serviceTime"}` (§1.6.4); our refusals in 20001–20009."""

    def ok(self, result):
        code, message = result
        return customs_reply(code, message)

    def own_failure(self, exc):
        return customs_reply(exc.code.value, exc.message) if isinstance(exc, CustomsError) else None

    def not_found(self, path):
        return customs_reply(CUSTOMS_FAIL, f"接口不存在：{path}")

    def refused(self, refusal):
        code = {"missing": CustomsCode.MISSING_PARAMETER, "invalid": CustomsCode.BAD_PARAMETER,
                "internal": CustomsCode.BUSY}.get(refusal.kind, CustomsCode.MALFORMED_REQUEST)
        message = refusal.message
        if refusal.kind == "invalid":
            message = "参数格式错误：" + message
        elif refusal.kind == "internal":
            message = CustomsCode.BUSY.label
        return customs_reply(code.value, message)


CUSTOMS_ENVELOPE = CustomsEnvelope()
