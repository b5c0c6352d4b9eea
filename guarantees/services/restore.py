"""Restoring guarantees at the opening time: the section's key goes to each guarantor, never earlier."""
from django.db import transaction
from django.utils import timezone

from guarantees.errors import NotAllowed
from guarantees.models import Guarantee, OutboundMessage, Section
from guarantees.rules import restore_refusal
from guarantees.services.messages import message_enqueue
from guarantees.services.moves import guarantee_move
from guarantees.services.validity import guarantee_judge_validity
from procurement.kernel.statemachine import IllegalTransition, by_source


def guarantee_restore(guarantee, *, actor):
    """Queue baohanrestore with the section's key for one issued guarantee; refused before opening.

    This is the opening for the guarantee: it is judged valid or invalid (基本户) here, and restored either way
    (an invalid guarantee's plaintext file is the evidence).
    """
    refusal = restore_refusal(guarantee.section)
    if refusal:
        raise NotAllowed(refusal)
    with transaction.atomic():
        guarantee_judge_validity(guarantee, actor=actor)
        guarantee_move(guarantee, Guarantee.Status.RESTORING, actor=actor, reason="开标后还原保函")
        message_enqueue(OutboundMessage.Interface.RESTORE, guarantee)
    return guarantee


def restores_due():
    """Start the restore of every issued guarantee whose section has opened normally; returns how many."""
    due = Guarantee.objects.filter(
        status=Guarantee.Status.ISSUED, section__status=Section.Status.NORMAL,
        section__opening_time__lte=timezone.now(),
    ).select_related("section")
    started = 0
    for guarantee in due:
        try:
            guarantee_restore(guarantee, actor=by_source("开标还原任务"))
            started += 1
        except IllegalTransition:
            continue  # another worker started it, or the section changed meanwhile
    return started
