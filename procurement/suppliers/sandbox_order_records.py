"""What the sandbox suppliers' order books hold, and how both protocols read an order call's parameters.

Protocol-neutral: the e-mall standard's and the mall standard's order interfaces (docs/supplier-contract.md
§14–§22, docs/mall-supplier-contract.md §22–§31) share states, line shapes and refusal reasons; each protocol's
module (procurement/suppliers/<protocol>/sandbox_orders.py) maps a refusal's kind to its own code.
"""
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from procurement.kernel.sandbox import SandboxResponse
from procurement.kernel.wire import parse_wire_date, parse_wire_time


class State:
    """Order states as both contracts number them."""

    SUBMITTED, CONFIRMED, SHIPPED, COMPLETED, CANCELLED, REFUSED = 1, 2, 3, 4, 5, 6
    FINISHED = (COMPLETED, REFUSED)
    LABELS = {1: "已下单待确认", 2: "已确认", 3: "已发货", 4: "已完成", 5: "已取消", 6: "拒收"}


class Refused:
    """Why an order call is refused; each protocol answers its own code for each."""

    MISSING = "missing"  # a required parameter is absent
    PARAMETER = "parameter"  # a parameter is there but unreadable or inconsistent
    LIMIT = "limit"  # a page larger than allowed
    PRODUCT = "product"
    AREA = "area"
    STOCK = "stock"
    PRICE = "price"
    NOT_FOUND = "not_found"
    CONFIRMED = "confirmed"  # cancel after confirm
    AFTER_SALE = "after_sale"  # a return on an unfinished order, or beyond the bought quantity
    OTHER = "other"


class OrderRefusal(Exception):
    def __init__(self, kind, desc):
        super().__init__(f"{kind}: {desc}")
        self.kind, self.desc = kind, desc


BAD_GATEWAY_PAGE = (b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
                    b"</center><hr><center>nginx</center></body></html>")


class ReplyLost(Exception):
    """The supplier committed what the call asked, then its gateway lost the application's reply: the caller
    gets the gateway's 502 page and cannot tell whether anything happened."""

    response = SandboxResponse(502, BAD_GATEWAY_PAGE, "text/html; charset=utf-8")


class OrderStepError(ValueError):
    """A supplier-side step (ship, deliver…) a test asked for that the order's state does not allow."""


@dataclass
class OrderLine:
    sku: str
    num: int
    price: Decimal

    @property
    def amount(self):
        return self.price * self.num


@dataclass(frozen=True)
class DeliveryArea:
    """Where an order goes. `codes` are our area codes from the county up (stock is kept by our codes, and an
    order locks stock in each); `names` every way the out_of_stock switch may name it (our codes, the
    supplier's own ids); `label` the county's name."""

    county: str
    codes: tuple
    names: frozenset
    label: str


@dataclass
class Package:
    order_id: str  # the (child) order it carries
    carrier: str
    waybill_no: str
    dispatch_no: str
    lines: list  # {"sku", "name", "num"}
    steps: list  # {"time", "content", "operator"}


@dataclass
class Invoice:
    code: str
    number: str
    amount: Decimal
    issued_at: object  # aware datetime


@dataclass
class Payment:
    receipt_id: str
    serial_no: str
    amount: Decimal
    pay_time: str
    bank_name: str
    bank_account: str
    received_at: object
    state: int = 1  # 1 待核对, 2 已确认收款, 3 有误
    desc: str = ""


@dataclass
class AfterSale:
    service_id: str
    service_no: str
    third_order: str
    kind: int  # 1 return, 2 exchange
    lines: list  # (sku, num)
    reason: str
    state: int = 1  # 1 申请中, 2 已同意, 3 已收货, 4 已完成, 5 已驳回
    desc: str = ""


@dataclass
class SupplierOrder:
    """An order (or a split child) as the supplier holds it."""

    order_id: str
    third_order: str
    lines: list
    area: DeliveryArea
    receiver: dict  # name, mobile, address, paymentType, invoiceType, invoiceTitle, invoiceTaxNo, remark
    submitted_at: object
    state: int = State.SUBMITTED
    confirmed_at: object = None
    shipped_at: object = None
    finished_at: object = None
    children: list = field(default_factory=list)
    packages: list = field(default_factory=list)
    invoice: Invoice = None
    payments: dict = field(default_factory=dict)  # serialNo → Payment
    returns: dict = field(default_factory=dict)  # serviceNo → AfterSale
    locked: dict = field(default_factory=dict)  # sku → {our area code: units taken from its stock}
    track_calls: int = 0  # track calls answered since the first package left
    invoice_selects: int = 0  # invoice selects answered since it was delivered

    @property
    def order_price(self):
        return sum((line.amount for line in self.lines), Decimal("0"))

    def parts(self):
        """What ships on its own: the children of a split order, else the order itself."""
        return self.children or [self]

    def all_packages(self):
        return [package for part in self.parts() for package in part.packages]


# --- reading an order call's parameters ------------------------------------------------------------

def require(params, name):
    value = str(params.get(name) or "").strip()
    if not value:
        raise OrderRefusal(Refused.MISSING, f"缺少参数 {name}")
    return value


def parse_money(value, name):
    """Money as text (or a JSON number): at most two decimals, not negative."""
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, bool) and value is not None else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:
        raise OrderRefusal(Refused.PARAMETER, f"{name}：{value!r} 不是金额（最多两位小数，如 \"1199.00\"）")
    return amount


