"""Returns and exchanges of a completed order (seed 001 §2.14): quantities per line, pushed to the supplier,
their progress followed. A return that completes for every piece bought makes the order returned."""
from django.db import transaction
from django.db.models import Sum

from orders.models import Order, OrderCommand, ReturnLine, ReturnRequest
from orders.services.moves import order_move_if, return_move
from orders.services.numbers import new_number
from procurement.kernel.statemachine import IllegalTransition, by_source
from procurement.suppliers.base import Capability
from procurement.suppliers.records import ReturnState

Status = ReturnRequest.Status
PROGRESS = {ReturnState.AGREED: Status.AGREED, ReturnState.RECEIVED: Status.RECEIVED, ReturnState.DONE: Status.DONE,
            ReturnState.REJECTED: Status.REJECTED}
FOLLOWED = (Status.APPLIED, Status.AGREED, Status.RECEIVED)


def return_request(order, *, quantities, exchange, reason, actor):
    """Ask for a return (or an exchange) of {OrderLine: quantity}; IllegalTransition names what is wrong."""
    from orders.services.commands import command_create

    wanted = {line: quantity for line, quantity in quantities.items() if quantity}
    if not reason.strip():
        raise IllegalTransition("退换货必须填写原因")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Order.Status.COMPLETED:
            raise IllegalTransition(f"订单「{order.get_status_display()}」：只有已完成的订单可以退换货")
        if not wanted:
            raise IllegalTransition("请填写要退换的数量")
        taken = _taken(order)
        for line, quantity in wanted.items():
            left = line.quantity - taken.get(line.pk, 0)
            if line.order_id != order.pk or quantity > left:
                raise IllegalTransition(f"{line.sku_code}：最多还可退换 {max(left, 0)} 件，申请 {quantity} 件")
        request = ReturnRequest.objects.create(order=order, number=new_number("RT"), exchange=exchange, reason=reason)
        ReturnLine.objects.bulk_create([ReturnLine(request=request, line=line, quantity=quantity)
                                        for line, quantity in wanted.items()])
        command_create(order, OrderCommand.Action.RETURN, target_id=request.pk)
    return request


def _taken(order):
    """Pieces of each line already in a return or exchange that was not rejected."""
    rows = (ReturnLine.objects.filter(request__order=order).exclude(request__status=Status.REJECTED)
            .values("line_id").annotate(total=Sum("quantity")))
    return {row["line_id"]: row["total"] for row in rows}


def return_push(command, connector):
    request = ReturnRequest.objects.select_related("order").get(pk=command.target_id)
    if request.status != Status.NEW:
        return
    order = request.order
    lines = [(line.line.sku_code, line.quantity) for line in request.lines.select_related("line")]
    if not connector.can(Capability.RETURNS):
        return  # no such interface at this supplier: staff handle it with the supplier and record the outcome
    service_id = connector.return_apply(order.number, order.supplier_order_no, request.number, request.exchange,
                                        lines, request.reason)
    return_move(request, Status.APPLIED, actor=by_source(f"订单指令 {command.pk}"), reason="已推送电商",
                supplier_service_id=service_id[:64])


def return_poll(request_id):
    from procurement.suppliers.registry import connector_for

    request = ReturnRequest.objects.select_related("order__supplier").get(pk=request_id)
    connector = connector_for(request.order.supplier)
    if request.status not in FOLLOWED or not connector.can(Capability.RETURNS):
        return request.status
    progress = connector.return_query(request.supplier_service_id)
    to_status = PROGRESS.get(progress.state)
    if to_status and to_status != request.status:
        return_move(request, to_status, actor=by_source(f"查询退换货 {request.number}"),
                    reason=progress.note or "电商更新进度", note=progress.note[:500])
        if to_status == Status.DONE and not request.exchange:
            _returned_whole(request.order)
    return request.status


def _returned_whole(order):
    taken = _taken(order)
    if all(taken.get(line.pk, 0) >= line.quantity for line in order.lines.all()):
        order_move_if(order, Order.Status.RETURNED, actor=by_source("退货完成"), reason="全部商品已退货")
