"""Whatever a caller sends, every served interface answers the §6.1 envelope with HTTP 200: never a 5xx, never HTML."""
import json

import pytest

from catalog.api import queries
from tests.procurement.factories import SupplierAccountFactory

pytestmark = pytest.mark.django_db

PATHS = [
    "/gyssc/token", "/gyssc/platform/info", "/gyssc/platform/catalogs", "/gyssc/platform/getRegionPromise",
    "/catalogsParam", "/getAreas", "/brands",
]


@pytest.mark.parametrize("path", PATHS)
def test_get_is_refused_with_the_envelope(emall, client_raw, path):
    from tests.support.emall import envelope

    reply = envelope(client_raw.get(path))

    assert reply == {"success": False, "code": "5099", "desc": "仅支持 POST 请求"}


@pytest.mark.parametrize("path", PATHS)
def test_malformed_json_is_5099(emall, path):
    reply = emall.raw(path, b'{"username": "a",', "application/json")

    assert reply["code"] == "5099"
    assert "JSON" in reply["desc"]


@pytest.mark.parametrize("path", PATHS)
def test_json_that_is_not_an_object_is_5099(emall, path):
    assert emall.raw(path, b'["token"]', "application/json")["code"] == "5099"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_non_utf8_bytes_are_5099(emall, path, content_type):
    body = b'{"username": "\xd5\xc5\xc8\xfd"}' if content_type == "application/json" else b"username=\xd5\xc5"

    reply = emall.raw(path, body, content_type)

    assert reply["code"] == "5099"
    assert "UTF-8" in reply["desc"]


def test_percent_encoded_non_utf8_in_a_form_is_5099(emall):
    assert emall.raw("/getAreas", b"token=%D5%C5%C8%FD", "application/x-www-form-urlencoded")["code"] == "5099"


@pytest.mark.parametrize("path", PATHS)
def test_an_unsupported_content_type_is_5099(emall, path):
    reply = emall.raw(path, b"<xml/>", "text/xml")

    assert reply["code"] == "5099"
    assert "Content-Type" in reply["desc"]


@pytest.mark.parametrize("path", PATHS)
def test_a_body_over_the_limit_is_5099(emall, path, settings):
    body = json.dumps({"token": "x", "padding": "x" * (settings.EMALL_MAX_BODY_BYTES + 1)})

    reply = emall.raw(path, body, "application/json")

    assert reply["code"] == "5099"
    assert "上限" in reply["desc"]


def test_unknown_fields_are_ignored(emall):
    token = emall.token_for(SupplierAccountFactory())

    reply = emall.post("/getAreas", {"token": token, "extra": "1", "sign": "abc"}, as_json=True)

    assert reply["success"] is True


@pytest.mark.parametrize("as_json", [False, True], ids=["form", "json"])
def test_multipart_forms_are_accepted_too(emall, client_raw, as_json):
    from tests.support.emall import envelope

    token = emall.token_for(SupplierAccountFactory())

    reply = envelope(client_raw.post("/getAreas", {"token": token}))  # the test client sends multipart

    assert reply["success"] is True


def test_an_unexpected_failure_is_5099_without_details(emall, monkeypatch):
    token = emall.token_for(SupplierAccountFactory())

    def broken(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(queries, "areas", broken)
    reply = emall.post("/getAreas", {"token": token})

    assert reply == {"success": False, "code": "5099", "desc": "系统繁忙，请稍后重试"}


def test_an_unknown_path_answers_the_envelope(emall):
    reply = emall.post("/gyssc/platform/nothing", {})

    assert reply["code"] == "5099"
    assert "/gyssc/platform/nothing" in reply["desc"]


@pytest.mark.parametrize("path, expected", [
    ("/guarantee/nothing", {"code": 0}),
    ("/customs/nothing", {"code": "20000"}),
])
def test_an_unknown_path_answers_in_the_envelope_of_its_protocol(client_raw, path, expected):
    from tests.support.emall import envelope

    reply = envelope(client_raw.post(path, b"{}", content_type="application/json"))

    assert reply["code"] == expected["code"]
    assert path in reply["message"]
