"""Guarantors and bid sections: creating them with fresh secrets and keys, and a section's status."""
import secrets

from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from guarantees.errors import NotAllowed
from guarantees.models import Guarantor, Section, SectionStatusChange
from procurement.kernel import crypto
from procurement.kernel.statemachine import transition
from procurement.kernel.wire import format_wire_time


@sensitive_variables("appsecret")
def guarantor_create(*, name, base_url, enabled=True, appkey=None, appsecret=None):
    """A guarantor with the appkey and appsecret we issue (given ones are kept, e.g. for the demo)."""
    return Guarantor.objects.create(
        name=name, base_url=base_url, enabled=enabled,
        appkey=appkey or f"gt{secrets.token_hex(8)}", appsecret=appsecret or secrets.token_hex(16),
    )


def guarantor_regenerate_secret(guarantor):
    guarantor.appsecret = secrets.token_hex(16)
    guarantor.save(update_fields=["appsecret"])
    return guarantor.appsecret


def section_create(**fields):
    """A section with its own fresh SM4 key, which leaves us only at or after its opening time."""
    return Section.objects.create(sm4_key=crypto.new_sm4_key(), **fields)


def section_set_status(section, to_status, *, actor, reason=""):
    """流标 / 终止 / 暂停 / 作废 / back to normal; guarantors see it through getbiaoduanyichang."""
    return transition(
        section, to_status, allowed=Section.TRANSITIONS, history=SectionStatusChange, actor=actor,
        reason=reason, extra={"updated_at": timezone.now()}, section=section,
    )


# Sent to guarantors sealed under the section's key: once an application went out they must not change.
SEALED_FIELDS = ("section_no", "section_name", "tenderer", "tenderer_code")


def section_reschedule(section, opening_time, *, actor, reason=""):
    """Move the opening time (延期开标), never into the past, and record it in the section's history."""
    if opening_time <= timezone.now():
        raise NotAllowed("新的开标时间必须晚于当前时间（提前开标会立即发出还原密钥）")
    before = section.opening_time
    with transaction.atomic():
        Section.objects.filter(pk=section.pk).update(opening_time=opening_time, updated_at=timezone.now())
        SectionStatusChange.objects.create(
            section=section, from_state=section.status, to_state=section.status, actor=actor.user,
            source=actor.source, reason=f"开标时间由 {format_wire_time(before)} 改为 {format_wire_time(opening_time)}"
                                        + (f"：{reason}" if reason else ""),
        )
    section.opening_time = opening_time
    return section
