"""/gyssc/token against hostile callers: made-up signs lock no account, a sign logs in once, bad signs are
throttled per caller address."""
import threading
from datetime import timedelta
from itertools import count

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from procurement.models import AccessToken, SupplierAccount, UsedLoginSign
from procurement.services import accounts
from procurement.suppliers.emall.wire import WireError
from tests.procurement.factories import SupplierAccountFactory
from tests.support.emall import EmallCaller, distinct_logins, login_params

pytestmark = pytest.mark.django_db
_addresses = count(1)
MADE_UP = "made-up-secret"  # no factory account has it


@pytest.fixture
def account():
    return SupplierAccountFactory()


@pytest.fixture
def from_address():
    """A supplier-side caller from an address of its own (the throttle counts per address, across tests)."""

    def caller(address=None):
        n = next(_addresses)
        return EmallCaller(Client(REMOTE_ADDR=address or f"10.99.{n // 250 % 250}.{n % 250 + 1}"))

    return caller


def test_made_up_signs_do_not_lock_the_account(from_address, account, settings):
    attacker, supplier = from_address(), from_address()
    for params in distinct_logins(account, settings.EMALL_LOGIN_MAX_FAILURES * 3, secret=MADE_UP):
        assert attacker.post("/gyssc/token", params)["code"] == "5004"

    assert supplier.post("/gyssc/token", login_params(account))["success"] is True
    account.refresh_from_db()
    assert (account.failed_logins, account.locked_until) == (0, None)


def test_a_wrong_password_with_a_valid_sign_still_counts_against_the_account(from_address, account, settings):
    caller = from_address()
    for params in distinct_logins(account, settings.EMALL_LOGIN_MAX_FAILURES, password="guess"):
        assert caller.post("/gyssc/token", params)["code"] == "5003"

    assert "锁定" in from_address().post("/gyssc/token", login_params(account))["desc"]


def test_bad_signs_are_throttled_per_address(from_address, account, settings):
    settings.EMALL_LOGIN_BAD_SIGNS_PER_ADDRESS = 3
    attacker, supplier = from_address(), from_address()
    for params in distinct_logins(account, 3, secret=MADE_UP):
        assert attacker.post("/gyssc/token", params)["code"] == "5004"

    refused = attacker.post("/gyssc/token", login_params(account))

    assert refused["code"] == "5099"
    assert "签名错误次数过多" in refused["desc"]
    assert supplier.post("/gyssc/token", login_params(account))["success"] is True
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.EMALL_LOGIN_BAD_SIGN_WINDOW_SECONDS + 1)):
        assert attacker.post("/gyssc/token", login_params(account))["success"] is True


def test_unknown_usernames_count_against_the_address_too(from_address, account, settings):
    settings.EMALL_LOGIN_BAD_SIGNS_PER_ADDRESS = 2
    prober = from_address()
    for name in ("nobody-1", "nobody-2"):
        assert prober.post("/gyssc/token", {**login_params(account), "username": name})["code"] == "5002"

    assert prober.post("/gyssc/token", login_params(account))["code"] == "5099"


def test_the_address_is_the_proxys_client_when_behind_trusted_proxies(account, settings):
    settings.EMALL_LOGIN_BAD_SIGNS_PER_ADDRESS = 1
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = "10.0.0.1"
    attacker = EmallCaller(Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"))
    supplier = EmallCaller(Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9"))

    assert attacker.post("/gyssc/token", login_params(account, secret=MADE_UP))["code"] == "5004"
    assert attacker.post("/gyssc/token", login_params(account))["code"] == "5099"
    assert supplier.post("/gyssc/token", login_params(account))["success"] is True


def test_a_signed_request_logs_in_once(from_address, account):
    params = login_params(account)
    caller = from_address()

    assert caller.post("/gyssc/token", params)["success"] is True
    replay = caller.post("/gyssc/token", params)

    assert replay["code"] == "5004"
    assert "已使用" in replay["desc"]
    assert AccessToken.objects.filter(account=account).count() == 1


def test_the_same_sign_in_capitals_is_the_same_sign(from_address, account):
    params = login_params(account)
    caller = from_address()
    assert caller.post("/gyssc/token", params)["success"] is True

    assert caller.post("/gyssc/token", {**params, "sign": params["sign"].upper()})["code"] == "5004"


def test_a_replayed_wrong_password_request_does_not_lock_the_account(from_address, account, settings):
    params = login_params(account, password="guess")
    caller = from_address()
    assert caller.post("/gyssc/token", params)["code"] == "5003"

    for _ in range(settings.EMALL_LOGIN_MAX_FAILURES * 2):
        assert caller.post("/gyssc/token", params)["code"] == "5004"

    account.refresh_from_db()
    assert (account.failed_logins, account.locked_until) == (1, None)


@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_get_one_token(account):
    params = login_params(account)
    start, outcomes = threading.Barrier(6), []

    def login():
        start.wait()
        try:
            accounts.token_login(**params, caller="10.1.1.1")
            outcomes.append("token")
        except WireError as refused:
            outcomes.append(refused.code.value)
        finally:
            connection.close()

    threads = [threading.Thread(target=login) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["5004"] * 5 + ["token"]
    assert AccessToken.objects.filter(account=account).count() == 1


def test_used_signs_are_purged_once_their_window_is_over(account, settings):
    accounts.token_login(**login_params(account), caller="10.2.2.2")
    assert UsedLoginSign.objects.count() == 1
    window = timedelta(seconds=2 * settings.EMALL_TIMESTAMP_TOLERANCE_SECONDS)

    with time_machine.travel(timezone.now() + window - timedelta(seconds=5)):
        accounts.tokens_purge()
    assert UsedLoginSign.objects.count() == 1
    with time_machine.travel(timezone.now() + window + timedelta(seconds=5)):
        assert accounts.tokens_purge() == 1
    assert UsedLoginSign.objects.count() == 0


def test_the_sign_itself_is_not_stored(account):
    params = login_params(account)
    accounts.token_login(**params, caller="10.3.3.3")

    assert not UsedLoginSign.objects.filter(digest=params["sign"]).exists()
    assert SupplierAccount.objects.get(pk=account.pk).last_login_at is not None
