"""A named lease in the database: one holder at a time, across worker processes and hosts.

Taken with a conditional update (like a delivery claim), so no transaction is held while the
holder works; a holder that dies loses the lease when it expires.
"""
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.utils import timezone


class LeaseBusy(Exception):
    """The lease stayed taken for the whole wait."""


@contextmanager
def lease_held(model, name, *, hold_seconds, wait_seconds, poll_seconds=0.05):
    """Hold lease `name` of `model` (fields: name, holder, expires_at) inside the block."""
    holder = uuid.uuid4().hex
    deadline = time.monotonic() + wait_seconds
    while not _take(model, name, holder, hold_seconds):
        if time.monotonic() >= deadline:
            raise LeaseBusy(f"{name} 被占用超过 {wait_seconds:g} 秒")
        time.sleep(poll_seconds)
    try:
        yield holder
    finally:
        model.objects.filter(name=name, holder=holder).update(holder="", expires_at=timezone.now())


def _take(model, name, holder, hold_seconds):
    now = timezone.now()
    taken = model.objects.filter(name=name).filter(models.Q(holder="") | models.Q(expires_at__lt=now)).update(
        holder=holder, expires_at=now + timedelta(seconds=hold_seconds)
    )
    if taken:
        return True
    if model.objects.filter(name=name).exists():
        return False
    try:
        with transaction.atomic():
            model.objects.create(name=name, holder=holder, expires_at=now + timedelta(seconds=hold_seconds))
    except IntegrityError:
        return False
    return True
