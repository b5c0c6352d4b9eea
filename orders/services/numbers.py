"""Our order and return numbers: a date and random digits, unique by constraint (a clash is simply drawn again)."""
import secrets

from django.utils import timezone


def new_number(prefix):
    """`PO20261124` + 10 random digits (or another prefix): unguessable, sortable by day, 20 characters."""
    return f"{prefix}{timezone.localdate():%Y%m%d}{secrets.randbelow(10 ** 10):010d}"
