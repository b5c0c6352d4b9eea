"""The protocol-neutral base of every served interface: POST only, form or JSON, size-limited, one envelope.

A protocol gives an `Envelope` (its success body, and its failure body for anything that may go
wrong); the view answers every request with it, HTTP 200, never a 5xx and never an HTML page.
`Refusal` says what went wrong in protocol-neutral terms, for the envelope to put in its own codes.
"""
import abc
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from rest_framework import exceptions, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from procurement.kernel.parsers import StrictFormParser, StrictJSONParser, StrictMultiPartParser

logger = logging.getLogger(__name__)

_MISSING_CODES = {"required", "blank", "null"}
ALL_METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"]


class RenderedJSON(bytes):
    """A result already serialised as compact UTF-8 JSON, ready to go inside the envelope.

    `version` keeps what the envelope's callers may still need of the result (a category version).
    """

    version = None


@dataclass(frozen=True)
class Refusal:
    """What went wrong with a request, before any protocol names it.

    kind: "missing" (`missing` lists the parameters), "invalid" (`problems`), "unreadable" (the body, the
    method or the Content-Type), "too_large", or "internal" (a bug, logged with its traceback).
    """

    kind: str
    message: str
    missing: tuple = ()
    problems: tuple = ()


BUSY = Refusal("internal", "系统繁忙，请稍后重试")
# A value the caller sent that no datetime or number column can hold (a date in year 1, on SQLite):
# met only when it is stored, so the field is no longer known.
OUT_OF_RANGE_MESSAGE = "参数值超出可处理的范围（如年份为 1 的日期）"
OUT_OF_RANGE = Refusal("invalid", OUT_OF_RANGE_MESSAGE, problems=(OUT_OF_RANGE_MESSAGE,))


class Envelope(abc.ABC):
    """How one protocol answers (a dict each): `ok(result)`, and `refused(refusal)` for a Refusal.

    `own_failure(exc)` answers the protocol's own errors (its codes and messages), None for the others.
    """

    @abc.abstractmethod
    def ok(self, result):
        """The success body around `result`."""

    def ok_rendered(self, rendered):
        """The success body around an already rendered result, as bytes: only for a protocol whose views answer
        RenderedJSON (the e-mall catalog interfaces, from their cache); the others never get one."""
        raise TypeError(f"{type(self).__name__} does not serve pre-rendered results")

    def own_failure(self, exc):
        return None

    @abc.abstractmethod
    def refused(self, refusal):
        """The failure body for a Refusal."""

    def failure(self, exc):
        own = self.own_failure(exc)
        return own if own is not None else self.refused(refusal_of(exc))

    def not_found(self, path):
        return self.refused(Refusal("unreadable", f"接口不存在：{path}"))

    def busy(self):
        return self.refused(BUSY)


class AlwaysJSON(BaseContentNegotiation):
    """Every reply is JSON whatever the Accept header says; parsers still follow Content-Type."""

    def select_parser(self, request, parsers):
        content_type = request.content_type.split(";")[0].strip().lower()
        return next((parser for parser in parsers if parser.media_type == content_type), None)

    def select_renderer(self, request, renderers, format_suffix=None):
        return JSONRenderer(), JSONRenderer.media_type


class ServedView(APIView):
    """A served interface. Subclasses set `envelope`, `input_serializer` and define `answer(data)` → result."""

    envelope = None
    http_method_names = ALL_METHODS  # every method gets the envelope; only POST gets an answer
    metadata_class = None
    parser_classes = [StrictJSONParser, StrictFormParser, StrictMultiPartParser]
    content_negotiation_class = AlwaysJSON
    authentication_classes = []
    permission_classes = []
    throttle_classes = []
    input_serializer = None
    max_body_bytes = None

    def post(self, request):
        return self.reply(self.answer(self.validated(request.data)))

    def reply(self, result):
        if isinstance(result, RenderedJSON):
            return HttpResponse(self.envelope.ok_rendered(result), content_type="application/json")
        return Response(self.envelope.ok(result))

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

    def body_limit(self):
        return self.max_body_bytes or settings.EMALL_MAX_BODY_BYTES

    def _check_size(self, request):
        limit = self.body_limit()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            raise BodyTooLarge(limit)

    def initial(self, request, *args, **kwargs):
        if request.method != "POST":
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)
        self._check_size(request)

    def options(self, request, *args, **kwargs):
        raise exceptions.MethodNotAllowed(request.method)

    def handle_exception(self, exc):
        return Response(self.envelope.failure(exc))


def caller_address(request):
    """The address a request came from: REMOTE_ADDR, or behind TRUSTED_PROXY_HOPS reverse proxies the
    address the outermost of them saw (each appends the address it got to X-Forwarded-For)."""
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops <= 0 or not forwarded:
        return request.META.get("REMOTE_ADDR", "")
    return forwarded[-min(hops, len(forwarded))]


class BodyTooLarge(Exception):
    def __init__(self, limit):
        super().__init__(f"请求体超过 {limit} 字节的上限")


def refusal_of(exc):
    """The protocol-neutral Refusal for anything a served view may raise that is not the protocol's own error."""
    if isinstance(exc, serializers.ValidationError):
        missing, other = validation_problems(exc.detail)
        if missing:
            return Refusal("missing", "必填参数为空：" + "、".join(missing), missing=tuple(missing))
        return Refusal("invalid", "；".join(other), problems=tuple(other))
    if isinstance(exc, (BodyTooLarge, RequestDataTooBig)):
        return Refusal("too_large", str(exc) if isinstance(exc, BodyTooLarge) else "请求体过大")
    unreadable = unreadable_request(exc)
    if unreadable:
        return Refusal("unreadable", unreadable)
    if isinstance(exc, OverflowError):
        logger.warning("served interface refused a value out of range: %s", exc)
        return OUT_OF_RANGE
    logger.exception("served interface failed")
    return BUSY


def unreadable_request(exc):
    """Why a request could not be read at all (method, Content-Type, body), or "" for other errors."""
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "仅支持 POST 请求"
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return "不支持的 Content-Type，请使用 application/x-www-form-urlencoded 或 application/json"
    if isinstance(exc, exceptions.ParseError):
        return f"请求体无法解析：{exc.detail}"
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return "请求体无法解析：字段过多"
    return ""


def validation_problems(detail):
    """(names of the missing parameters, the other problems as "name: problem") of a validation error."""
    missing, other = [], []
    for name, problems in (detail.items() if isinstance(detail, dict) else [("", detail)]):
        for problem in problems if isinstance(problems, list) else [problems]:
            if getattr(problem, "code", None) in _MISSING_CODES:
                missing.append(name)
            else:
                other.append(f"{name}: {problem}" if name else str(problem))
    return missing, other
