"""Leases in the database: one holder at a time of a row, across worker processes and hosts.

Taken with a conditional update (like a delivery claim), so no transaction is held while the holder
works; a holder that dies loses the lease when it expires. The catalog sync holds its supplier's
sync row this way, and the customs signer the signing device.
"""
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.utils import timezone


class LeaseBusy(Exception):
    """The lease stayed taken for the whole wait."""


class Lease:
    """The lease kept on the row(s) `rows` selects, in the fields `holder_field` (who) and `until_field` (until)."""

    def __init__(self, rows, holder_field="holder", until_field="expires_at"):
        self.rows, self.holder_field, self.until_field = rows, holder_field, until_field

    def claim(self, holder, seconds):
        """Take the lease if it is free or has run out; True if `holder` now holds it."""
        now = timezone.now()
        free = models.Q(**{self.holder_field: ""}) | models.Q(**{f"{self.until_field}__lt": now})
        return bool(self.rows.filter(free).update(**self._held_by(holder, now + timedelta(seconds=seconds))))

    def renew(self, holder, seconds):
        """Extend the lease `holder` holds; False if it is no longer `holder`'s (another took it over)."""
        until = timezone.now() + timedelta(seconds=seconds)
        return bool(self.rows.filter(**{self.holder_field: holder}).update(**{self.until_field: until}))

    def release(self, holder, until=None):
        self.rows.filter(**{self.holder_field: holder}).update(**self._held_by("", until))

    def _held_by(self, holder, until):
        return {self.holder_field: holder, self.until_field: until}


def new_holder():
    return uuid.uuid4().hex


@contextmanager
def lease_held(model, name, *, hold_seconds, wait_seconds, poll_seconds=0.05):
    """Hold lease `name` of `model` (fields: name, holder, expires_at; a row per name) inside the block."""
    holder = new_holder()
    lease = Lease(model.objects.filter(name=name))
    deadline = time.monotonic() + wait_seconds
    while not _take(lease, model, name, holder, hold_seconds):
        if time.monotonic() >= deadline:
            raise LeaseBusy(f"{name} 被占用超过 {wait_seconds:g} 秒")
        time.sleep(poll_seconds)
    try:
        yield holder
    finally:
        lease.release(holder, until=timezone.now())


def _take(lease, model, name, holder, hold_seconds):
    if lease.claim(holder, hold_seconds):
        return True
    if model.objects.filter(name=name).exists():
        return False
    try:
        with transaction.atomic():
            model.objects.create(name=name, holder=holder, expires_at=timezone.now() + timedelta(seconds=hold_seconds))
    except IntegrityError:
        return False
    return True
