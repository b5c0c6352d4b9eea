"""Outbound deliveries: a row per message we owe a counterparty, sent by a job, retried by our policy.

An app defines a concrete model on `Delivery` (with its own links) and a job that calls
`delivery_send(Model, pk, send)`. Claiming is a conditional update, so two workers never send the
same delivery at once; a worker killed mid-send leaves a SENDING row that `deliveries_due` hands
out again after `stuck_after` (at-least-once: counterparties must treat replays as replays).
"""
import logging
import traceback
from datetime import timedelta

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from procurement.kernel.http import OutboundError, purpose
from procurement.kernel.queue import enqueue, queue_in_database
from procurement.kernel.retry import DEFAULT_POLICY

logger = logging.getLogger(__name__)


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        RETRYING = "retrying", "等待重试"
        DONE = "done", "已完成"
        FAILED = "failed", "失败待处理"

    status = models.CharField("发送状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField("开始发送", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    last_attempt_id = models.BigIntegerField("最近调用记录", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        abstract = True


def delivery_send(model, pk, send, policy=DEFAULT_POLICY, related=(), on_failed=None):
    """Claim delivery `pk`, call `send(delivery)`, and record the outcome. Returns the final status.

    `related`: the relations `send` reads, loaded with the delivery in one query.
    `on_failed(delivery)`: called once the delivery is given up (FAILED), with the row `send` was given.
    """
    now = timezone.now()
    claimed = model.objects.filter(
        pk=pk, status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING], next_attempt_at__lte=now
    ).update(status=Delivery.Status.SENDING, claimed_at=now, attempts=models.F("attempts") + 1)
    if not claimed:
        return None
    # Not select_related() when `related` is empty: that would join every non-null relation, recursively.
    delivery = (model.objects.select_related(*related) if related else model.objects).get(pk=pk)
    try:
        with purpose(model._meta.label_lower, pk):
            send(delivery)
    except OutboundError as error:
        status = _failed(model, delivery, error, str(error), error.attempt_id, policy)
    except Exception as error:  # a bug must not leave the row SENDING forever, nor retry blindly
        logger.exception("delivery %s %s failed unexpectedly", model.__name__, pk)
        status = _failed(model, delivery, error, _summary(error), None, policy)
    else:
        model.objects.filter(pk=pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.DONE, done_at=timezone.now(), last_error=""
        )
        return Delivery.Status.DONE
    if status == Delivery.Status.FAILED and on_failed is not None:
        on_failed(delivery)
    return status


def _failed(model, delivery, error, message, attempt_id, policy):
    retry = policy.should_retry(error, delivery.attempts)
    status = Delivery.Status.RETRYING if retry else Delivery.Status.FAILED
    model.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=status, last_error=message[:4000], last_attempt_id=attempt_id,
        next_attempt_at=timezone.now() + policy.delay(delivery.attempts) if retry else delivery.next_attempt_at,
    )
    return status


def _summary(error):
    lines = traceback.format_exception_only(type(error), error)
    return "内部错误：" + "".join(lines).strip()


def deliveries_due(model, stuck_after=timedelta(minutes=10), pending_grace=timedelta(minutes=5),
                   policy=DEFAULT_POLICY):
    """Ids to hand to the send job now: due retries, sends abandoned by a dead worker, and new rows whose
    own enqueue was evidently lost (still pending after `pending_grace`; normally their job runs at once)."""
    now = timezone.now()
    abandoned = model.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=now - stuck_after)
    abandoned.filter(attempts__gte=policy.max_attempts).update(
        status=Delivery.Status.FAILED, last_error="发送中断（进程退出），已达最多尝试次数，等待人工处理")
    abandoned.update(status=Delivery.Status.RETRYING, next_attempt_at=now, last_error="发送中断（进程退出），重新发送")
    due = (Q(status=Delivery.Status.RETRYING, next_attempt_at__lte=now)
           | Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now - pending_grace))
    return list(model.objects.filter(due).values_list("pk", flat=True))


def deliveries_dispatch(model, task_path):
    """Hand every due delivery of `model` to `task_path(pk)`; returns how many (the dispatcher schedules' body)."""
    due = deliveries_due(model)
    for pk in due:
        enqueue(task_path, pk)
    return len(due)


def delivery_resubmit(delivery):
    """Staff send a failed delivery again: it starts over with a fresh attempt budget."""
    return deliveries_resubmit(type(delivery).objects.filter(pk=delivery.pk))


def delivery_make_due(delivery):
    """Send now: a failed delivery starts over, a pending or retrying one is due at once. False if sending or done."""
    if delivery.status == Delivery.Status.FAILED:
        return bool(delivery_resubmit(delivery))
    return bool(type(delivery).objects.filter(
        pk=delivery.pk, status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING]
    ).update(next_attempt_at=timezone.now()))


def deliveries_resubmit(queryset, task_path=None):
    """Staff send the failed deliveries of `queryset` again (the others are left alone), in one UPDATE: each
    starts over with a fresh attempt budget. Returns how many.

    With `task_path`, each one's send job is queued with the commit, so it goes out at once instead of
    waiting for the dispatcher's pending grace (`deliveries_due`).
    """
    fresh = dict(status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="")
    if task_path is None:
        return queryset.filter(status=Delivery.Status.FAILED).update(**fresh)
    rows = queryset.model._default_manager
    with transaction.atomic():
        # Locked, so a concurrent resubmit of the same rows waits and then finds them no longer failed.
        failed = rows.filter(pk__in=queryset.values("pk"), status=Delivery.Status.FAILED).select_for_update()
        pks = list(failed.values_list("pk", flat=True))
        count = rows.filter(pk__in=pks).update(**fresh)
        for pk in pks:
            enqueue_when_committed(task_path, pk)
    return count


def enqueue_when_committed(task_path, pk, **options):
    """Hand `task_path(pk)` to the job queue together with the current transaction, never before it commits.

    With the ORM broker the queue is a table of the same database: the task row is written inside the
    transaction and commits (or rolls back) with the data, in one commit, and cannot be lost in between.
    With another broker (Redis) the task is pushed from on_commit; a task lost to a crash right after
    the commit is picked up by the app's dispatcher schedule (`deliveries_due`).
    """
    if queue_in_database():
        enqueue(task_path, pk, **options)
    else:
        # robust: a broker that is down must not turn an already-committed request into an error reply.
        transaction.on_commit(lambda: enqueue(task_path, pk, **options), robust=True)
