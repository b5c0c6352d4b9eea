"""Wire formats: envelopes, error codes and time formats of every protocol, spelled here and nowhere else."""
import json
import re
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

WIRE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
WIRE_DATE_FORMAT = "%Y-%m-%d"
CUSTOMS_TRADING_TIME_FORMAT = "%Y%m%d%H%M%S"
_WIRE_TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_WIRE_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
TRADING_TIME_RE = re.compile(r"[0-9]{14}")


class WireError(Exception):
    """An inbound request the e-mall interface refuses, with the §6.2 code to answer."""

    def __init__(self, code, desc=None):
        self.code = code
        self.desc = desc or code.label
        super().__init__(f"{code.value} {self.desc}")


class ErrorCode(Enum):
    """E-mall standard §6.2 error codes."""

    TIMESTAMP_FORMAT = "5001"
    UNKNOWN_USER = "5002"
    WRONG_PASSWORD = "5003"
    BAD_SIGN = "5004"
    TOKEN_EXPIRED = "5005"
    MISSING_PARAMETER = "5006"
    UNKNOWN_CATEGORY = "5007"
    CATEGORY_NOT_GIVEN = "5008"
    CATEGORY_CHANGED = "5010"
    NO_CATEGORY_PARAMS = "5011"
    CATEGORY_PARAMS_UNREADABLE = "5012"
    UNKNOWN_PLATFORM = "5013"
    BAD_PRODUCT_LINK = "5014"
    BAD_MEDIA_FORMAT = "5015"
    OTHER = "5099"

    @property
    def label(self):
        return _ERROR_LABELS[self]


_ERROR_LABELS = {
    ErrorCode.TIMESTAMP_FORMAT: "时间戳格式错误",
    ErrorCode.UNKNOWN_USER: "用户名不存在",
    ErrorCode.WRONG_PASSWORD: "用户名或密码错误",
    ErrorCode.BAD_SIGN: "签名错误，请检查后重试",
    # The standard requires "token_expired" in desc whenever a token is refused.
    ErrorCode.TOKEN_EXPIRED: "token过期(token_expired)",
    ErrorCode.MISSING_PARAMETER: "必填参数为空",
    ErrorCode.UNKNOWN_CATEGORY: "品目信息不存在",
    ErrorCode.CATEGORY_NOT_GIVEN: "请传入品目id或interfaceCode",
    ErrorCode.CATEGORY_CHANGED: "品目数据已更新，请重新获取品目！",
    ErrorCode.NO_CATEGORY_PARAMS: "未查询到品目参数",
    ErrorCode.CATEGORY_PARAMS_UNREADABLE: "获取品目参数项数据失败",
    ErrorCode.UNKNOWN_PLATFORM: "platformCode无效",
    ErrorCode.BAD_PRODUCT_LINK: "商品链接不合法",
    ErrorCode.BAD_MEDIA_FORMAT: "图片/文档格式错误",
    ErrorCode.OTHER: "其它",
}

TOKEN_EXPIRED_MARK = "token_expired"


# --- e-mall standard (seed 000 §6.1) -------------------------------------------------------------

def emall_ok(result):
    return {"success": True, "result": result}


def emall_fail(code, desc=None):
    desc = desc or code.label
    if code is ErrorCode.TOKEN_EXPIRED and TOKEN_EXPIRED_MARK not in desc:
        desc = f"{desc}(token_expired)"
    # The standard forbids line breaks in replies: they break some suppliers' parsers.
    return {"success": False, "desc": " ".join(desc.split()), "code": code.value}


# Lists in the supplier contract (docs/supplier-contract.md): SKU codes and message ids joined by commas,
# at most EMALL_BATCH_MAX in one call.
EMALL_LIST_SEPARATOR = ","
EMALL_BATCH_MAX = 100
# Shelf state (§7.2.6) and pool membership (§6.3 type 6) on the wire.
EMALL_STATE_ON = 1
EMALL_STATE_OFF = 0


def emall_split_list(text):
    """`a,b, c` → ["a", "b", "c"]: the contract's comma-joined lists, blanks dropped."""
    return [part.strip() for part in str(text or "").split(EMALL_LIST_SEPARATOR) if part.strip()]


