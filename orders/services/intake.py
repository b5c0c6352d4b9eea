"""Orders coming in (from the storefront's API or placed by staff on a purchaser's behalf): checked, then made.

Before anything is made, every line must be a listed, sellable SKU of a supplier holding the production-environment
trust mark (procurement/docking) at the price the purchaser saw, in stock
for the delivery area (asked live of its supplier), and a credit-terms (账期) purchase must fit the unit's
remaining credit. A refusal names the line and the reason, and makes nothing. A cart across suppliers becomes
one order each, linked by the cart number; the storefront's number makes a retried request return the first
orders instead of making new ones.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum

from catalog.models import Sku
from catalog.stock import StockUnavailable, stock_check
from orders.models import Order, OrderCommand, OrderLine, PurchasingUnit
from orders.services.commands import command_create
from orders.services.numbers import new_number
from procurement.docking.services import supplier_trusted
from procurement.kernel.http import OutboundError

CLOSED_CREDIT = (Order.Status.CANCELLED, Order.Status.REFUSED, Order.Status.RETURNED, Order.Status.DELIVERY_REFUSED)


class OrderInvalid(Exception):
    """The purchase cannot be accepted; `problems` say which line (lines[i]) or field, and why."""

    def __init__(self, problems):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class CartLine:
    sku: Sku
    quantity: int
    price: Decimal


@dataclass
class Cart:
    """A purchase as the storefront (or staff) gives it."""

    purchaser: object
    address: object  # a DeliveryAddress
    lines: list
    credit_terms: bool = False
    storefront_no: str = ""
    invoice_title: str = ""
    invoice_tax_no: str = ""
    remark: str = ""
    confirm_on_submit: bool = True
    problems: list = field(default_factory=list)


def orders_place(cart, *, actor):
    """The orders of `cart` (made now, or made earlier for the same storefront number); OrderInvalid otherwise."""
    if cart.storefront_no:
        earlier = _earlier(cart.storefront_no)
        if earlier:
            return earlier, False
    _check_lines(cart)
    if cart.problems:
        raise OrderInvalid(cart.problems)
    try:
        return _make(cart, actor), True
    except IntegrityError:  # a twin request got there first: return what it made
        earlier = _earlier(cart.storefront_no)
        if earlier:
            return earlier, False
        raise


def _earlier(storefront_no):
    return list(Order.objects.filter(storefront_no=storefront_no).order_by("id"))


def _check_lines(cart):
    if not cart.lines:
        cart.problems.append("lines：至少要有一个商品")
    for index, line in enumerate(cart.lines):
        problem = _line_problem(line)
        if problem:
            cart.problems.append(f"lines[{index}]（{line.sku.sku_code}）：{problem}")
    if not cart.problems:
        _check_stock(cart)


def _line_problem(line):
    sku = line.sku
    if line.quantity < 1:
        return "数量至少为 1"
    if not supplier_trusted(sku.supplier):
        return f"电商 {sku.supplier.code} 尚未取得正式环境信任标识（{sku.supplier.get_docking_status_display()}），暂不接受其订单"
    if sku.status != Sku.Status.LISTED or sku.shelf_on is False:
        return f"商品不可售（{sku.get_status_display()}）"
    if sku.findings.exists():
        return "商品有未通过的校验项，不可售"
    if sku.price is None or line.price != sku.price:
        return f"价格已变化：下单价 {line.price}，当前协议价 {sku.price}"
    return ""


def _check_stock(cart):
    by_supplier = defaultdict(list)
    for index, line in enumerate(cart.lines):
        by_supplier[line.sku.supplier].append((index, line))
    area = cart.address.area.code
    for supplier, lines in by_supplier.items():
        try:
            stock = stock_check(supplier, [line.sku for _, line in lines], area)
        except (StockUnavailable, OutboundError) as error:
            cart.problems.append(f"address（{area}）：无法向电商 {supplier.code} 查询库存：{error}")
            continue
        for index, line in lines:
            have = stock.get(line.sku.sku_code)
            if have is None or have < line.quantity:
                cart.problems.append(f"lines[{index}]（{line.sku.sku_code}）：收货地区 {area} 库存不足"
                                     f"（需要 {line.quantity}，电商报 {'无' if have is None else have}）")


def _make(cart, actor):
    cart_no = cart.storefront_no or new_number("CT")
    groups = defaultdict(list)
    for line in cart.lines:
        groups[line.sku.supplier].append(line)
    with transaction.atomic():
        unit = PurchasingUnit.objects.select_for_update().get(pk=cart.purchaser.unit_id)
        if cart.credit_terms:
            _check_credit(unit, sum(line.price * line.quantity for line in cart.lines))
        return [_make_order(cart, cart_no, supplier, lines, actor) for supplier, lines in groups.items()]


def _check_credit(unit, amount):
    """Within the unit's credit: its credit limit less what its unpaid credit-terms orders already hold (the unit's
    row is locked meanwhile, so two purchases cannot both take the last of it)."""
    held = (Order.objects.filter(unit=unit, payment=Order.Payment.CREDIT).exclude(status__in=CLOSED_CREDIT)
            .exclude(payment_status=Order.PaymentStatus.SETTLED).aggregate(total=Sum("total"))["total"]
            or Decimal("0"))
    remaining = unit.credit_limit - held
    if amount > remaining:
        raise OrderInvalid([f"payment：账期额度不足：本次 {amount}，可用 {remaining}（额度 {unit.credit_limit}，"
                            f"未付账期订单占用 {held}）"])


def _make_order(cart, cart_no, supplier, lines, actor):
    address = cart.address
    order = Order.objects.create(
        number=new_number("PO"), storefront_no=cart.storefront_no, cart_no=cart_no, unit_id=cart.purchaser.unit_id,
        purchaser=cart.purchaser, supplier=supplier,
        payment=Order.Payment.CREDIT if cart.credit_terms else Order.Payment.IMMEDIATE,
        total=sum(line.price * line.quantity for line in lines), area=address.area, address=address.address,
        receiver=address.receiver, receiver_phone=address.receiver_phone,
        invoice_title=cart.invoice_title or cart.purchaser.unit.name,
        invoice_tax_no=cart.invoice_tax_no or cart.purchaser.unit.credit_code, remark=cart.remark,
        confirm_on_submit=cart.confirm_on_submit, created_by=getattr(actor, "user", None),
    )
    OrderLine.objects.bulk_create([
        OrderLine(order=order, sku=line.sku, sku_code=line.sku.sku_code, name=line.sku.name, quantity=line.quantity,
                  unit_price=line.price, amount=line.price * line.quantity) for line in lines])
    command_create(order, OrderCommand.Action.SUBMIT)
    return order
