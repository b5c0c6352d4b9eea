"""Fixed-window rate limits kept in the cache (Redis when configured, so shared by every web node).

`Throttle("customs-open", limit=600, window_seconds=60).hit(address)` counts one request of that
caller and says whether it is still within the limit. Counting is atomic; the window's key expires
with the window, so nothing accumulates. With Redis it is one round trip (INCR and EXPIRE NX in a
pipeline: on a hot path such as platDataOpen the cache API's add-then-incr costs three).
"""
import time
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache


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
        client = _redis_client()
        if client is not None:
            full = cache.make_and_validate_key(key)
            pipe = client.pipeline(transaction=False)
            pipe.incr(full)
            pipe.expire(full, self.window_seconds + 1, nx=True)
            return pipe.execute()[0] <= self.limit
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


def _redis_client():
    """The raw client of the default cache when it is Redis (None otherwise), kept on the cache object (one per
    thread, and a new one when the cache settings change). Django's Redis cache stores integers as plain Redis
    integers, so INCR and the cache API's get read the same counter."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    if "_throttle_client" not in backend.__dict__:
        backend._throttle_client = backend._cache.get_client(write=True)
    return backend._throttle_client
