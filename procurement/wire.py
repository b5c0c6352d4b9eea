"""Wire formats: envelopes, error codes and time formats of every protocol, spelled here and nowhere else."""
import re
from datetime import date, datetime
from enum import Enum
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

WIRE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
WIRE_DATE_FORMAT = "%Y-%m-%d"
CUSTOMS_TRADING_TIME_FORMAT = "%Y%m%d%H%M%S"
_WIRE_TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_WIRE_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


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


def customs_reply(code, message="", service_time_ms=None):
    return {"code": code, "message": message, "serviceTime": service_time_ms or epoch_ms_now()}


def is_customs_error_code(code):
    """20000 and 20001–21000 are the failure codes of §1.6.4."""
    return isinstance(code, str) and code.isdigit() and 20000 <= int(code) <= 21000


# --- times ---------------------------------------------------------------------------------------

def format_wire_time(moment):
    return moment.astimezone(SHANGHAI).strftime(WIRE_TIME_FORMAT)


def parse_wire_time(text):
    """`yyyy-MM-dd HH:mm:ss` in Beijing time → aware datetime; ValueError on anything else."""
    if not isinstance(text, str) or not _WIRE_TIME_RE.fullmatch(text):
        raise ValueError(f"not yyyy-MM-dd HH:mm:ss: {text!r}")
    return datetime.strptime(text, WIRE_TIME_FORMAT).replace(tzinfo=SHANGHAI)


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


def from_epoch_ms(value):
    return datetime.fromtimestamp(int(value) / 1000, tz=SHANGHAI)


def epoch_s(moment):
    return int(moment.timestamp())


def format_trading_time(moment):
    return moment.astimezone(SHANGHAI).strftime(CUSTOMS_TRADING_TIME_FORMAT)
