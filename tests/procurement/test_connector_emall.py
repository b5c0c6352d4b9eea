"""The e-mall connector against the sandbox supplier: tokens, expiry mid-pass, retries, refusals, the call log."""
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from procurement.kernel import crypto, http
from procurement.kernel.retry import RetryPolicy
from procurement.models import OutboundAttempt, RemoteToken
from procurement.suppliers.emall.sandbox import build_sandbox
from procurement.suppliers.records import ChangeKind
from procurement.suppliers.registry import connector_for
from tests.procurement.factories import SupplierFactory

FAST = RetryPolicy(max_attempts=3, base_seconds=0.01, cap_seconds=0.02)


@pytest.fixture
def platform(db, sandbox_server):
    sandbox = build_sandbox(250, broken=False)
    running = sandbox_server(sandbox)
    supplier = SupplierFactory(base_url=running.url, password="sandbox-password")
    return sandbox, supplier


def connector(supplier):
    built = connector_for(supplier)
    built.retry = FAST
    return built


def test_a_token_is_obtained_once_and_reused_from_the_database(platform):
    sandbox, supplier = platform

    connector(supplier).prices(["SB000001"])
    connector(supplier).prices(["SB000002"])

    assert sandbox.tokens_issued == 1
    token = RemoteToken.objects.get(supplier=supplier)
    assert token.token in sandbox.tokens and token.expires_at > timezone.now() + timedelta(hours=1)


def test_batches_go_out_a_hundred_skus_at_a_time(platform):
    sandbox, supplier = platform
    codes = list(sandbox.products)

    details = connector(supplier).details(codes)

    assert set(details) == set(codes)
    assert sandbox.calls["/api/product/detail_standard"] == 3


def test_token_expiry_mid_pass_refreshes_once_and_retries_the_call_once(platform):
    sandbox, supplier = platform
    sandbox.faults.update(token_expire_after=2)
    client = connector(supplier)

    for code in ("SB000001", "SB000002", "SB000003", "SB000004", "SB000005"):
        assert code in client.prices([code])

    assert sandbox.tokens_issued == 3
    assert client.calls["prices"] == 7  # five answered, two refused with token_expired and sent again
    refused = OutboundAttempt.objects.filter(interface="prices", outcome="refused")
    assert refused.count() == 2 and all("token_expired" in a.error for a in refused)


def test_a_token_refused_again_after_refresh_stops_as_permanent(platform):
    sandbox, supplier = platform
    sandbox.faults.update(token_expire_after=-1)

    with pytest.raises(http.PermanentError):
        connector(supplier).prices(["SB000001"])
    assert sandbox.tokens_issued == 2


@pytest.mark.django_db(transaction=True)
def test_workers_that_all_see_an_expired_token_refresh_it_once(platform):
    sandbox, supplier = platform
    connector(supplier).prices(["SB000001"])
    stale = RemoteToken.objects.get(supplier=supplier).token
    sandbox.tokens.pop(stale)
    errors = []

    def worker():
        try:
            connector(supplier).with_token(lambda token: _use(connector(supplier), token))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sandbox.tokens_issued == 2


def _use(client, token):
    return client.post("prices", {"sku": "SB000001", "token": token}, counterparty=client.counterparty(token))


def test_transient_failures_are_retried_with_backoff_then_raised(platform):
    sandbox, supplier = platform
    connector(supplier).prices(["SB000001"])
    sandbox.faults.update(error_rate=1.0)

    with pytest.raises(http.ServerError):
        connector(supplier).prices(["SB000001"])
    assert OutboundAttempt.objects.filter(interface="prices", outcome="http_error").count() == 3


def test_a_malformed_reply_is_transient_and_recorded(platform):
    sandbox, supplier = platform
    connector(supplier).prices(["SB000001"])
    sandbox.faults.update(malformed_rate=1.0)

    with pytest.raises(http.BadReply):
        connector(supplier).prices(["SB000001"])
    assert OutboundAttempt.objects.filter(interface="prices", outcome="bad_reply").count() == 3


def test_a_connection_refused_is_transient(db):
    supplier = SupplierFactory(base_url="http://127.0.0.1:9")

    with pytest.raises(http.CallConnectionError):
        connector(supplier).prices(["SB000001"])


def test_wrong_credentials_are_a_permanent_refusal_and_the_password_is_never_logged(platform):
    _, supplier = platform
    supplier.secret_parameters = {"password": "wrong-password"}

    with pytest.raises(http.Refused) as refused:
        connector(supplier).prices(["SB000001"])

    assert refused.value.code == "5003"
    attempt = OutboundAttempt.objects.get(interface="access_token")
    assert attempt.outcome == "refused"
    logged = attempt.request_excerpt + attempt.reply_excerpt + attempt.url
    # What travels is the password's SM3 digest: a password equivalent, so it is masked too.
    assert "wrong-password" not in logged and crypto.sm3_hex("wrong-password") not in logged
    assert '"password": "***"' in attempt.request_excerpt


def test_tokens_never_reach_the_call_log(platform):
    sandbox, supplier = platform
    connector(supplier).prices(["SB000001"])

    token = RemoteToken.objects.get(supplier=supplier).token
    for attempt in OutboundAttempt.objects.all():
        assert token not in attempt.request_excerpt + attempt.reply_excerpt + attempt.url


def test_the_message_pool_is_read_into_messages_and_acknowledged(platform):
    sandbox, supplier = platform
    client = connector(supplier)

    events = client.changes("", 5).events
    client.acknowledge([e.id for e in events[:2]])

    assert [(e.id, e.kind, e.sku) for e in events[:2]] == [("1", ChangeKind.ADDED, "SB000001"),
                                                          ("2", ChangeKind.ADDED, "SB000002")]
    assert events[0].time.tzinfo is not None
    assert sandbox.deleted == ["1", "2"]
