"""Who a token belongs to, cached per process for the hot served interfaces.

A token's owner is re-read from the database every EMALL_AUTH_CACHE_SECONDS, so a revocation reaches
every process within that time; expiry itself is checked exactly on every request.
"""
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from procurement.kernel.lru import LRU
from procurement.services.accounts import token_authenticate, token_hash
from procurement.suppliers.emall.wire import ErrorCode, WireError


@dataclass(frozen=True)
class Caller:
    """The supplier behind a token, as the served interfaces need it."""

    account_id: int
    supplier_code: str
    supplier_name: str
    platforms: tuple
    expires_at: datetime

    def in_platform(self, code):
        return any(platform_code == code for platform_code, _name in self.platforms)


class Callers:
    def __init__(self, max_entries=10000):
        self.callers = LRU(max_entries)

    def authenticate(self, raw):
        """The Caller of a live token; 5005 token_expired otherwise (a missing token too)."""
        key = token_hash(raw)
        cached = self.callers.get(key)
        if cached is None or time.monotonic() - cached[1] >= settings.EMALL_AUTH_CACHE_SECONDS:
            cached = (self._load(raw), time.monotonic())
            self.callers.put(key, cached)
        caller = cached[0]
        if caller.expires_at <= timezone.now():
            raise WireError(ErrorCode.TOKEN_EXPIRED)
        return caller

    @staticmethod
    def _load(raw):
        token = token_authenticate(raw)
        supplier = token.account.supplier
        platforms = tuple(supplier.platforms.filter(is_active=True).order_by("code").values_list("code", "name"))
        return Caller(token.account_id, supplier.code, supplier.name, platforms, token.expires_at)

    def clear(self):
        self.callers.clear()


callers = Callers()
