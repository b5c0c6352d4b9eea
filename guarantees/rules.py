"""Time rules of the seed that refuse an action, as the message staff and logs see."""
from django.utils import timezone

from guarantees.models import Section
from procurement.kernel.wire import format_wire_time


def restore_refusal(section, now=None):
    """Why the section's key may not be sent now, or None when it may (at or after opening, section normal)."""
    now = now or timezone.now()
    if now < section.opening_time:
        return f"开标前不能还原保函（开标时间 {format_wire_time(section.opening_time)}）"
    if section.status != Section.Status.NORMAL:
        return f"标段已{section.get_status_display()}，不还原保函"
    return None


def quit_refusal(section, now=None):
    """Why a withdrawal (quitapply) may not go out now, or None: the seed allows it only before the opening."""
    now = now or timezone.now()
    if now >= section.opening_time:
        return "已开标，不能退保"
    return None
