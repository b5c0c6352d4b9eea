"""Input no parser or column can take (10,000-deep JSON, 1,001 fields, a date in year 1) is the caller's error:
the parse or field refusal it is, logged at most as a warning, on the served interfaces and the staff API alike."""
import base64
import json
import logging

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.procurement.factories import SupplierAccountFactory
from tests.support.emall import envelope, login_params

pytestmark = pytest.mark.django_db

DEEP_ARRAY = "[" * 10_000 + "]" * 10_000
DEEP_OBJECT = '{"a":' * 10_000 + "1" + "}" * 10_000
EMALL_PATHS = ["/gyssc/token", "/getAreas"]


@pytest.fixture
def errors(caplog):
    """The ERROR (and worse) records logged during the test."""
    caplog.set_level(logging.WARNING)
    return lambda: [record for record in caplog.records if record.levelno >= logging.ERROR]


def many_fields(count):
    return {f"field{n}": "1" for n in range(count)}


@pytest.mark.parametrize("path", EMALL_PATHS)
@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
def test_json_nested_ten_thousand_deep_is_a_parse_error(emall, errors, path, body):
    reply = emall.raw(path, body, "application/json")

    assert reply["code"] == "5099"
    assert "嵌套" in reply["desc"]
    assert errors() == []


@pytest.mark.parametrize("path", EMALL_PATHS)
def test_a_multipart_form_with_more_than_a_thousand_fields_is_a_parse_error(client_raw, errors, path, settings):
    reply = envelope(client_raw.post(path, many_fields(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)))

    assert reply["code"] == "5099"
    assert "字段过多" in reply["desc"]
    assert errors() == []


def test_a_urlencoded_form_with_more_than_a_thousand_fields_is_refused_as_such(emall, settings):
    reply = emall.post("/gyssc/token", many_fields(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    assert reply["code"] == "5099"
    assert "字段过多" in reply["desc"]


def test_a_form_at_the_field_limit_is_read(emall, settings):
    fields = many_fields(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS - 1)
    fields["token"] = emall.token_for(SupplierAccountFactory())

    assert emall.post("/getAreas", fields)["success"] is True


@pytest.mark.parametrize("timestamp", ["0001-01-01 00:00:00", "9999-12-31 23:59:59"])
def test_a_token_request_dated_at_the_ends_of_the_calendar_is_5001(emall, errors, timestamp):
    reply = emall.post("/gyssc/token", login_params(SupplierAccountFactory(), timestamp=timestamp))

    assert reply["code"] == "5001"
    assert errors() == []


def test_a_value_out_of_range_met_when_stored_is_refused_not_busy(emall, errors, monkeypatch):
    from catalog.api import queries

    def overflowing(**kwargs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(queries, "areas", overflowing)
    reply = emall.post("/getAreas", {"token": emall.token_for(SupplierAccountFactory())})

    assert reply["code"] == "5099"
    assert "超出" in reply["desc"]
    assert errors() == []


# --- the staff API --------------------------------------------------------------------------------

@pytest.fixture
def staff_client():
    User.objects.create_superuser("ops", "ops@example.cn", "pw-Ops-2026", is_staff=True)
    return Client(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"ops:pw-Ops-2026").decode())


STAFF_PATHS = ["/api/staff/payments", "/api/staff/guarantees/applications"]


@pytest.mark.parametrize("path", STAFF_PATHS)
def test_deep_json_on_the_staff_api_is_a_400(staff_client, errors, path):
    response = staff_client.post(path, DEEP_ARRAY, content_type="application/json")

    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"]
    assert errors() == []


def test_too_many_multipart_fields_on_the_staff_api_is_a_400(staff_client, errors, settings):
    response = staff_client.post("/api/staff/guarantees/applications",
                                 many_fields(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    assert response.status_code == 400
    assert "字段过多" in response.json()["detail"]
    assert errors() == []


def test_a_trading_time_in_year_one_on_the_staff_api_is_a_400(staff_client, errors):
    from tests.customs.test_payments_api import DOCUMENT

    document = {**DOCUMENT, "totalAmount": "1", "tradingTime": "0001-01-01 00:00:00"}
    response = staff_client.post("/api/staff/payments", json.dumps(document), content_type="application/json")

    assert response.status_code == 400, response.content
    assert "tradingTime" in response.json()  # the refusal names the field
    assert errors() == []


# --- the staff API reads no body over its limit ----------------------------------------------

class Unread:
    """A request body that records whether anything read it."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        self.read_bytes += 1
        return b""

    readline = read


@pytest.mark.parametrize("path", STAFF_PATHS)
def test_a_staff_api_body_over_the_limit_is_refused_before_it_is_read(staff_client, settings, path):
    body = Unread()
    length = settings.STAFF_API_MAX_BODY_BYTES + 1

    response = staff_client.generic("POST", path, content_type="application/json",
                                    CONTENT_LENGTH=str(length), **{"wsgi.input": body})

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert str(settings.STAFF_API_MAX_BODY_BYTES) in response.json()["detail"]
    assert body.read_bytes == 0


def test_the_staff_api_limit_is_the_setting(staff_client, settings):
    settings.STAFF_API_MAX_BODY_BYTES = 64
    response = staff_client.post("/api/staff/guarantees/applications", json.dumps({"biaoduanno": "x" * 100}),
                                 content_type="application/json")

    assert response.status_code == 413
    settings.STAFF_API_MAX_BODY_BYTES = 1024
    assert staff_client.post("/api/staff/guarantees/applications", "{}",
                             content_type="application/json").status_code == 400


def test_a_value_out_of_range_met_when_stored_by_the_staff_api_is_a_400(staff_client, errors, monkeypatch):
    from customs.api import payment_views
    from tests.customs.test_payments_api import DOCUMENT

    def overflowing(data):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(payment_views, "payment_save", overflowing)
    response = staff_client.post("/api/staff/payments", json.dumps({**DOCUMENT, "totalAmount": "1"}),
                                 content_type="application/json")

    assert response.status_code == 400
    assert "超出" in response.json()["detail"]
    assert errors() == []


@pytest.mark.parametrize("text", ["0001-01-01 00:00:00", "0001-01-01 08:05:42"])
def test_a_wire_time_without_a_utc_equivalent_is_refused(text):
    from procurement.kernel.wire import parse_wire_time

    with pytest.raises(ValueError, match="out of range"):
        parse_wire_time(text)


def test_the_earliest_wire_time_with_a_utc_equivalent_is_read():
    from procurement.kernel.wire import parse_wire_time

    assert parse_wire_time("0001-01-01 08:05:43").year == 1
