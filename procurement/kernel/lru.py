"""A bounded least-recently-used map for per-process caches (thread-safe)."""
import threading
from collections import OrderedDict


class LRU:
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
