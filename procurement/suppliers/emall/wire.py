"""The e-mall standard's wire format (seed 000 §6): the envelope, the §6.2 error codes, lists and states."""
from enum import Enum

from procurement.kernel.served import Envelope
from procurement.kernel.wire import parse_wire_time
from procurement.suppliers.calls import reply_success
from procurement.suppliers.records import (
    Attachment,
    ChangeEvent,
    ChangeKind,
    PriceQuote,
    ProductAttributes,
    ProductDetail,
    ProductImages,
    ProductPromises,
    ShelfState,
    StockLevel,
    as_list,
    text,
)


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

# The §6.2 code of each validation rule of the mall's (catalog.validation) that has one.
FINDING_CODES = {
    **dict.fromkeys(("required", "attribute_required", "attribute_unreadable", "price_missing"),
                    ErrorCode.MISSING_PARAMETER.value),
    **dict.fromkeys(("category_unknown", "category_not_leaf", "category_inactive"), ErrorCode.UNKNOWN_CATEGORY.value),
    "attribute_unknown": ErrorCode.NO_CATEGORY_PARAMS.value,
    **dict.fromkeys(("product_link", "image_link", "document_link"), ErrorCode.BAD_PRODUCT_LINK.value),
    **dict.fromkeys(("image_format", "document_format"), ErrorCode.BAD_MEDIA_FORMAT.value),
}


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
    """A refusal of our token (§6.2 5005, or `token_expired` in desc). §6.1's table types `success` as a string
    while its example shows a boolean: both are accepted (procurement.suppliers.calls.reply_success)."""
    return isinstance(reply, dict) and reply_success(reply) is False and (
        str(reply.get("code")) == ErrorCode.TOKEN_EXPIRED.value or TOKEN_EXPIRED_MARK in str(reply.get("desc", ""))
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


# --- what suppliers send (docs/supplier-contract.md), read into protocol-neutral records --------------

# §6.3 message types and what they say happened.
MESSAGE_PRICE, MESSAGE_SHELF, MESSAGE_POOL, MESSAGE_DETAIL = 2, 4, 6, 16
_MESSAGE_KINDS = {MESSAGE_PRICE: ChangeKind.PRICE, MESSAGE_SHELF: ChangeKind.SHELF, MESSAGE_DETAIL: ChangeKind.DETAIL}
ID_MAX = 64


def read_message(item):
    """A ChangeEvent from one getMessagePool entry, or None when it has no usable id, type or SKU."""
    if not isinstance(item, dict):
        return None
    message_id, sku, kind = text(item.get("id")), text(item.get("sku")), _integer(item.get("type"))
    if not message_id or not sku or kind is None or len(message_id) > ID_MAX or len(sku) > ID_MAX:
        return None
    try:
        sent_at = parse_wire_time(item.get("time"))
    except ValueError:
        sent_at = None
    change, problem = _message_kind(kind, _integer(item.get("state")), item.get("state"))
    if EMALL_LIST_SEPARATOR in sku:
        problem = f"商品编号「{sku}」含有列表分隔符“{EMALL_LIST_SEPARATOR}”，无法批量查询"
    note = f"未知消息类型 {kind}" if change is ChangeKind.OTHER and not problem else ""
    return ChangeEvent(id=message_id, kind=change, sku=sku, time=sent_at, raw=item, problem=problem, note=note)


def _message_kind(kind, state, said):
    if kind == MESSAGE_POOL:
        if state == EMALL_STATE_ON:
            return ChangeKind.ADDED, ""
        if state == EMALL_STATE_OFF:
            return ChangeKind.REMOVED, ""
        return ChangeKind.OTHER, f"{kind} 类消息的 state 应为 {EMALL_STATE_ON} 或 {EMALL_STATE_OFF}，实为 {said!r}"
    return _MESSAGE_KINDS.get(kind, ChangeKind.OTHER), ""


def read_detail(item):
    return ProductDetail(
        sku=text(item.get("sku")), name=text(item.get("name")), category=text(item.get("category")),
        brand=text(item.get("brand")), model=text(item.get("model")), unit=text(item.get("unit")),
        url=text(item.get("url")), introduction=text(item.get("introduction")),
        attachments=tuple(Attachment(text(a.get("name")), text(a.get("url")))
                          for a in as_list(item.get("attachments")) if isinstance(a, dict)),
    )


def read_attributes(item):
    return ProductAttributes.read(item.get("sku"), item.get("attributes"))


def read_promises(item):
    codes = sorted({text(code) for code in as_list(item.get("promises")) if text(code)})
    return ProductPromises(sku=text(item.get("sku")), codes=tuple(codes))


def read_shelf(item):
    said = text(item.get("state"))
    on = {str(EMALL_STATE_ON): True, str(EMALL_STATE_OFF): False}.get(said)
    return ShelfState(sku=text(item.get("sku")), on=on, said=said)


def read_images(item):
    entries = []
    for position, image in enumerate(as_list(item.get("images"))):
        if isinstance(image, dict):
            order = image.get("order") if isinstance(image.get("order"), int) else position
            entries.append((0 if text(image.get("primary")) == "1" else 1, order, text(image.get("url"))))
        else:
            entries.append((1, position, text(image)))
    return ProductImages(sku=text(item.get("sku")), urls=tuple(url for _main, _order, url in sorted(entries)))


def read_price(item):
    return PriceQuote(sku=text(item.get("sku")), price=text(item.get("price")), mall_price=text(item.get("mall_price")))


def read_stock(item, area):
    said = text(item.get("num"))
    return StockLevel(sku=text(item.get("sku")), area=area, quantity=int(said) if said.isdigit() else None, said=said)


def _integer(value):
    try:
        return int(text(value))
    except ValueError:
        return None


def _excerpt(value, limit=80):
    shown = str(value)
    return shown if len(shown) <= limit else shown[:limit] + "…"
