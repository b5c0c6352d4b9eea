"""Invoices for a guarantee's premium: the request (invoiceapply) and the guarantor's answer (invoicenotice)."""
from django.db import transaction

from guarantees.errors import NotAllowed
from guarantees.models import Guarantee, InvoiceRequest, OutboundMessage
from guarantees.services.messages import message_enqueue

INVOICEABLE = {Guarantee.Status.RESTORED, Guarantee.Status.CLAIMED, Guarantee.Status.CANCELLING,
               Guarantee.Status.CANCELLED}


def invoice_refusal(guarantee, kind, amount, details):
    """Why this invoice request is refused, or None; a 专票 needs address, phone, bank and account."""
    if guarantee.status not in INVOICEABLE:
        return f"保函{guarantee.get_status_display()}，开标还原后才能申请发票"
    if guarantee.invoices.filter(status__in=InvoiceRequest.OPEN).exists():
        return "该保函已有待开具的发票申请，请等待金融机构开票结果"
    if kind == InvoiceRequest.Kind.SPECIAL:
        missing = [InvoiceRequest._meta.get_field(name).verbose_name
                   for name in InvoiceRequest.SPECIAL_FIELDS if not details.get(name)]
        if missing:
            return "专票必须填写：" + "、".join(missing)
    amount = guarantee.cost if amount is None else amount
    if amount is None or amount <= 0:
        return "开票金额必须大于 0"
    return None


def invoice_request(guarantee, *, kind, actor, amount=None, **details):
    """Ask the guarantor for an invoice (invoiceapply); the amount defaults to the guarantee's cost."""
    refusal = invoice_refusal(guarantee, kind, amount, details)
    if refusal:
        raise NotAllowed(refusal)
    amount = guarantee.cost if amount is None else amount
    with transaction.atomic():
        invoice = InvoiceRequest.objects.create(
            guarantee=guarantee, kind=kind, amount=amount, created_by=actor.user, **details
        )
        message_enqueue(OutboundMessage.Interface.INVOICE, guarantee, invoice=invoice)
    return invoice
