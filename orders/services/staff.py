"""What staff (in the admin) and the storefront (through the staff API) ask of an order after it is placed."""
from django.db import transaction

from orders.models import Order, OrderCommand
from orders.services.commands import command_create
from orders.services.moves import order_move
from procurement.kernel.statemachine import IllegalTransition
from procurement.suppliers.base import Capability
from procurement.suppliers.registry import connector_class

Status = Order.Status


def needs_attention(orders=None):
    """Orders waiting on staff: refused by the supplier, or open with something the supplier said to look into."""
    orders = Order.objects.all() if orders is None else orders
    return orders.filter(status__in=(*Order.OPEN, Status.REFUSED)).exclude(stop_reason="")


def order_confirm(order, *, actor):
    """Confirm a pre-order at the supplier (only after a successful pre-order)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Status.SUBMITTED:
            raise IllegalTransition(f"订单「{order.get_status_display()}」：只有已预下单的订单可以确认")
        return command_create(order, OrderCommand.Action.CONFIRM)


def order_cancel(order, *, actor, reason):
    """Cancel before confirmation: at once if the supplier never had it, else through the supplier."""
    if not reason.strip():
        raise IllegalTransition("取消订单必须填写原因")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status in (Status.NEW, Status.REFUSED) and not order.supplier_order_no:
            return order_move(order, Status.CANCELLED, actor=actor, reason=reason)
        if order.status != Status.SUBMITTED:
            raise IllegalTransition(f"订单「{order.get_status_display()}」不能取消：订单已在电商确认，货物可能已发出，"
                                    "可让采购人拒收")
        if not connector_class(order.supplier.protocol).offered(order.supplier, Capability.ORDER_CANCEL):
            raise IllegalTransition(f"电商 {order.supplier.code} 未提供取消订单接口：请与电商联系取消，"
                                    "或在电商确认后让采购人拒收")
        return command_create(order, OrderCommand.Action.CANCEL)


def order_refuse_delivery(order, *, actor, reason):
    """The purchaser refused the delivery (拒收) of a confirmed or shipped order."""
    if not reason.strip():
        raise IllegalTransition("拒收必须填写原因")
    return order_move(order, Status.DELIVERY_REFUSED, actor=actor, reason=f"采购人拒收：{reason}")
