"""Base of the interfaces served to customs: POST, form or JSON, every reply `{"code", "message", "serviceTime"}`.

Whatever goes wrong (bad body, validation, a bug) is answered with HTTP 200 and a §1.6.4 code in
20001–21000 (customs.wire.CustomsCode), never a 5xx and never an HTML page. Before the body is read,
the caller's address must be in CUSTOMS_ALLOWED_NETWORKS and within CUSTOMS_RATE_PER_MINUTE.
"""
import functools
import ipaddress
import logging

from django.conf import settings

from customs.wire import CUSTOMS_ENVELOPE, CustomsCode, CustomsError
from procurement.kernel.served import ServedView
from procurement.kernel.throttle import Throttle

logger = logging.getLogger(__name__)
ANY_CALLER = "*"


class CustomsView(ServedView):
    """Subclasses define `post`, answering with `self.reply((code, message))`."""

    envelope = CUSTOMS_ENVELOPE

    def body_limit(self):
        return settings.CUSTOMS_MAX_BODY_BYTES

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        address = request.META.get("REMOTE_ADDR", "")
        if not caller_allowed(address):
            raise CustomsError(CustomsCode.CALLER_NOT_ALLOWED, f"调用方地址 {address} 不在允许范围内")
        throttle = open_throttle()
        if not within_rate(throttle, address):
            raise CustomsError(CustomsCode.RATE_LIMITED, f"调用过于频繁：每个来源地址每分钟至多 {throttle.limit} 次，"
                                                         f"请 {throttle.retry_after()} 秒后重试")


def caller_allowed(address):
    """Whether CUSTOMS_ALLOWED_NETWORKS admits `address`: `*` admits anyone, an empty list no one."""
    specs = tuple(settings.CUSTOMS_ALLOWED_NETWORKS)
    if ANY_CALLER in specs:
        return True
    try:
        caller = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(caller in network for network in _parsed_networks(specs))


@functools.lru_cache(maxsize=8)
def _parsed_networks(specs):
    """Parsed once per process and setting, not on every call (keyed by value, so a changed setting is re-read)."""
    return tuple(ipaddress.ip_network(spec, strict=False) for spec in specs)


def open_throttle():
    return Throttle("customs-open", limit=settings.CUSTOMS_RATE_PER_MINUTE, window_seconds=60)


def within_rate(throttle, address):
    """Count this call of `address`. A cache that cannot be reached lets it through (logged): the limit guards
    against floods, and must not turn customs away while Redis is down."""
    try:
        return throttle.hit(address)
    except Exception as exc:  # noqa: BLE001 - whichever error the cache backend raises
        logger.warning("platDataOpen rate limit not applied, the cache failed: %s: %s", type(exc).__name__, exc)
        return True
