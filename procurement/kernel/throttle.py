"""Fixed-window rate limits kept in the cache (Redis when configured, so shared by every web node).

`Throttle("customs-open", limit=600, window_seconds=60).hit(address)` counts one request of that
caller and says whether it is still within the limit. Counting is one atomic `incr`; the window's
key expires with the window, so nothing accumulates.
"""
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Throttle:
    scope: str
    limit: int
    window_seconds: int

    def _key(self, caller, window):
        return f"throttle:{self.scope}:{caller}:{window}"

    def hit(self, caller):
        """Count one request of `caller`; True while the window holds at most `limit` of them."""
        if self.limit <= 0:
            return True
        key = self._key(caller, int(time.time() // self.window_seconds))
        if cache.add(key, 1, timeout=self.window_seconds + 1):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr: this request opens the window again
                cache.add(key, 1, timeout=self.window_seconds + 1)
                count = 1
        return count <= self.limit

    def exceeded(self, caller):
        """True when `caller` already used up the current window (without counting a request)."""
        if self.limit <= 0:
            return False
        count = cache.get(self._key(caller, int(time.time() // self.window_seconds))) or 0
        return count >= self.limit

    def retry_after(self):
        """Seconds until the current window ends."""
        return int(self.window_seconds - time.time() % self.window_seconds) + 1
