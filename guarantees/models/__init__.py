"""The guarantee app's models: guarantors and sections, guarantees, after-care, and the messages exchanged."""
from guarantees.models.aftercare import Claim, InvoiceRequest
from guarantees.models.exchange import CheckMismatch, CheckRun, InboundNotice, OutboundMessage
from guarantees.models.guarantee import Guarantee, GuaranteeEvent
from guarantees.models.parties import Guarantor, Section, SectionStatusChange

__all__ = [
    "Claim", "CheckMismatch", "CheckRun", "Guarantee", "GuaranteeEvent", "Guarantor", "InboundNotice",
    "InvoiceRequest", "OutboundMessage", "Section", "SectionStatusChange",
]
