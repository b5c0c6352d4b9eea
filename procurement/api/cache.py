"""Per-process caches of the hot served interfaces: who a token belongs to, and rendered category replies.

Category replies stay valid while the catalog revision (bumped by every category change) does not
move; each process looks at the revision at most every EMALL_CATALOG_CACHE_CHECK_SECONDS. A token's
owner is re-read from the database every EMALL_AUTH_CACHE_SECONDS, so a revocation reaches every
process within that time; expiry itself is checked exactly on every request.
"""
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from procurement.services.accounts import token_authenticate, token_hash
from procurement.wire import ErrorCode, WireError


class RenderedJSON(bytes):
    """A result already serialised as compact UTF-8 JSON, ready to go inside the envelope.

    `version` keeps the result's category version, so a cached reply can still answer 5010.
    """

    version = None


def render(result):
    rendered = RenderedJSON(json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    rendered.version = result.get("version") if isinstance(result, dict) else None
    return rendered


class _LRU:
    """Least-recently-used entries, bounded in number and, when `weigh` is given, in total weight (bytes)."""

    def __init__(self, max_entries, max_weight=None, weigh=None):
        self.max_entries, self.max_weight, self.weigh = max_entries, max_weight, weigh
        self.entries = OrderedDict()
        self.weight = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key, value):
        with self.lock:
            self._drop(key)
            self.entries[key] = value
            self.weight += self.weigh(value) if self.weigh else 0
            while len(self.entries) > self.max_entries or (self.max_weight and self.weight > self.max_weight):
                self._drop(next(iter(self.entries)))

    def _drop(self, key):
        if key in self.entries:
            value = self.entries.pop(key)
            self.weight -= self.weigh(value) if self.weigh else 0

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.weight = 0


class CatalogReplies:
    """Rendered replies (or the WireError they answer) per request, dropped when the revision moves."""

    def __init__(self, max_entries=20000):
        # Callers choose pageNo and pageSize, so the keys are theirs to multiply: bound the bytes too.
        self.replies = _LRU(max_entries, settings.EMALL_REPLY_CACHE_BYTES, weigh=_reply_size)
        self.revision = None
        self.checked_at = 0.0

    def get_or_render(self, key, build):
        self._follow_revision()
        cached = self.replies.get(key)
        if cached is None:
            try:
                cached = render(build())
            except WireError as refusal:
                cached = refusal
            self.replies.put(key, cached)
        if isinstance(cached, WireError):
            raise cached
        return cached

    def _follow_revision(self):
        from catalog.services import catalog_revision_current

        now = time.monotonic()
        if self.revision is not None and now - self.checked_at < settings.EMALL_CATALOG_CACHE_CHECK_SECONDS:
            return
        current = catalog_revision_current()
        if current != self.revision:
            self.replies.clear()
            self.revision = current
        self.checked_at = now

    def clear(self):
        self.replies.clear()
        self.revision = None


def _reply_size(value):
    return len(value) if isinstance(value, bytes) else 512


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
        self.callers = _LRU(max_entries)

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


catalog_replies = CatalogReplies()
callers = Callers()
