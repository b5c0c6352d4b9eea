"""The inbox of supplier messages: stored before they are applied, deleted at the supplier only once applied.

A message id is unique per supplier, so a redelivered message is recognised: if it was applied it is
only deleted at the supplier again, otherwise it waits in the inbox like any other.
"""
import math

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from catalog.models import SupplierMessage
from catalog.sync.plan import message_order
from procurement.kernel.retry import RetryPolicy
from procurement.suppliers.emall.wire import EMALL_LIST_SEPARATOR, EMALL_STATE_OFF, EMALL_STATE_ON

Status = SupplierMessage.Status
STATEFUL_TYPES = (SupplierMessage.Type.POOL,)  # a pool message says add (1) or remove (0)
UNAPPLIED = (Status.RECEIVED, Status.RETRYING)


def inbox_store(supplier, pool_messages, run):
    """Store the messages not seen before. Returns (stored, duplicates, ids of those already applied)."""
    ids = [m.id for m in pool_messages]
    known = dict(SupplierMessage.objects.filter(supplier=supplier, message_id__in=ids)
                 .values_list("message_id", "status"))
    fresh = {}
    for message in pool_messages:
        if message.id not in known and message.id not in fresh:
            fresh[message.id] = _row(supplier, message, run)
    SupplierMessage.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    applied = [message_id for message_id, status in known.items() if status == Status.APPLIED]
    return len(fresh), len(pool_messages) - len(fresh), applied


def _row(supplier, message, run):
    row = SupplierMessage(supplier=supplier, message_id=message.id, type=message.type, sku_code=message.sku,
                          state=message.state, sent_at=message.time, raw=message.raw, run=run)
    problem = _unusable(message)
    if problem:
        row.status, row.last_error = Status.FAILED, problem
    return row


def _unusable(message):
    """Why a stored message can never be applied as sent, or ''. (A type §6.3 does not define is applied
    as a no-op with a note, and so deleted: such messages must not pile up at the head of the pool.)"""
    if EMALL_LIST_SEPARATOR in message.sku:
        return f"商品编号「{message.sku}」含有列表分隔符“{EMALL_LIST_SEPARATOR}”，无法批量查询"
    if message.type in STATEFUL_TYPES and message.state not in (EMALL_STATE_ON, EMALL_STATE_OFF):
        return f"{message.type} 类消息的 state 应为 {EMALL_STATE_ON} 或 {EMALL_STATE_OFF}，实为 {message.state!r}"
    return ""


def inbox_due(supplier, limit):
    """Messages to apply now, oldest first: new ones, and retries whose back-off has passed."""
    due = SupplierMessage.objects.filter(supplier=supplier, status__in=UNAPPLIED, next_attempt_at__lte=timezone.now())
    return sorted(due.order_by("sent_at", "id")[:limit], key=message_order)


def inbox_unacknowledged(supplier):
    """Ids applied here but not yet deleted at the supplier (a pass died in between, or the delete failed)."""
    return list(SupplierMessage.objects.filter(supplier=supplier, status=Status.APPLIED, acked_at__isnull=True)
                .values_list("message_id", flat=True))


def inbox_mark_acknowledged(supplier, message_ids):
    SupplierMessage.objects.filter(supplier=supplier, message_id__in=list(message_ids)).update(acked_at=timezone.now())


def messages_mark_applied(messages, run, notes):
    """Mark `messages` applied, if no one else did; returns their supplier ids. Call inside the page's transaction."""
    now = timezone.now()
    by_note = {}
    for message in messages:
        by_note.setdefault(notes.get(message.pk, ""), []).append(message.pk)
    for note, pks in by_note.items():
        marked = SupplierMessage.objects.filter(pk__in=pks, status__in=UNAPPLIED).update(
            status=Status.APPLIED, applied_at=now, run=run, note=note, last_error="", attempts=F("attempts") + 1,
        )
        if marked != len(pks):
            raise MessagesTaken("另一个同步任务已处理了其中的消息")
    return [message.message_id for message in messages]


def messages_mark_failed(messages, problem):
    """One more failed try for each; after CATALOG_MESSAGE_MAX_ATTEMPTS tries a message stops and waits for staff."""
    pks = [message.pk for message in messages]
    attempts = max((message.attempts for message in messages), default=0) + 1
    # Plain doubling, no jitter and no cap; after max_attempts tries the message waits for staff instead.
    policy = RetryPolicy(max_attempts=settings.CATALOG_MESSAGE_MAX_ATTEMPTS,
                         base_seconds=settings.CATALOG_SYNC_BACKOFF_SECONDS, cap_seconds=math.inf, jitter=0)
    SupplierMessage.objects.filter(pk__in=pks, status__in=UNAPPLIED).update(
        status=Status.RETRYING, attempts=F("attempts") + 1, last_error=problem[:2000],
        next_attempt_at=timezone.now() + policy.delay(attempts),
    )
    SupplierMessage.objects.filter(pk__in=pks, status=Status.RETRYING,
                                   attempts__gte=policy.max_attempts).update(status=Status.FAILED)


def messages_retry(messages):
    """Staff re-run stopped messages (one UPDATE): applied again on the next pass, with fresh tries."""
    return messages.filter(status=Status.FAILED).update(
        status=Status.RECEIVED, attempts=0, next_attempt_at=timezone.now(), last_error="",
    )


class MessagesTaken(Exception):
    """Another worker applied some of these messages first; this page is rolled back."""
