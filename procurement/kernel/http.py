"""The only outbound HTTP client: one Session per counterparty, timeouts, typed errors, every attempt recorded.

Call it outside database transactions: the attempt row it writes must survive whatever the caller
does next. Each attempt records what it was for (a sync run, a delivery, a docking run and case), set
once by the caller with `with purpose(kind, pk):` around its work.
"""
import contextvars
import json
import os
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import requests
from django.apps import apps
from django.conf import settings
from requests.adapters import HTTPAdapter

from procurement.kernel.clear_text import clear_text_problem
from procurement.kernel.storable import storable

SENSITIVE_KEYS = frozenset(
    {
        "password", "pwd", "passwd", "secret", "appsecret", "app_secret", "client_secret", "key",
        "token", "access_token", "refresh_token", "pin", "private_key",
        # personal data that crosses to suppliers with an order: the receiver's phone and address, a payer's account
        "mobile", "phone", "address", "bankaccount", "bank_account",
    }
)
_FIELD_EXCERPT_CHARS = 300
_KEYS = "|".join(sorted(SENSITIVE_KEYS, key=len, reverse=True))
# "key": "value" (also cut short at the end of an excerpt) or "key": 123 in JSON text.
_JSON_MEMBER = re.compile(rf'("(?:{_KEYS})"\s*:\s*)(?:"(?:[^"\\]|\\.)*"?|[-\d.eE+]+)', re.IGNORECASE)
# key=value in query strings and form bodies.
_QUERY_PAIR = re.compile(rf"((?:^|[?&;])(?:{_KEYS})=)[^&;#\s]*", re.IGNORECASE)


class OutboundError(Exception):
    """A call that did not give a usable reply; `attempt_id` points at its record."""

    def __init__(self, message, attempt_id=None):
        super().__init__(message)
        self.attempt_id = attempt_id


class TransientError(OutboundError):
    """Worth retrying later: timeouts, refused connections, 5xx, 429, unparseable replies."""


class PermanentError(OutboundError):
    """Retrying will not help: 4xx, or the counterparty refused the request."""


class CallTimeout(TransientError):
    pass


class CallConnectionError(TransientError):
    pass


class ServerError(TransientError):
    pass


class BadReply(TransientError):
    pass


class ClientError(PermanentError):
    pass


class Refused(PermanentError):
    """The counterparty answered, and said no (its own error code and message)."""

    def __init__(self, message, attempt_id=None, code=""):
        super().__init__(message, attempt_id)
        self.code = code


@dataclass(frozen=True)
class Counterparty:
    kind: str
    code: str
    base_url: str
    # Values that must never reach a log, wherever they appear (a token in a query string, say).
    secrets: tuple = field(default=(), compare=False)

    def url(self, path):
        """`path` under the base URL (an absolute http(s) `path` is taken as it is)."""
        if path.startswith(("http://", "https://")):
            return path
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")


@dataclass
class Reply:
    status: int
    text: str
    attempt_id: int
    elapsed_ms: int
    content: bytes = b""  # the body as received (a file a counterparty hands over)

    def json(self, **options):
        """The reply as JSON (json.loads options, e.g. parse_float=Decimal); BadReply, recorded, if it is not."""
        try:
            return json.loads(self.text, **options)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested deeper than Python can follow
            record_outcome(self.attempt_id, "bad_reply", f"回复不是合法的 JSON：{exc}")
            raise BadReply("回复不是合法的 JSON", self.attempt_id) from exc


@dataclass(frozen=True)
class Purpose:
    """What outbound calls are made for: `kind` names the cause's table (e.g. "catalog.syncrun"), `pk` its row."""

    kind: str = ""
    pk: int | None = None
    case: str = ""


NO_PURPOSE = Purpose()
_purpose = contextvars.ContextVar("outbound_purpose", default=None)


@contextmanager
def purpose(kind, pk, case=""):
    """Every call made inside the block (and in threads started with a copy of its context) is recorded as for
    `kind` row `pk` (and `case`, a docking test case)."""
    token = _purpose.set(Purpose(kind, pk, case))
    try:
        yield
    finally:
        _purpose.reset(token)


def current_purpose():
    return _purpose.get() or NO_PURPOSE


def attempt_model():
    """The model every call is recorded in (settings.OUTBOUND_ATTEMPT_MODEL, "app_label.Model")."""
    return apps.get_model(settings.OUTBOUND_ATTEMPT_MODEL)


