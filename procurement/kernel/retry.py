"""Our retry policy for outbound work: transient failures back off up to a bound, permanent ones stop."""
import random
from dataclasses import dataclass
from datetime import timedelta

from procurement.kernel.http import TransientError


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_seconds: float = 30.0
    cap_seconds: float = 3600.0
    jitter: float = 0.2

    def delay(self, attempt):
        """Back-off before attempt number `attempt + 1` (attempts count from 1)."""
        raw = min(self.cap_seconds, self.base_seconds * (2 ** max(0, attempt - 1)))
        spread = raw * self.jitter
        return timedelta(seconds=raw + random.uniform(-spread, spread))

    def should_retry(self, error, attempt):
        return is_transient(error) and attempt < self.max_attempts


def is_transient(error):
    """Only transport-level trouble is retried; a refusal, a 4xx or invalid data is not."""
    return isinstance(error, TransientError)


DEFAULT_POLICY = RetryPolicy()
