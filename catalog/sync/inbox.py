"""The inbox of change events: stored before they are applied, acknowledged at the supplier only once applied.

An event is known by its id and a fingerprint of what it says (kind, SKU, time), so a redelivered event
is recognised: if it was applied it is only acknowledged again, otherwise it waits in the inbox like any
other. An id that comes back saying something else is a new event (the contract says ids are unique;
a supplier that reuses them must not lose the change): it is stored beside the first, with a note, and
the id is acknowledged only once every event stored under it is applied.
"""
import hashlib
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from catalog.models import SupplierMessage
from catalog.sync.plan import message_order
from procurement.kernel.retry import RetryPolicy
from procurement.kernel.storable import storable

Status = SupplierMessage.Status
UNAPPLIED = (Status.RECEIVED, Status.RETRYING)
SKU_CODE_MAX = SupplierMessage._meta.get_field("sku_code").max_length
REUSED_NOTE = "消息ID与先前收到的消息相同但内容不同，按新消息处理"


@dataclass
class Stored:
    stored: int = 0
    duplicates: int = 0
    reused: int = 0
    already_applied: tuple = ()  # ids to acknowledge again (applied here, redelivered by the supplier)


def fingerprint(kind, sku, sent_at):
    """What an event says, in 16 hex characters (kind, SKU and time; the rest is fetched when it is applied)."""
    said = f"{kind}|{sku}|{int(sent_at.timestamp()) if sent_at else ''}"  # an instant, whatever its time zone
    return hashlib.sha256(said.encode("utf-8")).hexdigest()[:16]


def inbox_store(supplier, events, run):
    """Store the events not seen before (by id and fingerprint)."""
    page = {(e.id, fingerprint(e.kind.value, e.sku, e.time)): e for e in events}
    known = set(SupplierMessage.objects.filter(supplier=supplier, message_id__in={e.id for e in events})
                .values_list("message_id", "fingerprint"))
    known_ids = {message_id for message_id, _ in known}
    fresh = [_row(supplier, event, digest, run, reused=event.id in known_ids)
             for (event_id, digest), event in page.items() if (event_id, digest) not in known]
    SupplierMessage.objects.bulk_create(fresh, ignore_conflicts=True)
    redelivered = {event_id for event_id, digest in page if (event_id, digest) in known}
    return Stored(stored=len(fresh), duplicates=len(events) - len(fresh), reused=sum(1 for r in fresh if REUSED_NOTE in r.note),
                  already_applied=tuple(acknowledgeable(supplier, redelivered)))


def _row(supplier, event, digest, run, reused):
    row = SupplierMessage(supplier=supplier, message_id=event.id, fingerprint=digest, kind=event.kind.value,
                          sku_code=event.sku[:SKU_CODE_MAX], sent_at=event.time, raw=storable(event.raw), run=run,
                          census=event.census,
                          note="；".join(filter(None, [event.note, REUSED_NOTE if reused else ""])))
    if event.problem:
        row.status, row.last_error = Status.FAILED, event.problem
    return row


def acknowledgeable(supplier, message_ids):
    """Those of `message_ids` whose every stored event is applied (an id is acknowledged for all its events)."""
    ids = set(message_ids)
    if not ids:
        return []
    pending = set(SupplierMessage.objects.filter(supplier=supplier, message_id__in=ids)
                  .exclude(status=Status.APPLIED).values_list("message_id", flat=True))
    return sorted(ids - pending, key=lambda i: (len(i), i))


def inbox_due(supplier, limit):
    """Messages to apply now, oldest first: new ones, and retries whose back-off has passed."""
    due = SupplierMessage.objects.filter(supplier=supplier, status__in=UNAPPLIED, next_attempt_at__lte=timezone.now())
    return sorted(due.order_by("sent_at", "id")[:limit], key=message_order)


def inbox_unacknowledged(supplier):
    """Ids applied here but not yet acknowledged at the supplier (a pass died in between, or the call failed)."""
    ids = SupplierMessage.objects.filter(supplier=supplier, status=Status.APPLIED, acked_at__isnull=True)
    return acknowledgeable(supplier, ids.values_list("message_id", flat=True))


def inbox_mark_acknowledged(supplier, message_ids):
    SupplierMessage.objects.filter(supplier=supplier, message_id__in=list(message_ids)).update(acked_at=timezone.now())


def messages_mark_applied(messages, run, notes):
    """Mark `messages` applied, if no one else did; returns the ids now to acknowledge. Call inside the page's
    transaction."""
    now = timezone.now()
    by_note = {}
    for message in messages:
        by_note.setdefault(notes.get(message.pk, ""), []).append(message.pk)
    for note, pks in by_note.items():
        marked = SupplierMessage.objects.filter(pk__in=pks, status__in=UNAPPLIED).update(
            status=Status.APPLIED, applied_at=now, run=run, last_error="", attempts=F("attempts") + 1,
            **({"note": note} if note else {}),
        )
        if marked != len(pks):
            raise MessagesTaken("另一个同步任务已处理了其中的消息")
    return acknowledgeable(messages[0].supplier_id if messages else None, {m.message_id for m in messages})


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


def messages_stop(messages, problem):
    """Stop these messages for staff at once (not retried), with the reason."""
    SupplierMessage.objects.filter(pk__in=[m.pk for m in messages], status__in=UNAPPLIED).update(
        status=Status.FAILED, last_error=problem[:2000], attempts=F("attempts") + 1)


def messages_retry(messages):
    """Staff re-run stopped messages (one UPDATE): applied again on the next pass, with fresh tries."""
    return messages.filter(status=Status.FAILED).update(
        status=Status.RECEIVED, attempts=0, next_attempt_at=timezone.now(), last_error="",
    )


class MessagesTaken(Exception):
    """Another worker applied some of these messages first; this page is rolled back."""
