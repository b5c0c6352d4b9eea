"""procurement.kernel.http against a sandbox on a real socket: typed errors, and every attempt recorded, redacted."""
import json
import socket

import pytest

from procurement.kernel import http
from procurement.kernel.sandbox import Sandbox, SandboxResponse
from procurement.models import OutboundAttempt

pytestmark = pytest.mark.django_db


class EchoSandbox(Sandbox):
    name = "echo"

    def __init__(self):
        super().__init__()
        self.routes = {
            "/echo": lambda request: SandboxResponse.json({"success": True, "got": request.params(), "token": "T0KEN"}),
            "/missing": lambda request: SandboxResponse.json({"error": "gone"}, status=404),
        }


@pytest.fixture
def echo(sandbox_server):
    return sandbox_server(EchoSandbox())


def counterparty(url, secrets=()):
    return http.Counterparty(kind="supplier", code="SUP1", base_url=url, secrets=secrets)


def test_a_successful_call_is_recorded_with_secrets_masked(echo):
    reply = http.call(counterparty(echo.url), "echo", "/echo",
                      data={"username": "mall", "password": "hunter2"}, reference="SKU-1")

    assert reply.json()["got"] == {"username": "mall", "password": "hunter2"}
    attempt = OutboundAttempt.objects.get()
    assert (attempt.interface, attempt.outcome, attempt.http_status, attempt.reference) == ("echo", "ok", 200, "SKU-1")
    assert "hunter2" not in attempt.request_excerpt
    assert "mall" in attempt.request_excerpt
    assert "T0KEN" not in attempt.reply_excerpt


def test_known_secret_values_are_masked_wherever_they_appear(echo):
    http.call(counterparty(echo.url, secrets=("s3cr3t-token",)), "echo", "/echo",
              params={"access": "s3cr3t-token"}, data={"note": "token s3cr3t-token here"})

    attempt = OutboundAttempt.objects.get()
    assert "s3cr3t-token" not in attempt.url + attempt.request_excerpt + attempt.reply_excerpt


def test_long_values_are_shortened_in_the_record(echo):
    http.call(counterparty(echo.url), "echo", "/echo", data={"baohanfile": "A" * 100_000})

    attempt = OutboundAttempt.objects.get()
    assert "共 100000 字符" in attempt.request_excerpt
    assert len(attempt.request_excerpt) < 5000


def test_a_5xx_is_transient(echo):
    echo.sandbox.faults.update(error_rate=1.0)

    with pytest.raises(http.ServerError) as caught:
        http.call(counterparty(echo.url), "echo", "/echo")

    assert isinstance(caught.value, http.TransientError)
    assert OutboundAttempt.objects.get(pk=caught.value.attempt_id).outcome == "http_error"


def test_a_4xx_is_permanent(echo):
    with pytest.raises(http.ClientError) as caught:
        http.call(counterparty(echo.url), "missing", "/missing")

    assert isinstance(caught.value, http.PermanentError)


def test_a_slow_counterparty_times_out(echo):
    echo.sandbox.faults.update(latency_ms=600)

    with pytest.raises(http.CallTimeout):
        http.call(counterparty(echo.url), "echo", "/echo", timeout=(1, 0.2))

    assert OutboundAttempt.objects.get().outcome == "timeout"


def test_a_refused_connection_is_transient():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(http.CallConnectionError):
        http.call(counterparty(f"http://127.0.0.1:{port}"), "echo", "/echo", timeout=(0.5, 0.5))

    assert OutboundAttempt.objects.get().outcome == "connection_error"


def test_a_malformed_reply_is_recorded_as_such(echo):
    echo.sandbox.faults.update(malformed_rate=1.0)
    reply = http.call(counterparty(echo.url), "echo", "/echo")

    with pytest.raises(http.BadReply):
        reply.json()

    assert OutboundAttempt.objects.get().outcome == "bad_reply"


def test_a_business_refusal_regrades_the_attempt(echo):
    reply = http.call(counterparty(echo.url), "echo", "/echo")

    with pytest.raises(http.Refused) as caught:
        http.refuse(reply, "5005", "token_expired")

    assert caught.value.code == "5005"
    attempt = OutboundAttempt.objects.get()
    assert attempt.outcome == "refused"
    assert "token_expired" in attempt.error


def test_sessions_are_reused_per_counterparty(echo):
    first = http._session(counterparty(echo.url))
    again = http._session(counterparty(echo.url))
    other = http._session(http.Counterparty(kind="customs", code="C", base_url=echo.url))

    assert first is again
    assert first is not other


def test_the_request_record_is_valid_json(echo):
    http.call(counterparty(echo.url), "echo", "/echo", json_body={"items": [1, 2]})

    assert json.loads(OutboundAttempt.objects.get().request_excerpt)["json"] == {"items": [1, 2]}


def _child_reuses(parent_session, url, answers):
    """In a forked child: whether the client hands out the parent's session, and what a call there returns."""
    session = http._session(counterparty(url))
    reply = session.post(url + "/echo", data={"n": "child"}, timeout=10).json()["got"]
    answers.put((session is parent_session, reply))


def test_a_forked_worker_never_shares_the_parents_pooled_connections(echo):
    import multiprocessing

    http.call(counterparty(echo.url), "echo", "/echo", data={"n": "parent"})  # a kept-alive socket in the pool
    parent_session = http._session(counterparty(echo.url))
    fork = multiprocessing.get_context("fork")
    answers = fork.Queue()
    child = fork.Process(target=_child_reuses, args=(parent_session, echo.url, answers))
    child.start()
    reused, reply = answers.get(timeout=30)
    child.join(timeout=30)

    assert reused is False and reply == {"n": "child"}
    assert http._session(counterparty(echo.url)) is parent_session  # the parent keeps its own
