"""Base of the interfaces served to customs: POST, form or JSON, every reply `{"code", "message", "serviceTime"}`.

Whatever goes wrong (bad body, validation, a bug) is answered with HTTP 200 and a §1.6.4 code in
20001–21000 (procurement.wire.CustomsCode), never a 5xx and never an HTML page.
"""
import functools
import ipaddress
import logging

from django.conf import settings
from rest_framework import serializers
from rest_framework.response import Response

from procurement.api.base import EnvelopeView, unreadable_request, validation_problems
from procurement.wire import CustomsCode, CustomsError, WireError, customs_reply

logger = logging.getLogger(__name__)


class CustomsView(EnvelopeView):
    """Subclasses define `post`, answering with `self.reply(code, message)`."""

    @property
    def max_body_bytes(self):
        return settings.CUSTOMS_MAX_BODY_BYTES

    @staticmethod
    def reply(code, message=""):
        return Response(customs_reply(code, message))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not caller_allowed(request.META.get("REMOTE_ADDR", "")):
            raise CustomsError(CustomsCode.CALLER_NOT_ALLOWED, f"调用方地址 {request.META.get('REMOTE_ADDR')} 不在允许范围内")

    def handle_exception(self, exc):
        code, message = describe_error(exc)
        return self.reply(code.value, message)


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


def describe_error(exc):
    """The customs code and message for anything a served customs interface may raise."""
    if isinstance(exc, CustomsError):
        return exc.code, exc.message
    if isinstance(exc, serializers.ValidationError):
        return _validation_error(exc.detail)
    if isinstance(exc, WireError):
        return CustomsCode.MALFORMED_REQUEST, exc.desc
    unreadable = unreadable_request(exc)
    if unreadable:
        return CustomsCode.MALFORMED_REQUEST, unreadable
    logger.exception("served customs interface failed")
    return CustomsCode.BUSY, CustomsCode.BUSY.label


def _validation_error(detail):
    missing, other = validation_problems(detail)
    if missing:
        return CustomsCode.MISSING_PARAMETER, "必填参数为空：" + "、".join(missing)
    return CustomsCode.BAD_PARAMETER, "参数格式错误：" + "；".join(other)
