"""Read-only answers for guarantors: the anomalous sections of getbiaoduanyichang."""
from django.db.models import Exists, OuterRef, Q

from guarantees.models import Section, SectionStatusChange
from procurement.kernel import crypto
from procurement.kernel.wire import format_wire_time

# Until the opening time these leave us only as ciphertext under the section's key, exactly as in
# baohanapply (SM4-ECB is deterministic, so the guarantor matches them against what it holds).
SEALED_BEFORE_OPENING = ("projectno", "projectname", "biaoduanno", "biaoduanname", "remark", "chuliresault",
                         "gonggaotitle")


def section_anomalies(guarantor, since, now):
    """Sections this guarantor holds guarantees for, changed at or after `since`: those not normal, and those
    whose pause was lifted in that time (biaoduanstatus 0, our extension: the seed has no code for it)."""
    resumed = SectionStatusChange.objects.filter(
        section=OuterRef("pk"), to_state=Section.Status.NORMAL, at__gte=since,
    ).exclude(from_state=Section.Status.NORMAL)  # a moved opening time is no anomaly and no resumption
    sections = (
        Section.objects.filter(guarantees__guarantor=guarantor, updated_at__gte=since)
        .filter(~Q(status=Section.Status.NORMAL) | Exists(resumed)).distinct().order_by("updated_at", "pk")
    )
    return [_anomaly(section, now) for section in sections]


def _anomaly(section, now):
    row = {
        "projectno": section.project_no, "projectname": section.project_name,
        "biaoduanno": section.section_no, "biaoduanname": section.section_name,
        "biaoduanstatus": section.status, "remark": section.remark,
        "audittime": format_wire_time(section.audit_time) if section.audit_time else "",
        "chuliresault": section.handling_result, "issendweb": "1" if section.notice_published else "0",
        "gonggaotitle": section.notice_title,
    }
    if now < section.opening_time:
        for name in SEALED_BEFORE_OPENING:
            if row[name]:
                row[name] = crypto.sm4_encrypt(row[name], section.sm4_key)
    return row