_sessions = threading.local()


def _forget_sessions():
    """In a forked child (a job worker, a preforked web worker): never reuse the parent's pooled sockets, or two
    processes would read each other's replies on one connection."""
    global _sessions
    _sessions = threading.local()


os.register_at_fork(after_in_child=_forget_sessions)


def _session(counterparty):
    pool = getattr(_sessions, "pool", None)
    if pool is None:
        pool = _sessions.pool = {}
    key = (counterparty.kind, counterparty.code, counterparty.base_url)
    if key not in pool:
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=8, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        pool[key] = session
    return pool[key]


JSON_UTF8 = "application/json; charset=utf-8"


def call(counterparty, interface, path, *, data=None, json_body=None, params=None, reference="", timeout=None,
         method="POST", headers=None, clear_text_allowed=False):
    """Send to the counterparty (POST by default) and return its Reply; raise a typed OutboundError otherwise.

    A counterparty's interface is called over https (procurement.kernel.clear_text); `clear_text_allowed` is for
    what is not an interface (a product image's link). `data` goes as a form, `json_body` as compact UTF-8 JSON
    (Chinese as text, not \\uXXXX escapes) with Content-Type application/json; charset=utf-8.
    """
    timeout = timeout or (settings.OUTBOUND_CONNECT_TIMEOUT, settings.OUTBOUND_READ_TIMEOUT)
    attempt = _Attempt(counterparty, interface, counterparty.url(path), reference,
                       redact({"params": params, "form": data, "json": json_body}, counterparty.secrets))
    refusal = "" if clear_text_allowed else clear_text_problem(attempt.url)
    if refusal:
        attempt.refuse_locally(refusal)
    headers = dict(headers or {})
    if json_body is not None:
        data = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers.setdefault("Content-Type", JSON_UTF8)
    try:
        response = _session(counterparty).request(method, attempt.url, data=data, params=params, headers=headers,
                                                  timeout=timeout)
    except requests.Timeout as exc:
        attempt.fail(CallTimeout, "timeout", "请求超时", exc)
    except requests.ConnectionError as exc:
        attempt.fail(CallConnectionError, "connection_error", "无法连接", exc)
    except requests.RequestException as exc:
        attempt.fail(ClientError, "error", "请求无法发出", exc)
    return attempt.answered(response)


class _Attempt:
    """One call in flight, and the row that records it."""

    def __init__(self, counterparty, interface, url, reference, request_excerpt):
        self.counterparty = counterparty
        self.interface = interface
        self.url = url
        self.reference = reference
        self.request_excerpt = request_excerpt
        self.purpose = current_purpose()
        self.started = time.monotonic()

    def answered(self, response):
        status = response.status_code
        # JSON is UTF-8 unless the reply says otherwise; requests would guess (slowly) instead.
        text = response.content.decode(response.encoding or "utf-8", errors="replace")
        kind = response.headers.get("Content-Type", "")
        logged = (f"（{kind}，{len(response.content)} 字节，内容不记录）" if _binary(kind) else
                  redact_text(text, self.counterparty.secrets, settings.OUTBOUND_LOG_BODY_CHARS))
        row = self._record("ok" if status < 400 else "http_error", status=status, reply=logged,
                           error="" if status < 400 else f"HTTP {status}")
        if status >= 500 or status == 429:
            raise ServerError(f"对方服务错误 HTTP {status}", row.pk)
        if status >= 400:
            raise ClientError(f"对方拒绝请求 HTTP {status}", row.pk)
        return Reply(status=status, text=text, attempt_id=row.pk, elapsed_ms=row.duration_ms,
                     content=response.content)

    def refuse_locally(self, message):
        """The call is not made (it would leave in clear text): recorded, and a permanent error."""
        row = self._record("error", error=message)
        raise ClientError(message, row.pk)

    def fail(self, error_class, outcome, message, exc):
        detail = f"{message}：{type(exc).__name__}: {redact_text(str(exc), self.counterparty.secrets)}"
        row = self._record(outcome, error=detail)
        raise error_class(detail, row.pk) from exc

    def _record(self, outcome, status=None, reply="", error=""):
        limit = settings.OUTBOUND_LOG_BODY_CHARS
        row = attempt_model()(
            counterparty_kind=self.counterparty.kind,
            counterparty_code=self.counterparty.code,
            interface=self.interface,
            url=redact_text(self.url, self.counterparty.secrets)[:500],
            reference=str(self.reference)[:100],
            purpose_kind=self.purpose.kind, purpose_id=self.purpose.pk, purpose_case=self.purpose.case[:100],
            duration_ms=int((time.monotonic() - self.started) * 1000),
            outcome=outcome,
            http_status=status,
            request_excerpt=storable(json.dumps(self.request_excerpt, ensure_ascii=False, default=str)[:limit]),
            reply_excerpt=storable(reply[:limit]),
            error=storable(error[:2000]),
        )
        batch = _batch.get()
        if batch is None:
            row.save(force_insert=True)
        else:
            batch.add(row)
        return row


