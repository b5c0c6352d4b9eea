"""django-q2 task functions of the orders: take row ids, call a service, nothing else."""
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from orders.models import Order, OrderCommand, ReconciliationRun, ReturnRequest
from orders.services.commands import SEND_TASK, command_send
from orders.services.invoices import invoice_fetch, orders_awaiting_invoice
from orders.services.payments import payment_check
from orders.services.reconciliation import RUN_TASK, reconciliation_run, reconciliation_start
from orders.services.returns import FOLLOWED as RETURNS_FOLLOWED
from orders.services.returns import return_poll
from orders.services.tracking import order_poll, orders_due_for_poll
from procurement.kernel.delivery import deliveries_dispatch
from procurement.kernel.queue import enqueue
from procurement.models import Supplier
from procurement.suppliers.base import Capability
from procurement.suppliers.registry import connector_for


def send_command(command_id):
    return command_send(command_id)


def commands_dispatch():
    """Due retries, sends a dead worker abandoned, and commands whose own enqueue was lost."""
    return deliveries_dispatch(OrderCommand, SEND_TASK)


def poll_order(order_id):
    return order_poll(order_id)


def poll_orders_due():
    """Every few minutes: each order not yet finished is asked about (claimed first, so a slow queue gets one copy)."""
    queued = 0
    for pk in orders_due_for_poll(settings.ORDERS_POLL_MINUTES):
        if Order.objects.filter(pk=pk).filter(_stale()).update(polled_at=timezone.now()):
            enqueue("orders.jobs.poll_order", pk, task_name=f"order-poll-{pk}")
            queued += 1
    return queued


def _stale():
    return Q(polled_at__isnull=True) | Q(polled_at__lte=timezone.now() - timedelta(minutes=settings.ORDERS_POLL_MINUTES))


def follow_after_sales():
    """Hourly: returns in progress, payments waiting for the supplier's check, invoices not yet fetched."""
    for pk in ReturnRequest.objects.filter(status__in=RETURNS_FOLLOWED).values_list("pk", flat=True):
        enqueue("orders.jobs.poll_return", pk)
    for pk in Order.objects.filter(payment_status=Order.PaymentStatus.PAID).values_list("pk", flat=True):
        enqueue("orders.jobs.check_payment", pk)
    for pk in orders_awaiting_invoice():
        enqueue("orders.jobs.fetch_invoice", pk)


def poll_return(request_id):
    return return_poll(request_id)


def check_payment(order_id):
    return payment_check(order_id)


def fetch_invoice(order_id):
    return invoice_fetch(order_id).issued


def run_reconciliation(run_id):
    return reconciliation_run(run_id)


def reconciliations_dispatch():
    return deliveries_dispatch(ReconciliationRun, RUN_TASK)


def reconcile_yesterday():
    """Daily: yesterday's orders of every supplier with the reconciliation interface."""
    day = timezone.localdate() - timedelta(days=1)
    started = []
    for supplier in Supplier.objects.exclude(docking_status=Supplier.DockingStatus.SUSPENDED):
        if connector_for(supplier).can(Capability.RECONCILIATION) and not ReconciliationRun.objects.filter(
                supplier=supplier, day=day).exists():
            reconciliation_start(supplier, day)
            started.append(supplier.code)
    return started
