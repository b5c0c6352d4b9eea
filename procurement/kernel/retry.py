"""Our retry policy for outbound work: transient failures back off up to a bound, permanent ones stop."""
import random
import time
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


def call_with_retries(policy, call, sleep=time.sleep):
    """`call()`, tried up to `policy.max_attempts` times while it raises a transient error, backing off in between.

    For retries within one call (a short back-off, while the caller waits); retries across jobs are the
    deliveries' business (procurement.kernel.delivery).
    """
    attempt = 1
    while True:
        try:
            return call()
        except TransientError as error:
            if not policy.should_retry(error, attempt):
                raise
            sleep(policy.delay(attempt).total_seconds())
            attempt += 1


DEFAULT_POLICY = RetryPolicy()