def parse_count(value, name):
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not text.isdigit() or int(text) < 1:
        raise OrderRefusal(Refused.PARAMETER, f"{name}：{value!r} 应为正整数")
    return int(text)


def parse_items(value, name="sku"):
    """A JSON array of objects, sent as a JSON string (form bodies) or as the array itself (JSON bodies)."""
    if value is None or value == [] or (isinstance(value, str) and not value.strip()):
        raise OrderRefusal(Refused.MISSING, f"缺少参数 {name}")
    items = value
    if isinstance(value, str):
        try:
            items = json.loads(value)
        except ValueError:
            items = None
    if not isinstance(items, list) or not items or not all(isinstance(item, dict) for item in items):
        raise OrderRefusal(Refused.PARAMETER, f"{name}：应为非空 JSON 数组，每项一个对象")
    return items


def parse_lines(value, sku_keys, with_price=True):
    """Order lines; `sku_keys` are the spellings of the SKU key accepted, the contract's first.
    Returns OrderLine (with_price) or (sku, num) pairs; a SKU may appear once."""
    lines = []
    for number, item in enumerate(parse_items(value), 1):
        sku = next((str(item[key]).strip() for key in sku_keys if str(item.get(key) or "").strip()), "")
        if not sku:
            raise OrderRefusal(Refused.PARAMETER, f"sku 第 {number} 项缺少 {sku_keys[0]}")
        num = parse_count(item.get("num"), f"sku 第 {number} 项 num")
        lines.append(OrderLine(sku, num, parse_money(item.get("price"), f"sku 第 {number} 项 price"))
                     if with_price else (sku, num))
    skus = [line.sku if with_price else line[0] for line in lines]
    repeated = next((sku for sku in skus if skus.count(sku) > 1), None)
    if repeated:
        raise OrderRefusal(Refused.PARAMETER, f"sku：商品 {repeated} 出现了不止一次（同一商品请合并数量）")
    return lines


THIRD_ORDER_MAX = 40
RECEIVER_FIELDS = ("name", "mobile", "address", "paymentType", "invoiceType", "invoiceTitle", "invoiceTaxNo")
PAYMENT_FIELDS = ("serialNo", "payTime", "bankName", "bankAccount")


def read_third_order(params):
    third_order = require(params, "thirdOrder")
    if len(third_order) > THIRD_ORDER_MAX:
        raise OrderRefusal(Refused.PARAMETER, f"thirdOrder：不超过 {THIRD_ORDER_MAX} 个字符，本次 {len(third_order)} 个")
    return third_order


def read_receiver(params):
    """Who receives the goods and the invoice, and how the order is paid."""
    receiver = {name: require(params, name) for name in RECEIVER_FIELDS}
    if receiver["paymentType"] not in ("1", "2"):
        raise OrderRefusal(Refused.PARAMETER, "paymentType：应为 1（立即支付）或 2（账期支付）")
    if receiver["invoiceType"] != "2":
        raise OrderRefusal(Refused.PARAMETER, "invoiceType：所有订单开明细发票，应为 2")
    receiver["remark"] = str(params.get("remark") or "")
    return receiver


def read_payment(params):
    """A credit-term transfer: serialNo, amount (more than 0), payTime (yyyy-MM-dd HH:mm:ss), bankName, bankAccount."""
    payment = {name: require(params, name) for name in PAYMENT_FIELDS}
    amount = parse_money(require(params, "amount"), "amount")
    if amount <= 0:
        raise OrderRefusal(Refused.PARAMETER, "amount：应大于 0")
    try:
        parse_wire_time(payment["payTime"])
    except ValueError:
        raise OrderRefusal(Refused.PARAMETER, "payTime：格式应为 yyyy-MM-dd HH:mm:ss") from None
    return {"serial_no": payment["serialNo"], "amount": amount, "pay_time": payment["payTime"],
            "bank_name": payment["bankName"], "bank_account": payment["bankAccount"]}


def read_day(params):
    try:
        return parse_wire_date(require(params, "date"))
    except ValueError:
        raise OrderRefusal(Refused.PARAMETER, "date：格式应为 yyyy-MM-dd") from None


def read_page(params, default_size, max_size):
    """(pageNo, pageSize): pageNo from 1; pageSize 1 to `max_size`."""
    number, size = (parse_count(params.get(name) or default, name)
                    for name, default in (("pageNo", 1), ("pageSize", default_size)))
    if size > max_size:
        raise OrderRefusal(Refused.LIMIT, f"pageSize：最大 {max_size}")
    return number, size


# --- fault switches, read as the sandboxes' other switches are --------------------------------------

def switch_on(faults, name):
    return str(faults.extra.get(name, "")).lower() in ("1", "true", "yes", "on")


def switch_list(faults, name):
    value = faults.extra.get(name, "")
    items = value if isinstance(value, list) else str(value or "").split(",")
    return {str(item).strip() for item in items if str(item).strip()}


def switch_count(faults, name):
    value = str(faults.extra.get(name, "") or "").strip()
    return int(value) if value.isdigit() else 0


def switch_delays(faults, name):
    """`A,B` (seconds, decimals allowed) → (A, B); anything else → None (off)."""
    parts = str(faults.extra.get(name, "") or "").split(",")
    try:
        delays = tuple(float(part) for part in parts)
    except ValueError:
        return None
    return delays if len(delays) == 2 and min(delays) >= 0 else None
