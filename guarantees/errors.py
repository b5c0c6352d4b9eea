"""The guarantee app's domain errors: a rule that refuses a staff action, a notice we answer with code 0."""
from procurement.kernel.statemachine import IllegalTransition


class NotAllowed(IllegalTransition):
    """A business rule refuses the action (restore before opening, quit after opening…); the message says why."""


class NoticeRefused(Exception):
    """A guarantor's notice we answer with code 0 and this message."""


class DuplicateApplication(NotAllowed):
    """The bidder already has a live application for this section with this guarantor."""

    def __init__(self, existing):
        super().__init__(f"该投标企业在此标段已有有效的投保申请 {existing.applyno}（{existing.get_status_display()}）")
        self.existing = existing
