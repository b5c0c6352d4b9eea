"""The transitions of guarantees and their invoices, each written to the guarantee's timeline."""
from guarantees.models import Guarantee, GuaranteeEvent, InvoiceRequest
from procurement.kernel.statemachine import transition


def guarantee_move(guarantee, to_status, *, actor, reason="", extra=None):
    return transition(
        guarantee, to_status, allowed=Guarantee.TRANSITIONS, history=GuaranteeEvent, actor=actor,
        reason=reason, extra=extra, guarantee=guarantee,
    )


def invoice_move(invoice, to_status, *, actor, reason="", extra=None):
    """An invoice's status change, recorded in its guarantee's timeline."""
    return transition(
        invoice, to_status, allowed=InvoiceRequest.TRANSITIONS, history=GuaranteeEvent, actor=actor,
        reason=reason, extra=extra, guarantee=invoice.guarantee,
    )