class _Batch:
    """Attempt rows kept back (from several threads) and written together."""

    def __init__(self):
        self.rows, self.lock = [], threading.Lock()

    def add(self, row):
        with self.lock:
            self.rows.append(row)


_batch = contextvars.ContextVar("outbound_batch", default=None)


@contextmanager
def recorded_together():
    """Calls made inside the block (and in threads started with a copy of its context) are recorded in one
    bulk insert at its end rather than one insert each: for many small calls whose replies need no attempt id
    (the checks of thousands of image links). Rows are still written if the block fails."""
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
        attempt_model().objects.bulk_create(batch.rows, batch_size=500)


class Exchange:
    """A call made by other means than this client (a websocket to a local signing service), being recorded:
    set `reply` to what came back."""

    reply = ""


@contextmanager
def recorded(counterparty, interface, url, request, reference=""):
    """Record the call made inside the block like an HTTP attempt (redacted request and reply, duration, what it
    was for). An exception leaves the row with its `outcome` attribute ("error" if it has none) and goes on."""
    attempt = _Attempt(counterparty, interface, url, reference, redact(request, counterparty.secrets))
    exchange = Exchange()
    try:
        yield exchange
    except Exception as exc:
        attempt._record(getattr(exc, "outcome", "error"), error=redact_text(f"{type(exc).__name__}: {exc}",
                                                                            counterparty.secrets))
        raise
    attempt._record("ok", reply=redact_text(exchange.reply, counterparty.secrets, settings.OUTBOUND_LOG_BODY_CHARS))


def _binary(content_type):
    """A reply that is a file (an image, a PDF), not text the call log can show."""
    kind = content_type.split(";")[0].strip().lower()
    return kind.startswith(("image/", "audio/", "video/")) or kind in ("application/pdf", "application/octet-stream")


def record_outcome(attempt_id, outcome, error):
    """Re-grade an attempt once its reply has been read (refused by the counterparty, unparseable…)."""
    if attempt_id:
        attempt_model().objects.filter(pk=attempt_id).update(outcome=outcome, error=str(error)[:2000])


def bad_reply(attempt_id, message):
    """Record that the counterparty's reply is unusable (with the reason), and raise it (retried as transient)."""
    record_outcome(attempt_id, "bad_reply", message)
    raise BadReply(message, attempt_id)


def refuse(reply, code, message):
    """Record that the counterparty answered with a business refusal, and raise it."""
    record_outcome(reply.attempt_id, "refused", f"{code} {message}".strip())
    raise Refused(f"对方拒绝：{code} {message}".strip(), reply.attempt_id, code=str(code))


def redact(value, secrets=()):
    """A copy of a request or reply structure safe to store: secrets masked, long values shortened."""
    if isinstance(value, dict):
        return {
            k: "***" if str(k).lower() in SENSITIVE_KEYS and v not in (None, "") else redact(v, secrets)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact(v, secrets) for v in value]
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        text = redact_text(value, secrets)
        if len(text) > _FIELD_EXCERPT_CHARS:
            return f"{text[:_FIELD_EXCERPT_CHARS]}…（共 {len(text)} 字符）"
        return text
    return value


def redact_text(text, secrets=(), limit=None):
    """Mask known secret values and sensitive JSON members or query parameters; cut to `limit` characters.

    Works on the text as it is (no parse): a reply of megabytes costs one scan of its first `limit`
    characters, and a value cut short by the limit is masked as well.
    """
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    if limit is not None:
        text = text[:limit]
    text = _JSON_MEMBER.sub(lambda match: match.group(1) + '"***"', text)
    return _QUERY_PAIR.sub(r"\1***", text)
