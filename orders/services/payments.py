"""Credit terms (账期, seed 001 §2.18): on delivery a credit-terms order becomes due with its due date; the
purchaser's bank transfer is recorded (staff API and admin), pushed to the supplier, and its check result kept.
An order still due after its due date is overdue."""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from orders.models import CreditPayment, Order, OrderCommand
from orders.services.moves import payment_move
from procurement.kernel.statemachine import IllegalTransition, by_source
from procurement.kernel.wire import format_wire_time
from procurement.suppliers.base import Capability
from procurement.suppliers.records import BankTransfer, PaymentState

PaymentStatus = Order.PaymentStatus


def credit_due(order, *, actor):
    """A delivered credit-terms order is now to be paid within its unit's credit days."""
    if order.payment != Order.Payment.CREDIT or order.payment_status != PaymentStatus.NONE:
        return
    due = timezone.localdate() + timedelta(days=order.unit.credit_days)
    payment_move(order, PaymentStatus.DUE, actor=actor, reason=f"已妥投，账期付款到期日 {due}", due_date=due)


def overdue(orders=None):
    """The credit-terms orders still unpaid after their due date (a queryset)."""
    orders = Order.objects.all() if orders is None else orders
    return orders.filter(payment_status__in=[PaymentStatus.DUE, PaymentStatus.WRONG],
                         due_date__lt=timezone.localdate())


def payment_record(order, *, serial_no, amount, paid_at, bank_name, bank_account, actor):
    """Record the purchaser's transfer for a due order and push it to the supplier (when it has the interface)."""
    from orders.services.commands import command_create

    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("supplier").get(pk=order.pk)
        if order.payment_status not in (PaymentStatus.DUE, PaymentStatus.WRONG):
            raise IllegalTransition(f"订单「{order.get_payment_status_display()}」，不能登记付款（仅待付款的账期订单）")
        if amount != order.total:
            raise IllegalTransition(f"付款金额 {amount} 与订单金额 {order.total} 不一致")
        payment = CreditPayment.objects.create(order=order, serial_no=serial_no, amount=amount, paid_at=paid_at,
                                               bank_name=bank_name, bank_account=bank_account,
                                               recorded_by=getattr(actor, "user", None))
        payment_move(order, PaymentStatus.PAID, actor=actor, reason=f"登记转账 {serial_no}")
        command_create(order, OrderCommand.Action.PAYMENT, target_id=payment.pk)
    return payment


def payment_push(command, connector):
    payment = CreditPayment.objects.get(pk=command.target_id)
    if not connector.can(Capability.CREDIT_TERMS):
        return  # the supplier takes no payment notices: staff settle it with the supplier directly
    details = BankTransfer(payment.serial_no, f"{payment.amount:.2f}", format_wire_time(payment.paid_at),
                           payment.bank_name, payment.bank_account)
    receipt = connector.payment_push(command.order.number, command.order.supplier_order_no, details)
    CreditPayment.objects.filter(pk=payment.pk).update(receipt_id=receipt[:64])


def payment_check(order_id):
    """Ask the supplier whether it found the transfer of a paid order; moves the payment status on its answer."""
    from procurement.suppliers.registry import connector_for

    order = Order.objects.select_related("supplier").get(pk=order_id)
    connector = connector_for(order.supplier)
    if order.payment_status != PaymentStatus.PAID or not connector.can(Capability.CREDIT_TERMS):
        return order.payment_status
    check = connector.payment_check(order.number)
    payment = order.payments.order_by("-id").first()
    actor = by_source(f"电商核对付款 {order.number}")
    if check.state is PaymentState.CONFIRMED:
        CreditPayment.objects.filter(pk=payment.pk).update(verdict=CreditPayment.Check.CONFIRMED,
                                                           verdict_note=check.note[:500])
        payment_move(order, PaymentStatus.SETTLED, actor=actor, reason="电商已确认收款")
    elif check.state is PaymentState.WRONG:
        CreditPayment.objects.filter(pk=payment.pk).update(verdict=CreditPayment.Check.WRONG,
                                                           verdict_note=check.note[:500])
        payment_move(order, PaymentStatus.WRONG, actor=actor, reason=f"电商认为付款有误：{check.note}")
    return order.payment_status
