"""The e-mall standard's wire format (seed 000 §6): the envelope, the §6.2 error codes, lists and states."""
from enum import Enum

from procurement.kernel.served import Envelope


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



class EmallEnvelope(Envelope):
    """§6.1: `{"success": true, "result": …}`, or `{"success": false, "desc", "code"}` with a §6.2 code."""

    def ok(self, result):
        return emall_ok(result)

    def ok_rendered(self, rendered):
        return b'{"success":true,"result":' + rendered + b"}"

    def own_failure(self, exc):
        return emall_fail(exc.code, exc.desc) if isinstance(exc, WireError) else None

    def refused(self, refusal):
        code = ErrorCode.MISSING_PARAMETER if refusal.kind == "missing" else ErrorCode.OTHER
        return emall_fail(code, refusal.message)


EMALL_ENVELOPE = EmallEnvelope()
