"""Per-process cache of the rendered replies of the served category interfaces.

Replies stay valid while the catalog revision (bumped by every category change) does not move; each
process looks at the revision at most every EMALL_CATALOG_CACHE_CHECK_SECONDS.
"""
import json
import time

from django.conf import settings

from catalog.services import catalog_revision_current
from procurement.kernel.lru import LRU
from procurement.kernel.served import RenderedJSON
from procurement.suppliers.emall.wire import WireError


def render(result):
    rendered = RenderedJSON(json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    rendered.version = result.get("version") if isinstance(result, dict) else None
    return rendered


class CatalogReplies:
    """Rendered replies (or the WireError they answer) per request, dropped when the revision moves."""

    def __init__(self, max_entries=20000):
        # Callers choose pageNo and pageSize, so the keys are theirs to multiply: bound the bytes too.
        self.replies = LRU(max_entries, settings.EMALL_REPLY_CACHE_BYTES, weigh=_reply_size)
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


catalog_replies = CatalogReplies()