def emall_reply_is_token_expired(reply):
    return (
        isinstance(reply, dict)
        and reply.get("success") is False
        and (str(reply.get("code")) == ErrorCode.TOKEN_EXPIRED.value or TOKEN_EXPIRED_MARK in str(reply.get("desc", "")))
    )


# --- electronic guarantee (seed 003) -------------------------------------------------------------

GUARANTEE_OK = 1
GUARANTEE_FAIL = 0


def format_wire_money(amount):
    """A Decimal amount as the seed's examples write it: two decimals, no grouping (`20000.00`)."""
    return f"{amount:.2f}"


def guarantee_reply(ok, message, data=None):
    reply = {"code": GUARANTEE_OK if ok else GUARANTEE_FAIL, "message": message}
    if data is not None:
        reply["data"] = data
    return reply


# --- customs real-time data (seed 004) -----------------------------------------------------------

CUSTOMS_OK = "10000"
CUSTOMS_FAIL = "20000"


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
    BUSY = "20009"
    UNREADABLE_UPLOAD = "20011"
    INVALID_FIELD = "20012"
    BAD_SIGNATURE = "20013"
    UNKNOWN_CERTIFICATE = "20014"

    @property
    def label(self):
        return _CUSTOMS_LABELS[self]


_CUSTOMS_LABELS = {
    CustomsCode.MALFORMED_REQUEST: "请求报文无法解析",
    CustomsCode.MISSING_PARAMETER: "必填参数为空",
    CustomsCode.CALLER_NOT_ALLOWED: "调用方地址不在允许范围内",
    CustomsCode.BAD_PARAMETER: "参数格式错误",
    CustomsCode.UNKNOWN_ORDER: "订单不存在",
    CustomsCode.SESSION_CONFLICT: "sessionID 已用于其他订单",
    CustomsCode.BUSY: "系统繁忙，请稍后重试",
    CustomsCode.UNREADABLE_UPLOAD: "payExInfoStr 无法解析",
    CustomsCode.INVALID_FIELD: "数据不符合接口格式要求",
    CustomsCode.BAD_SIGNATURE: "验签失败",
    CustomsCode.UNKNOWN_CERTIFICATE: "证书未登记",
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
    """Customs JSON → Python, numbers with a fraction as Decimal (never float)."""
    return json.loads(text, parse_float=Decimal)


# --- times ---------------------------------------------------------------------------------------

def format_wire_time(moment):
    return moment.astimezone(SHANGHAI).strftime(WIRE_TIME_FORMAT)


def parse_wire_time(text):
    """`yyyy-MM-dd HH:mm:ss` in Beijing time → aware datetime; ValueError on anything else."""
    if not isinstance(text, str) or not _WIRE_TIME_RE.fullmatch(text):
        raise ValueError(f"not yyyy-MM-dd HH:mm:ss: {text!r}")
    return datetime.strptime(text, WIRE_TIME_FORMAT).replace(tzinfo=SHANGHAI)


def clock_skew_seconds(text):
    """How many seconds (either way) a `yyyy-MM-dd HH:mm:ss` Beijing time is from our clock; ValueError if not
    in that format (as parse_wire_time)."""
    return abs((datetime.now(tz=SHANGHAI) - parse_wire_time(text)).total_seconds())


def format_wire_date(day):
    return day.strftime(WIRE_DATE_FORMAT)


def parse_wire_date(text):
    if not isinstance(text, str) or not _WIRE_DATE_RE.fullmatch(text):
        raise ValueError(f"not yyyy-MM-dd: {text!r}")
    return date.fromisoformat(text)


def epoch_ms(moment):
    return int(moment.timestamp() * 1000)


def epoch_ms_now():
    return epoch_ms(datetime.now(tz=SHANGHAI))


def format_trading_time(moment):
    return moment.astimezone(SHANGHAI).strftime(CUSTOMS_TRADING_TIME_FORMAT)


def parse_trading_time(text):
    """Customs `yyyyMMddHHmmss` in Beijing time → aware datetime; ValueError on anything else."""
    if not isinstance(text, str) or not TRADING_TIME_RE.fullmatch(text):
        raise ValueError(f"not yyyyMMddHHmmss: {text!r}")
    return datetime.strptime(text, CUSTOMS_TRADING_TIME_FORMAT).replace(tzinfo=SHANGHAI)
