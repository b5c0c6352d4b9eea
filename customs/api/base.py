"""Base of the interfaces served to customs: POST, form or JSON, every reply `{"code", "message", "serviceTime"}`.

Whatever goes wrong (bad body, validation, a bug) is answered with HTTP 200 and a §1.6.4 code in
20001–21000 (customs.wire.CustomsCode), never a 5xx and never an HTML page.
"""
import functools
import ipaddress

from django.conf import settings

from customs.wire import CUSTOMS_ENVELOPE, CustomsCode, CustomsError
from procurement.kernel.served import ServedView


class CustomsView(ServedView):
    """Subclasses define `post`, answering with `self.reply((code, message))`."""

    envelope = CUSTOMS_ENVELOPE

    def body_limit(self):
        return settings.CUSTOMS_MAX_BODY_BYTES

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not caller_allowed(request.META.get("REMOTE_ADDR", "")):
            raise CustomsError(CustomsCode.CALLER_NOT_ALLOWED, f"调用方地址 {request.META.get('REMOTE_ADDR')} 不在允许范围内")


def caller_allowed(address):
    networks = _parsed_networks(tuple(settings.CUSTOMS_ALLOWED_NETWORKS))
    if not networks:
        return True
    try:
        caller = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(caller in network for network in networks)


@functools.lru_cache(maxsize=8)
def _parsed_networks(specs):
    """Parsed once per process and setting, not on every call (keyed by value, so a changed setting is re-read)."""
    return tuple(ipaddress.ip_network(spec, strict=False) for spec in specs)
