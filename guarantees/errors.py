"""The guarantee app's domain errors: a rule that refuses a staff action, a notice we answer with code 0."""
from procurement.statemachine import IllegalTransition


class NotAllowed(IllegalTransition):
    """A business rule refuses the action (restore before opening, quit after opening…); the message says why."""


class NoticeRefused(Exception):
    """A guarantor's notice we answer with code 0 and this message."""
