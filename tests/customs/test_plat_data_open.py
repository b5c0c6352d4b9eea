"""platDataOpen as customs calls it: recorded and answered at once; bad input answered 2xxxx with HTTP 200."""
import json

import pytest

from customs.models import DataRequest, Upload
from tests.customs.payment_factories import paid_order
from tests.support.jobs import QueueWatch

pytestmark = pytest.mark.django_db


def test_a_known_order_is_recorded_and_answered_10000(customs_caller, django_capture_on_commit_callbacks):
    order = paid_order("ord201800002")
    queue = QueueWatch()

    with django_capture_on_commit_callbacks(execute=True):
        reply = customs_caller.open("ord201800002", "fe2374-8fnejf97-32839218", 1533271903898)

    assert (reply["code"], reply["message"]) == ("10000", "")
    request = DataRequest.objects.get()
    assert (request.session_id, request.order_no, request.payment_id) == (
        "fe2374-8fnejf97-32839218", "ord201800002", order.payment_id)
    assert request.customs_service_time == 1533271903898
    upload = Upload.objects.get(request=request)
    assert upload.status == Upload.Status.PENDING
    assert queue.new("customs.jobs.session_upload_send") == [("fe2374-8fnejf97-32839218",)]


def test_a_plain_json_body_is_accepted_too(customs_caller):
    paid_order("ord-json-1")

    reply = customs_caller.open("ord-json-1", "session-json", as_json=True)

    assert reply["code"] == "10000"
    assert DataRequest.objects.get().session_id == "session-json"


def test_openreq_as_a_json_object_inside_a_json_body_is_accepted(customs_caller):
    paid_order("ord-nested")
    body = json.dumps({"openReq": {"orderNo": "ord-nested", "sessionID": "s-nested", "serviceTime": 1}})

    assert customs_caller.raw(body, "application/json")["code"] == "10000"


def test_an_unknown_order_is_20004_and_recorded_without_an_upload(customs_caller):
    reply = customs_caller.open("ord-missing", "session-x")

    assert reply["code"] == "20004"
    assert "ord-missing" in reply["message"]
    assert DataRequest.objects.get().reply_code == "20004"
    assert not Upload.objects.exists()


def test_a_replayed_session_is_one_request_with_the_same_answer(customs_caller, django_capture_on_commit_callbacks):
    paid_order("ord-replay")
    queue = QueueWatch()

    with django_capture_on_commit_callbacks(execute=True):
        first = customs_caller.open("ord-replay", "session-replay")
        again = customs_caller.open("ord-replay", "session-replay")
        refused_first = customs_caller.open("ord-none", "session-refused")
        refused_again = customs_caller.open("ord-none", "session-refused")

    assert (first["code"], first["message"]) == (again["code"], again["message"]) == ("10000", "")
    assert (refused_first["code"], refused_first["message"]) == (refused_again["code"], refused_again["message"])
    assert DataRequest.objects.count() == 2
    assert Upload.objects.count() == 1
    assert queue.new("customs.jobs.session_upload_send") == [("session-replay",)]


def test_a_session_reused_for_another_order_is_20005(customs_caller):
    paid_order("ord-a")
    paid_order("ord-b")
    customs_caller.open("ord-a", "session-shared")

    reply = customs_caller.open("ord-b", "session-shared")

    assert reply["code"] == "20005"
    assert "ord-a" in reply["message"]
    assert DataRequest.objects.get().order_no == "ord-a"


@pytest.mark.parametrize(("body", "content_type", "code", "words"), [
    ("openReq=%7B%22orderNo%22%3A", "application/x-www-form-urlencoded", "20001", "JSON"),
    ("openReq=%5B1%2C2%5D", "application/x-www-form-urlencoded", "20001", "JSON 对象"),
    ("", "application/x-www-form-urlencoded", "20002", "orderNo"),
    ('{"orderNo": "o1", "serviceTime": 1}', "application/json", "20002", "sessionID"),
    ('{"orderNo": "o1", "sessionID": "s1"}', "application/json", "20002", "serviceTime"),
    ('{"orderNo": "", "sessionID": "s1", "serviceTime": 1}', "application/json", "20002", "orderNo"),
    ('{"orderNo": "o1", "sessionID": "s1", "serviceTime": "soon"}', "application/json", "20003", "serviceTime"),
    ('{"orderNo": "o1", "sessionID": "s1", "serviceTime": -5}', "application/json", "20003", "serviceTime"),
    ('{"orderNo": "' + "9" * 61 + '", "sessionID": "s1", "serviceTime": 1}', "application/json", "20003", "orderNo"),
    ('{"orderNo": "o1", "sessionID": "' + "s" * 101 + '", "serviceTime": 1}', "application/json", "20003",
     "sessionID"),
    ('{"orderNo": "o1", "sessionID": "a\\u0000b", "serviceTime": 1}', "application/json", "20003", "控制字符"),
    ('{"orderNo": "o1",', "application/json", "20001", "JSON"),
    ('["o1"]', "application/json", "20001", "对象"),
    (b'{"orderNo": "\xd5\xc5"}', "application/json", "20001", "UTF-8"),
    ("<openReq/>", "text/xml", "20001", "Content-Type"),
])
def test_malformed_requests_get_a_2xxxx_code_and_a_clear_message(customs_caller, body, content_type, code, words):
    reply = customs_caller.raw(body, content_type)

    assert reply["code"] == code, reply
    assert words in reply["message"]
    assert not DataRequest.objects.exists()


def test_get_is_refused_in_the_customs_envelope(customs_caller):
    reply = customs_caller.raw("", "application/x-www-form-urlencoded", method="get")

    assert (reply["code"], reply["message"]) == ("20001", "仅支持 POST 请求")


def test_an_oversized_body_is_refused_before_it_is_read(customs_caller, settings):
    settings.CUSTOMS_MAX_BODY_BYTES = 1024

    reply = customs_caller.raw("openReq=" + "x" * 2000, "application/x-www-form-urlencoded")

    assert reply["code"] == "20001"
    assert "1024" in reply["message"]


def test_an_unexpected_failure_is_20009_not_a_500(customs_caller, monkeypatch):
    from customs.api import views

    def broken(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(views, "request_record", broken)

    reply = customs_caller.open("o1", "s1")

    assert reply["code"] == "20009"
    assert "fire" not in reply["message"]


def test_only_callers_from_the_allowed_networks_are_served(customs_caller, settings):
    paid_order("ord-allow")
    settings.CUSTOMS_ALLOWED_NETWORKS = ["10.20.0.0/16"]

    refused = customs_caller.open("ord-allow", "session-outside")  # the test client comes from 127.0.0.1
    settings.CUSTOMS_ALLOWED_NETWORKS = ["10.20.0.0/16", "127.0.0.0/8"]
    served = customs_caller.open("ord-allow", "session-inside")

    assert refused["code"] == "20006"
    assert served["code"] == "10000"
    assert list(DataRequest.objects.values_list("session_id", flat=True)) == ["session-inside"]


def test_a_service_time_beyond_any_clock_is_a_bad_parameter(customs_caller):
    paid_order("ord-huge")

    reply = customs_caller.open("ord-huge", "session-huge", 10**30)

    assert reply["code"] == "20003"
    assert not DataRequest.objects.exists()
