"""An order's (and a return's) state changes: through the state machine, with who or what caused each."""
from orders.models import Order, OrderStatusChange, ReturnRequest, ReturnStatusChange
from procurement.kernel.statemachine import IllegalTransition, transition


def order_move(order, to_status, *, actor, reason="", **extra):
    return transition(order, to_status, allowed=Order.TRANSITIONS, history=OrderStatusChange, actor=actor,
                      reason=reason, extra=extra or None, order=order)


def order_move_if(order, to_status, *, actor, reason="", **extra):
    """order_move, or nothing when another worker (or an earlier poll) got there first; True if it moved."""
    if order.status == to_status:
        return False
    try:
        order_move(order, to_status, actor=actor, reason=reason, **extra)
    except IllegalTransition:
        return False
    return True


def payment_move(order, to_status, *, actor, reason="", **extra):
    return transition(order, to_status, allowed=Order.PAYMENT_TRANSITIONS, history=OrderStatusChange, actor=actor,
                      reason=reason, field="payment_status", extra=extra or None, order=order)


def return_move(request, to_status, *, actor, reason="", **extra):
    return transition(request, to_status, allowed=ReturnRequest.TRANSITIONS, history=ReturnStatusChange,
                      actor=actor, reason=reason, extra=extra or None, request=request)
