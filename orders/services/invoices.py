"""E-invoices (seed 001 §2.21): asked for once an order is completed until issued, then the file fetched once and
kept privately (only staff with the order permission download it)."""
from django.core.files.base import ContentFile
from django.utils import timezone

from orders.models import Order, OrderInvoice
from procurement.kernel import http
from procurement.suppliers.base import Capability
from procurement.suppliers.registry import connector_for


def orders_awaiting_invoice():
    return list(Order.objects.filter(status=Order.Status.COMPLETED).exclude(invoice__issued=True)
                .values_list("pk", flat=True))


def invoice_fetch(order_id):
    """Ask for the order's invoice; store its numbers, and its file once issued. Returns the OrderInvoice."""
    order = Order.objects.select_related("supplier").get(pk=order_id)
    connector = connector_for(order.supplier)
    invoice, _ = OrderInvoice.objects.get_or_create(order=order)
    if not connector.can(Capability.INVOICES) or (invoice.issued and invoice.file):
        return invoice
    info = connector.invoice_query(order.number, order.supplier_order_no)
    invoice.issued, invoice.code, invoice.number = info.issued, info.code[:40], info.number[:40]
    invoice.amount, invoice.issued_at, invoice.url, invoice.checked_at = info.amount[:20], info.issued_at, info.url, \
        timezone.now()
    if info.issued and info.url and not invoice.file:
        _download(invoice, order)
    invoice.save()
    return invoice


def _download(invoice, order):
    party = http.Counterparty("supplier", order.supplier.code, "")
    try:
        reply = http.call(party, "invoice_file", invoice.url, method="GET", reference=order.number)
    except http.OutboundError as error:
        invoice.fetch_error = str(error)[:2000]
        return
    invoice.file.save(f"{order.number}.pdf", ContentFile(reply.content), save=False)
    invoice.fetch_error = ""
