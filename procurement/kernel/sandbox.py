"""A small threaded HTTP server for the sandbox counterparties, with switches for faults.

Sandboxes play the other side of each protocol (a supplier platform, a bank, customs) for tests,
for `make run` and as a reference for counterparties. They are not Django: they keep their own
state in memory and talk to us only over HTTP, as the real ones do.
"""
import json
import random
import signal
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class SandboxRequest:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes

    def params(self):
        """Query, form and JSON parameters merged (later sources win); a fresh dict each call, parsed once."""
        return dict(self._params)

    @cached_property
    def _params(self):
        merged = dict(self.query)
        content_type = self.headers.get("content-type", "")
        if "json" in content_type and self.body.strip():
            document = json.loads(self.body.decode("utf-8"))
            if isinstance(document, dict):
                merged.update(document)
        elif self.body:
            merged.update(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))
        return merged


@dataclass
class SandboxResponse:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"

    @classmethod
    def json(cls, document, status=200):
        try:
            body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (a test's doing): sent as the \\uXXXX escape JSON allows
            body = json.dumps(document, separators=(",", ":")).encode("ascii")
        return cls(status, body)


@dataclass
class Faults:
    """Switches a test (or a person, through POST /_sandbox/faults) flips to make the sandbox misbehave."""

    latency_ms: int = 0
    error_rate: float = 0.0
    malformed_rate: float = 0.0
    seed: int = 0
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    def update(self, **changes):
        for name, value in changes.items():
            if name in ("latency_ms", "error_rate", "malformed_rate", "seed"):
                setattr(self, name, type(getattr(self, name))(value))
            else:
                self.extra[name] = value
        self.rng = random.Random(self.seed)

    def describe(self):
        return {k: v for k, v in asdict(self).items()}


# Routes under this prefix steer a sandbox (faults, stats, "call us now"); they are not the protocol.
CONTROL_PREFIX = "/_"


class Sandbox:
    """Base of a sandbox: subclasses fill `routes` (path → method taking a SandboxRequest)."""

    name = "sandbox"

    def __init__(self, faults=None):
        self.faults = faults or Faults()
        self.calls = Counter()
        self.lock = threading.RLock()
        self.routes = {}

    def handle(self, request):
        if request.path == "/_sandbox/faults":
            if request.method == "POST":
                self.faults.update(**request.params())
            return SandboxResponse.json(self.faults.describe())
        if request.path == "/_sandbox/stats":
            return SandboxResponse.json({"calls": dict(self.calls)})
        handler = self.routes.get(request.path)
        if handler is None:
            return SandboxResponse.json({"error": f"no such interface: {request.path}"}, status=404)
        if request.path.startswith(CONTROL_PREFIX):  # a sandbox's own control routes never misbehave
            return handler(request)
        with self.lock:
            self.calls[request.path] += 1
        injected = self._injected_fault()
        if injected is not None:
            return injected
        response = handler(request)
        return self._maybe_malformed(response)

    def _injected_fault(self):
        if self.faults.latency_ms:
            time.sleep(self.faults.latency_ms / 1000)
        with self.lock:
            roll = self.faults.rng.random()
        if roll < self.faults.error_rate:
            return SandboxResponse(503, b"<html><body>503 Service Unavailable</body></html>", "text/html")
        return None

    def _maybe_malformed(self, response):
        with self.lock:
            roll = self.faults.rng.random()
        if roll < self.faults.malformed_rate and response.content_type.startswith("application/json"):
            return SandboxResponse(200, response.body[: max(1, len(response.body) // 2)], response.content_type)
        return response


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY a keep-alive client waits ~40 ms
    # (Nagle + delayed ACK) on every reply.
    disable_nagle_algorithm = True
    sandbox = None

    def _serve(self):
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = SandboxRequest(
            method=self.command, path=parts.path, query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()}, body=self.rfile.read(length) if length else b"",
        )
        try:
            response = self.sandbox.handle(request)
        except Exception as exc:  # noqa: BLE001 - the sandbox must answer, like a real server's error page
            response = SandboxResponse(500, f"sandbox error: {type(exc).__name__}: {exc}".encode(), "text/plain")
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":  # HEAD: the headers GET would send (Content-Length too), no body
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the caller gave up (its timeout): what a real server sees too

    do_GET = do_POST = do_HEAD = _serve

    def log_message(self, format, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


@dataclass
class RunningSandbox:
    sandbox: Sandbox
    server: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve_until_stopped(running):
    """Block until SIGTERM or Ctrl-C, then stop every running sandbox (for the serving commands)."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    for server in running:
        server.stop()


def serve(sandbox, host="127.0.0.1", port=0):
    """Serve `sandbox` on a background thread; port 0 picks a free port."""
    handler = type(f"{type(sandbox).__name__}Handler", (_Handler,), {"sandbox": sandbox})
    server = _Server((host, port), handler)
    # A short poll interval: stopping a sandbox waits for the serving loop's next look at its flag.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name=f"sandbox-{sandbox.name}", daemon=True)
    thread.start()
    return RunningSandbox(sandbox, server, thread)
