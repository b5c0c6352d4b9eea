"""The docking tool's refusal: what was asked cannot be done now, said in Chinese for the person who asked."""
from procurement.kernel.statemachine import IllegalTransition


class DockingRefused(IllegalTransition):
    """An IllegalTransition, so the admin's action kit reports it by row like any refused state change."""
