"""Messages we owe guarantors: queued as deliveries, sent by a job through the client, effects applied on success."""
from django.utils import timezone

from guarantees import client
from guarantees.models import Claim, Guarantee, InvoiceRequest, OutboundMessage
from guarantees.rules import quit_refusal, restore_refusal
from guarantees.services.moves import guarantee_move, invoice_move
from procurement.kernel.delivery import delivery_send, enqueue_when_committed
from procurement.kernel.statemachine import IllegalTransition, by_source

Interface = OutboundMessage.Interface
SEND_TASK = "guarantees.jobs.send_message"
# What client.send (its guarantor, the section's key and texts, the invoice or claim) and the effects read.
_SEND_READS = ("guarantee__guarantor", "guarantee__section", "invoice", "claim")


def message_enqueue(interface, guarantee, **links):
    """Create the delivery row; the send job is enqueued only once the caller's transaction commits."""
    message = OutboundMessage.objects.create(interface=interface, guarantee=guarantee, **links)
    enqueue_when_committed(SEND_TASK, message.pk)
    return message


def message_send(pk):
    return delivery_send(OutboundMessage, pk, _send, related=_SEND_READS, on_failed=_given_up)


def _given_up(message):
    after_failure = _AFTER_FAILURE.get(message.interface)
    if after_failure:
        after_failure(message)


def _restore_postponed(message):
    """A restore refused on our side (the section paused, its opening moved) waits to be started again."""
    refusal = restore_refusal(message.guarantee.section)
    if refusal:
        _move_if(guarantee_move, message.guarantee, Guarantee.Status.RESTORING, Guarantee.Status.ISSUED,
                 "开标还原任务", f"暂不还原：{refusal}")


def _quit_too_late(message):
    """A withdrawal the opening overtook before it went out: the guarantee stays in force (and is restored)."""
    refusal = quit_refusal(message.guarantee.section)
    if not refusal:
        return
    reason = f"退保申请未发出（{refusal}），保函继续有效"
    if message.attempts > 1:  # an earlier try got no usable answer: the bank may have seen it before the opening
        reason += "；此前的发送未得到应答，如金融机构已办理退保请人工核实"
    _move_if(guarantee_move, message.guarantee, Guarantee.Status.QUITTING, Guarantee.Status.ISSUED,
             "quitapply 发送任务", reason)


def _send(message):
    client.send(message)
    effect = _EFFECTS.get(message.interface)
    if effect:
        effect(message)


def _applied(message):
    _move_if(guarantee_move, message.guarantee, Guarantee.Status.APPLYING, Guarantee.Status.APPLIED,
             "baohanapply 应答", "投保申请已被受理")


def _cancelled(message):
    _move_if(guarantee_move, message.guarantee, Guarantee.Status.CANCELLING, Guarantee.Status.CANCELLED,
             "canclenotice 应答", "金融机构已受理注销")


def _invoice_sent(message):
    _move_if(invoice_move, message.invoice, InvoiceRequest.Status.REQUESTED, InvoiceRequest.Status.SENT,
             "invoiceapply 应答", "已受理")


def _claim_answered(message):
    Claim.objects.filter(pk=message.claim_id, answered_at__isnull=True).update(answered_at=timezone.now())


def _move_if(move, obj, from_state, to_state, source, reason):
    """`move(obj, to_state)` if `obj` is still in `from_state`; a notice may have got there first
    (e.g. baohannotice before the reply to baohanapply, invoicenotice before the reply to invoiceapply),
    in which case the move's update, conditional on `from_state`, changes nothing and is dropped."""
    if obj.status != from_state:
        return
    try:
        move(obj, to_state, actor=by_source(source), reason=reason)
    except IllegalTransition:
        pass


_AFTER_FAILURE = {Interface.RESTORE: _restore_postponed, Interface.QUIT: _quit_too_late}

_EFFECTS = {
    Interface.APPLY: _applied,
    Interface.CANCEL: _cancelled,
    Interface.INVOICE: _invoice_sent,
    Interface.CLAIM: _claim_answered,
}
