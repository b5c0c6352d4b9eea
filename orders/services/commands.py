"""The calls we owe a supplier for an order (submit, confirm, cancel, a return, a payment), as deliveries: made in
the transaction that decided them, sent by a job, retried by our policy, and what the supplier said applied.

Never two orders at a supplier for one of ours: our number travels as its thirdOrder, the contracts make the
supplier deduplicate by it, and a submit that was already tried (its reply lost, or its worker killed) first
asks the supplier whether it holds the order.
"""
import logging

from django.db import transaction
from django.utils import timezone

from orders.models import Order, OrderCommand
from orders.services.moves import order_move, order_move_if
from procurement.docking.services import supplier_trusted
from procurement.kernel.delivery import delivery_send, enqueue_when_committed
from procurement.kernel.http import PermanentError, Refused
from procurement.kernel.statemachine import by_source
from procurement.suppliers.base import Capability
from procurement.suppliers.records import OrderLineRequest, OrderRequest, OrderState
from procurement.suppliers.registry import connector_for

logger = logging.getLogger(__name__)
SEND_TASK = "orders.jobs.send_command"
Action = OrderCommand.Action


class SupplierNotTrusted(PermanentError):
    """The supplier does not hold the production-environment trust mark: no new order is sent to it (the command
    stops, shown to staff, who resubmit it once the mark is granted)."""


def command_create(order, action, target_id=None):
    """Queue `action` for `order` with the current transaction."""
    command = OrderCommand.objects.create(order=order, action=action, target_id=target_id)
    enqueue_when_committed(SEND_TASK, command.pk)
    return command


def command_send(command_id):
    return delivery_send(OrderCommand, command_id, _send, related=("order__supplier",))


def _send(command):
    connector = connector_for(command.order.supplier)
    SENDERS[command.action](command, connector)


def _actor(command):
    return by_source(f"订单指令 {command.pk}（{command.get_action_display()}）")


def order_request(order):
    area = order.area
    path = [a.code for a in (area.parent.parent if area.parent else None, area.parent, area) if a is not None]
    lines = tuple(OrderLineRequest(line.sku_code, line.quantity, f"{line.unit_price:.2f}") for line in order.lines.all())
    return OrderRequest(number=order.number, lines=lines, total=f"{order.total:.2f}", receiver=order.receiver,
                        mobile=order.receiver_phone, area_path=tuple(path), address=order.address,
                        credit_terms=order.payment == Order.Payment.CREDIT, invoice_title=order.invoice_title,
                        invoice_tax_no=order.invoice_tax_no, remark=order.remark)


def _submit(command, connector):
    order = Order.objects.select_related("area__parent__parent").get(pk=command.order_id)
    if order.status != Order.Status.NEW:
        return  # already submitted (an earlier attempt's reply arrived after all, or staff cancelled)
    if not supplier_trusted(command.order.supplier):
        raise SupplierNotTrusted(f"电商 {command.order.supplier.code} 尚未取得正式环境信任标识"
                                 f"（{command.order.supplier.get_docking_status_display()}），订单未发送")
    held = connector.order_query(order.number) if command.attempts > 1 and connector.can(Capability.ORDER_QUERY) \
        else None
    if held is None:
        try:
            held = connector.order_submit(order_request(order))
        except Refused as refusal:
            order_move(order, Order.Status.REFUSED, actor=_actor(command), reason=f"电商拒绝预下单：{refusal}",
                       stop_reason=str(refusal))
            return
    with transaction.atomic():
        moved = order_move_if(order, Order.Status.SUBMITTED, actor=_actor(command), reason="电商已预下单、锁定库存",
                              supplier_order_no=held.number, supplier_state=held.state.value,
                              supplier_amount=held.amount, submitted_at=timezone.now())
        if moved and order.confirm_on_submit:
            command_create(order, Action.CONFIRM)


def _confirm(command, connector):
    order = command.order
    if order.status != Order.Status.SUBMITTED:
        return
    try:
        state = connector.order_confirm(order.number, order.supplier_order_no)
    except Refused as refusal:
        Order.objects.filter(pk=order.pk).update(stop_reason=f"电商确认订单失败：{refusal}")
        raise
    order_move_if(order, Order.Status.CONFIRMED, actor=_actor(command), reason="电商已确认订单",
                  supplier_state=state.value, stop_reason="")


def _cancel(command, connector):
    order = command.order
    if order.status == Order.Status.NEW:  # never reached the supplier
        order_move_if(order, Order.Status.CANCELLED, actor=_actor(command), reason="未提交电商即取消")
        return
    if order.status != Order.Status.SUBMITTED:
        return
    try:
        state = connector.order_cancel(order.number, order.supplier_order_no)
    except Refused as refusal:  # the supplier had it confirmed: the purchaser may refuse the delivery instead
        Order.objects.filter(pk=order.pk).update(
            stop_reason=f"电商拒绝取消（{refusal}）：订单已在电商确认，货物可能已发出，可让采购人拒收")
        return
    if state in (OrderState.CANCELLED, OrderState.UNKNOWN):
        order_move_if(order, Order.Status.CANCELLED, actor=_actor(command), reason="电商已取消订单",
                      supplier_state=state.value)


def _return(command, connector):
    from orders.services.returns import return_push

    return_push(command, connector)


def _payment(command, connector):
    from orders.services.payments import payment_push

    payment_push(command, connector)


SENDERS = {Action.SUBMIT: _submit, Action.CONFIRM: _confirm, Action.CANCEL: _cancel, Action.RETURN: _return,
           Action.PAYMENT: _payment}
