"""Following an order at its supplier until it is finished (seed 001 §2.13, §2.15): its state and split child
orders from the order query, its packages and their steps from the logistics interface.

The supplier's state moves ours forward only along the order state machine: an order the supplier reports
shipped before we confirmed it is not shipped here (it stops for staff instead).
"""
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from orders.models import Order, Shipment, ShipmentLine, SubOrder, TrackingStep
from orders.services.moves import order_move_if
from orders.services.payments import credit_due
from procurement.kernel.statemachine import by_source
from procurement.suppliers.base import Capability
from procurement.suppliers.records import OrderState
from procurement.suppliers.registry import connector_for

Status = Order.Status
FOLLOWED = (Status.SUBMITTED, Status.CONFIRMED, Status.SHIPPED)
MOVES = {  # supplier state → (our state, from which of ours, reason)
    OrderState.SHIPPED: (Status.SHIPPED, (Status.CONFIRMED,), "电商已发货"),
    OrderState.COMPLETED: (Status.COMPLETED, (Status.CONFIRMED, Status.SHIPPED), "电商报已完成（已妥投）"),
    OrderState.REFUSED: (Status.DELIVERY_REFUSED, (Status.CONFIRMED, Status.SHIPPED), "采购人拒收"),
    OrderState.CANCELLED: (Status.CANCELLED, (Status.SUBMITTED,), "电商已取消订单（未确认）"),
    OrderState.CONFIRMED: (Status.CONFIRMED, (Status.SUBMITTED,), "电商报已确认"),
}


def orders_due_for_poll(interval_minutes):
    stale = Q(polled_at__isnull=True) | Q(polled_at__lte=timezone.now() - timedelta(minutes=interval_minutes))
    return list(Order.objects.filter(stale, status__in=FOLLOWED).values_list("pk", flat=True))


def order_poll(order_id):
    """Ask the supplier about one order we follow; returns our status afterwards."""
    order = Order.objects.select_related("supplier").get(pk=order_id)
    if order.status not in FOLLOWED:
        return order.status
    connector = connector_for(order.supplier)
    actor = by_source(f"查询电商订单 {order.number}")
    if connector.can(Capability.ORDER_QUERY):
        held = connector.order_query(order.number)
        if held is not None:
            _apply_state(order, held, actor)
    if order.status in (Status.SHIPPED, Status.COMPLETED) and connector.can(Capability.ORDER_TRACK):
        packages_store(order, connector.order_track(order.number, order.supplier_order_no))
    Order.objects.filter(pk=order.pk).update(polled_at=timezone.now())
    return order.status


def _apply_state(order, held, actor):
    with transaction.atomic():
        _store_children(order, held)
        Order.objects.filter(pk=order.pk).update(supplier_state=held.state.value, supplier_amount=held.amount)
        move = MOVES.get(held.state)
        if move is None:
            return
        to_status, sources, reason = move
        if order.status in sources:
            extra = {"completed_at": timezone.now()} if to_status == Status.COMPLETED else {}
            if order_move_if(order, to_status, actor=actor, reason=reason, **extra) and to_status == Status.COMPLETED:
                credit_due(order, actor=actor)
        elif held.state is OrderState.SHIPPED and order.status == Status.SUBMITTED:
            Order.objects.filter(pk=order.pk).update(stop_reason="电商报已发货，但订单尚未确认：未确认的订单不能发货，请核实")


def _store_children(order, held):
    for child in held.children:
        SubOrder.objects.update_or_create(order=order, number=child.number[:64], defaults={
            "state": child.state.value, "amount": child.amount[:20],
            "lines": [{"sku": line.sku, "quantity": line.quantity, "price": line.price} for line in child.lines]})


def packages_store(order, packages):
    """Every package and step the supplier reports, each stored once however often it is reported."""
    for package in packages:
        with transaction.atomic():  # a package and its lines together, or a later poll would find it without
            _package_store(order, package)


def _package_store(order, package):
    shipment, created = Shipment.objects.get_or_create(
        order=order, supplier_order_no=package.supplier_order[:64], waybill=package.waybill[:100],
        defaults={"carrier": package.carrier[:100], "dispatch_no": package.dispatch[:100]})
    if created:
        ShipmentLine.objects.bulk_create([ShipmentLine(shipment=shipment, sku_code=sku[:64], name=name[:300],
                                                       quantity=quantity) for sku, name, quantity in package.lines])
    known = set(shipment.steps.values_list("at", "what"))
    TrackingStep.objects.bulk_create([
        TrackingStep(shipment=shipment, at=step.at, what=step.what[:500], who=step.who[:100])
        for step in package.steps if (step.at, step.what[:500]) not in known], ignore_conflicts=True)
