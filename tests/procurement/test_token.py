"""§7.1.1 /gyssc/token: signed login, every refusal code, throttling, 36-hour tokens."""
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from procurement.kernel.wire import format_wire_time
from procurement.models import AccessToken, Supplier
from tests.procurement.factories import SupplierAccountFactory
from tests.support.emall import distinct_logins, login_params

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    return SupplierAccountFactory()


@pytest.mark.parametrize("as_json", [False, True], ids=["form", "json"])
def test_a_signed_login_returns_a_token_valid_for_36_hours(emall, account, as_json):
    reply = emall.post("/gyssc/token", login_params(account), as_json=as_json)

    assert reply["success"] is True
    result = reply["result"]
    assert result["expiresIn"] == 36 * 3600
    token = AccessToken.objects.get(account=account)
    assert result["expiresAt"] == format_wire_time(token.expires_at)
    assert emall.post("/gyssc/platform/info", {"token": result["token"]})["success"] is True


def test_the_token_itself_is_not_stored(emall, account):
    raw = emall.post("/gyssc/token", login_params(account))["result"]["token"]

    stored = AccessToken.objects.get(account=account)
    assert raw not in (stored.key_hash, stored.prefix)
    assert not AccessToken.objects.filter(key_hash=raw).exists()


@pytest.mark.parametrize("missing", ["username", "password", "timestamp", "sign"])
def test_a_missing_parameter_is_5006(emall, account, missing):
    params = login_params(account)
    del params[missing]

    reply = emall.post("/gyssc/token", params)

    assert reply == {"success": False, "code": "5006", "desc": f"必填参数为空：{missing}"}


@pytest.mark.parametrize("timestamp", ["2026/11/23 10:00:00", "20261123100000", "1763863200", "2026-11-23T10:00:00"])
def test_a_timestamp_in_another_format_is_5001(emall, account, timestamp):
    reply = emall.post("/gyssc/token", login_params(account, timestamp=timestamp))

    assert reply["code"] == "5001"


@pytest.mark.parametrize("skew_minutes", [-11, 11])
def test_a_timestamp_more_than_ten_minutes_off_is_5001(emall, account, skew_minutes):
    timestamp = format_wire_time(timezone.now() + timedelta(minutes=skew_minutes))

    reply = emall.post("/gyssc/token", login_params(account, timestamp=timestamp))

    assert reply["code"] == "5001"
    assert "10 分钟" in reply["desc"]


def test_a_timestamp_nine_minutes_off_is_accepted(emall, account):
    timestamp = format_wire_time(timezone.now() - timedelta(minutes=9))

    assert emall.post("/gyssc/token", login_params(account, timestamp=timestamp))["success"] is True


def test_an_unknown_username_is_5002(emall, account):
    params = login_params(account)
    params["username"] = "nobody"

    assert emall.post("/gyssc/token", params)["code"] == "5002"


def test_a_wrong_password_is_5003(emall, account):
    assert emall.post("/gyssc/token", login_params(account, password="guess"))["code"] == "5003"


def test_a_sign_made_with_another_secret_is_5004(emall, account):
    reply = emall.post("/gyssc/token", login_params(account, secret="made-up-secret"))

    assert reply["code"] == "5004"


def test_a_tampered_request_is_5004(emall, account):
    params = login_params(account)
    params["timestamp"] = format_wire_time(timezone.now() - timedelta(seconds=30))

    assert emall.post("/gyssc/token", params)["code"] == "5004"


def test_repeated_failures_lock_the_username(emall, account, settings):
    for params in distinct_logins(account, settings.EMALL_LOGIN_MAX_FAILURES, password="guess"):
        assert emall.post("/gyssc/token", params)["code"] == "5003"

    locked = emall.post("/gyssc/token", login_params(account))

    assert locked["code"] == "5099"
    assert "锁定" in locked["desc"]
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.EMALL_LOGIN_LOCK_MINUTES, seconds=1)):
        assert emall.post("/gyssc/token", login_params(account))["success"] is True


def test_a_successful_login_resets_the_failure_count(emall, account, settings):
    guesses = distinct_logins(account, 2 * (settings.EMALL_LOGIN_MAX_FAILURES - 1), password="guess")
    rights = distinct_logins(account, 2)
    for params in guesses[: settings.EMALL_LOGIN_MAX_FAILURES - 1]:
        assert emall.post("/gyssc/token", params)["code"] == "5003"
    assert emall.post("/gyssc/token", rights[0])["success"] is True

    for params in guesses[settings.EMALL_LOGIN_MAX_FAILURES - 1:]:
        assert emall.post("/gyssc/token", params)["code"] == "5003"
    assert emall.post("/gyssc/token", rights[1])["success"] is True


def test_a_disabled_account_cannot_log_in(emall, account):
    account.is_active = False
    account.save()

    reply = emall.post("/gyssc/token", login_params(account))

    assert reply["code"] == "5099"
    assert "停用" in reply["desc"]


def test_a_suspended_supplier_cannot_log_in(emall, account):
    Supplier.objects.filter(pk=account.supplier_id).update(docking_status=Supplier.DockingStatus.SUSPENDED)

    reply = emall.post("/gyssc/token", login_params(account))

    assert reply["code"] == "5099"
    assert "暂停" in reply["desc"]


def test_a_token_expires_after_36_hours(emall, account):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        token = emall.post("/gyssc/token", login_params(account))["result"]["token"]
        clock.shift(timedelta(hours=36) - timedelta(seconds=1))
        assert emall.post("/getAreas", {"token": token})["success"] is True
        clock.shift(timedelta(seconds=2))
        reply = emall.post("/getAreas", {"token": token})

    assert reply["code"] == "5005"
    assert "token_expired" in reply["desc"]


@pytest.mark.parametrize("token", ["", "not-a-token"])
def test_a_missing_or_unknown_token_is_5005_token_expired(emall, token):
    reply = emall.post("/getAreas", {"token": token})

    assert reply["code"] == "5005"
    assert "token_expired" in reply["desc"]


def test_a_revoked_token_is_refused(emall, account):
    raw = emall.token_for(account)
    AccessToken.objects.update(revoked_at=timezone.now())

    assert emall.post("/getAreas", {"token": raw})["code"] == "5005"


def test_a_token_of_a_disabled_account_is_refused(emall, account):
    raw = emall.token_for(account)
    account.is_active = False
    account.save()

    assert emall.post("/getAreas", {"token": raw})["code"] == "5005"


def test_access_token_is_accepted_as_the_token_name(emall, account):
    raw = emall.token_for(account)

    assert emall.post("/getAreas", {"access_token": raw}, as_json=True)["success"] is True


def test_the_signing_secret_is_encrypted_at_rest(account):
    with connection.cursor() as cursor:
        cursor.execute("SELECT client_secret FROM procurement_supplieraccount WHERE id = %s", [account.pk])
        stored = cursor.fetchone()[0]

    assert account.client_secret not in stored
    assert stored.startswith("sm4gcm1:")


def test_a_new_password_or_signing_secret_ends_the_tokens_got_before(emall, account):
    from procurement.services.accounts import account_regenerate_secret, account_set_password

    old = emall.token_for(account)
    account_set_password(account, "A-New-Password-1")
    assert emall.post("/getAreas", {"token": old})["code"] == "5005"

    again = emall.token_for(account)
    account_regenerate_secret(account)
    assert emall.post("/getAreas", {"token": again})["code"] == "5005"
