"""Payment records in and out: the only code that creates or changes them (admin forms aside).

A payment document uses the wire names of seed 004 §1.6.3 (ebpCode, payCode, …, orders[].goodsInfo[]),
so what the import command and the staff API accept is what customs will receive. Every rule of
the models (lengths, choices, amount digits) is checked before anything is written.
"""
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from customs.models import CrossBorderOrder, OrderGoods, PaymentRecord

HEAD_FIELDS = {
    "ebpCode": "ebp_code", "payCode": "pay_code", "payTransactionId": "pay_transaction_id",
    "totalAmount": "total_amount", "currency": "currency", "verDept": "ver_dept", "payType": "pay_type",
    "tradingTime": "trading_time", "initalRequest": "inital_request", "initalResponse": "inital_response",
    "note": "note",
}
ORDER_FIELDS = {"orderNo": "order_no", "recpAccount": "recp_account", "recpCode": "recp_code", "recpName": "recp_name"}
GOODS_FIELDS = {"gname": "gname", "itemLink": "item_link"}


class PaymentInvalid(Exception):
    """A payment document that breaks the rules; `problems` say where ("orders[0].recpName: …") and why."""

    def __init__(self, problems):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass
class _Checked:
    payment: PaymentRecord
    orders: list = field(default_factory=list)  # [(CrossBorderOrder, [OrderGoods, …]), …]
    problems: list = field(default_factory=list)


def payment_save(document):
    """Create or update the payment (keyed by payCode + payTransactionId) with exactly the given orders.

    Returns (payment, created). Raises PaymentInvalid, and writes nothing, when any field is wrong.
    """
    checked = _check(document)
    if checked.problems:
        raise PaymentInvalid(checked.problems)
    with transaction.atomic():
        payment, created = _upsert_head(checked.payment)
        _replace_orders(payment, checked.orders)
    return payment, created


def payments_import(documents):
    """Save many documents in one transaction: all or nothing. Returns (created, updated)."""
    problems, counts = [], {True: 0, False: 0}
    with transaction.atomic():
        for index, document in enumerate(documents):
            try:
                _, created = payment_save(document)
                counts[created] += 1
            except PaymentInvalid as invalid:
                problems.extend(f"第 {index + 1} 条：{problem}" for problem in invalid.problems)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise PaymentInvalid(problems)
    return counts[True], counts[False]


def _check(document):
    values = _model_values(document, HEAD_FIELDS)
    values.setdefault("ebp_code", settings.CUSTOMS_EBP_CODE)
    checked = _Checked(PaymentRecord(**values))
    _clean(checked.payment, "", HEAD_FIELDS, checked.problems, exclude=[])
    orders = document.get("orders") or []
    if not orders:
        checked.problems.append("orders: 至少需要一个订单")
    seen = set()
    for i, order_document in enumerate(orders):
        order = CrossBorderOrder(**_model_values(order_document, ORDER_FIELDS))
        where = f"orders[{i}]."
        _clean(order, where, ORDER_FIELDS, checked.problems, exclude=["payment"])
        if order.order_no in seen:
            checked.problems.append(f"{where}orderNo: 订单编号重复：{order.order_no}")
        seen.add(order.order_no)
        checked.orders.append((order, _check_goods(order_document, where, checked.problems)))
    _check_orders_free(checked)
    return checked


def _check_goods(order_document, where, problems):
    goods_documents = order_document.get("goodsInfo") or []
    if not goods_documents:
        problems.append(f"{where}goodsInfo: 至少需要一件商品")
    goods = []
    for j, goods_document in enumerate(goods_documents):
        item = OrderGoods(position=j, **_model_values(goods_document, GOODS_FIELDS))
        _clean(item, f"{where}goodsInfo[{j}].", GOODS_FIELDS, problems, exclude=["order"])
        goods.append(item)
    return goods


def _check_orders_free(checked):
    """An order number belongs to one payment only."""
    numbers = [order.order_no for order, _ in checked.orders]
    taken = CrossBorderOrder.objects.filter(order_no__in=numbers).exclude(
        payment__pay_code=checked.payment.pay_code,
        payment__pay_transaction_id=checked.payment.pay_transaction_id,
    ).select_related("payment")
    for order in taken:
        checked.problems.append(f"orderNo: 订单 {order.order_no} 已属于支付记录 {order.payment}")


def _model_values(document, names):
    return {model_name: document[wire_name] for wire_name, model_name in names.items()
            if document.get(wire_name) is not None}


def _clean(instance, where, names, problems, exclude):
    wire_names = {model_name: wire_name for wire_name, model_name in names.items()}
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for model_name, messages in error.message_dict.items():
            label = wire_names.get(model_name, model_name)
            problems.extend(f"{where}{label}: {message}" for message in messages)


def _upsert_head(checked_payment):
    values = {f.attname: getattr(checked_payment, f.attname) for f in PaymentRecord._meta.concrete_fields
              if f.name in HEAD_FIELDS.values()}
    payment = PaymentRecord.objects.select_for_update().filter(
        pay_code=checked_payment.pay_code, pay_transaction_id=checked_payment.pay_transaction_id
    ).first()
    if payment is None:
        return PaymentRecord.objects.create(**values), True
    for name, value in values.items():
        setattr(payment, name, value)
    payment.save()
    return payment, False


def _replace_orders(payment, checked_orders):
    numbers = [order.order_no for order, _ in checked_orders]
    payment.orders.exclude(order_no__in=numbers).delete()
    existing = dict(payment.orders.values_list("order_no", "pk"))
    OrderGoods.objects.filter(order__payment=payment).delete()
    all_goods = []
    for order, goods in checked_orders:
        order.pk, order.payment = existing.get(order.order_no), payment
        order.save()
        for item in goods:
            item.order = order
        all_goods.extend(goods)
    OrderGoods.objects.bulk_create(all_goods)
