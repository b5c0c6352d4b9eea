"""Base of the served e-mall interfaces: POST only, form or JSON, size-limited, every reply in the §6.1 envelope.

Whatever goes wrong (bad body, validation, a bug) is answered with HTTP 200 and an error envelope,
never a 5xx and never an HTML page.
"""
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from rest_framework import exceptions, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from procurement.api.cache import RenderedJSON, callers
from procurement.api.parsers import StrictFormParser, StrictJSONParser, StrictMultiPartParser
from procurement.wire import ErrorCode, WireError, emall_fail, emall_ok

logger = logging.getLogger(__name__)

_MISSING_CODES = {"required", "blank", "null"}


class AlwaysJSON(BaseContentNegotiation):
    """Every reply is JSON whatever the Accept header says; parsers still follow Content-Type."""

    def select_parser(self, request, parsers):
        content_type = request.content_type.split(";")[0].strip().lower()
        return next((parser for parser in parsers if parser.media_type == content_type), None)

    def select_renderer(self, request, renderers, format_suffix=None):
        return JSONRenderer(), JSONRenderer.media_type


class EnvelopeView(APIView):
    """A served interface. Subclasses set `input_serializer` and define `answer(data)` → result."""

    http_method_names = ["post", "options"]
    parser_classes = [StrictJSONParser, StrictFormParser, StrictMultiPartParser]
    content_negotiation_class = AlwaysJSON
    authentication_classes = []
    permission_classes = []
    throttle_classes = []
    input_serializer = None
    max_body_bytes = None

    def post(self, request):
        return self.reply(self.answer(self.validated(request.data)))

    @staticmethod
    def reply(result):
        if isinstance(result, RenderedJSON):
            return HttpResponse(b'{"success":true,"result":' + result + b"}", content_type="application/json")
        return Response(emall_ok(result))

    def validated(self, data):
        if self.input_serializer is None:
            return data
        return self._validator().run_validation(data)

    @classmethod
    def _validator(cls):
        # One bound serializer per view, reused: building one deep-copies its fields, which costs
        # more than the validation itself on these hot interfaces. run_validation keeps no state.
        if cls.__dict__.get("_shared_validator") is None:
            cls._shared_validator = cls.input_serializer()
        return cls._shared_validator

    def _check_size(self, request):
        limit = self.max_body_bytes or settings.EMALL_MAX_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            raise WireError(ErrorCode.OTHER, f"请求体超过 {limit} 字节的上限")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method == "POST":
            self._check_size(request)

    def handle_exception(self, exc):
        code, desc = describe_error(exc)
        return Response(emall_fail(code, desc))


class TokenView(EnvelopeView):
    """An interface that needs the token issued by /gyssc/token (as `token` or `access_token`)."""

    def post(self, request):
        self.caller = callers.authenticate(request.data.get("token") or request.data.get("access_token"))
        return super().post(request)


def describe_error(exc):
    """The §6.2 code and description for anything a served interface may raise."""
    if isinstance(exc, WireError):
        return exc.code, exc.desc
    if isinstance(exc, serializers.ValidationError):
        return _validation_error(exc.detail)
    unreadable = unreadable_request(exc)
    if unreadable:
        return ErrorCode.OTHER, unreadable
    logger.exception("served interface failed")
    return ErrorCode.OTHER, "系统繁忙，请稍后重试"


def unreadable_request(exc):
    """Why a request could not be read at all (method, Content-Type, body), or "" for other errors.

    Shared by the base views of every served protocol, which each map it to their own error code.
    """
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "仅支持 POST 请求"
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return "不支持的 Content-Type，请使用 application/x-www-form-urlencoded 或 application/json"
    if isinstance(exc, exceptions.ParseError):
        return f"请求体无法解析：{exc.detail}"
    if isinstance(exc, RequestDataTooBig):
        return "请求体过大"
    return ""


def _validation_error(detail):
    missing, other = validation_problems(detail)
    if missing:
        return ErrorCode.MISSING_PARAMETER, "必填参数为空：" + "、".join(missing)
    return ErrorCode.OTHER, "；".join(other)


def validation_problems(detail):
    """(names of the missing parameters, the other problems as "name: problem") of a validation error.

    Shared by every served protocol's base view, which map the two to their own error codes.
    """
    missing, other = [], []
    for name, problems in (detail.items() if isinstance(detail, dict) else [("", detail)]):
        for problem in problems if isinstance(problems, list) else [problems]:
            if getattr(problem, "code", None) in _MISSING_CODES:
                missing.append(name)
            else:
                other.append(f"{name}: {problem}" if name else str(problem))
    return missing, other
