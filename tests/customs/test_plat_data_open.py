"""platDataOpen as customs calls it: recorded and answered at once; bad input answered 2xxxx with HTTP 200."""
import json
import logging
import secrets
from datetime import datetime, timedelta

import pytest
import time_machine

from customs.models import DataRequest, Upload
from procurement.kernel.wire import SHANGHAI
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
    body = json.dumps({"openReq": {"orderNo": "ord-nested", "sessionID": "s-nested", "serviceTime": 1533271903898}})

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


def test_a_session_reused_for_another_order_is_20005_without_naming_the_first(customs_caller):
    paid_order("ord-first-7731")
    paid_order("ord-b")
    customs_caller.open("ord-first-7731", "session-shared")

    reply = customs_caller.open("ord-b", "session-shared")

    assert reply["code"] == "20005"
    assert reply["message"] == "sessionID session-shared 已用于其他订单，不能再用于 ord-b"
    assert "7731" not in reply["message"]
    assert DataRequest.objects.get().order_no == "ord-first-7731"


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


def test_an_empty_list_of_networks_serves_no_caller(customs_caller, settings):
    paid_order("ord-closed")
    settings.CUSTOMS_ALLOWED_NETWORKS = []

    reply = customs_caller.open("ord-closed", "session-closed")

    assert reply["code"] == "20006"
    assert not DataRequest.objects.exists()


def test_a_star_serves_any_caller(customs_caller, settings):
    paid_order("ord-open")
    settings.CUSTOMS_ALLOWED_NETWORKS = ["*"]

    assert customs_caller.open("ord-open", "session-open", remote_addr="203.0.113.9")["code"] == "10000"
    assert DataRequest.objects.get().remote_addr == "203.0.113.9"


def a_caller_address():
    """An address of its own for each test: the counts live in the cache, which Redis shares between runs."""
    return "10." + ".".join(str(b) for b in secrets.token_bytes(3))


def test_calls_beyond_the_rate_per_caller_are_refused_until_the_next_minute(customs_caller, settings):
    paid_order("ord-rate")
    settings.CUSTOMS_ALLOWED_NETWORKS, settings.CUSTOMS_RATE_PER_MINUTE = ["10.0.0.0/8"], 3
    caller, other = a_caller_address(), a_caller_address()

    with time_machine.travel(datetime(2026, 12, 1, 10, 0, 5, tzinfo=SHANGHAI), tick=False) as clock:
        served = [customs_caller.open("ord-rate", f"s-rate-{n}", remote_addr=caller)["code"] for n in range(3)]
        refused = customs_caller.open("ord-rate", "s-rate-3", remote_addr=caller)
        elsewhere = customs_caller.open("ord-rate", "s-rate-other", remote_addr=other)
        clock.shift(timedelta(seconds=60))
        later = customs_caller.open("ord-rate", "s-rate-later", remote_addr=caller)

    assert served == ["10000"] * 3
    assert refused["code"] == "20007"
    assert "每分钟至多 3 次" in refused["message"] and "56 秒后重试" in refused["message"]
    assert (elsewhere["code"], later["code"]) == ("10000", "10000")
    assert not DataRequest.objects.filter(session_id="s-rate-3").exists()
    assert DataRequest.objects.count() == 5


def test_an_unreachable_cache_does_not_turn_customs_away(customs_caller, settings, caplog):
    paid_order("ord-no-cache")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0"}}

    with caplog.at_level(logging.WARNING):
        reply = customs_caller.open("ord-no-cache", "session-no-cache")

    assert reply["code"] == "10000"
    assert [r.levelname for r in caplog.records if "rate limit" in r.getMessage()] == ["WARNING"]


def doc(service_time):
    return '{"orderNo": "o1", "sessionID": "s-time", "serviceTime": ' + service_time + "}"


@pytest.mark.parametrize(("body", "content_type", "code", "words"), [
    (doc("0"), "application/json", "20003", "serviceTime: 应为 2000-01-01 00:00:00 至 2099-12-31 23:59:59"),
    (doc("-1"), "application/json", "20003", "serviceTime: 应为 2000-01-01"),
    (doc(str(2**63 - 1)), "application/json", "20003", "serviceTime: 应为 2000-01-01"),
    (doc(str(10**400)), "application/json", "20003", "serviceTime: 应为 2000-01-01"),
    (doc("946655999999"), "application/json", "20003", "实为 946655999999"),  # 1999-12-31 23:59:59.999 Beijing
    (doc("4102416000000"), "application/json", "20003", "实为 4102416000000"),  # 2100-01-01 00:00:00 Beijing
    (doc('"0001-01-01 00:00:00"'), "application/json", "20003", "serviceTime: 应为毫秒时间戳"),
    (doc('"' + "9" * 2000 + '"'), "application/json", "20003", "serviceTime: 过长"),
    (doc("1e400"), "application/json", "20003", "serviceTime: 应为毫秒时间戳"),
    (doc("9" * 5000), "application/json", "20001", "数字过长"),
    ("[" * 5000 + "]" * 5000, "application/json", "20001", "嵌套过深"),
    ('{"openReq": ' + "[" * 5000 + "]" * 5000 + "}", "application/json", "20001", "嵌套过深"),
    ("openReq=" + "%5B" * 4000, "application/x-www-form-urlencoded", "20001", "嵌套过深"),
    ("openReq=" + "9" * 5000, "application/x-www-form-urlencoded", "20001", "数字过长"),
])
def test_unreadable_times_and_json_are_named_errors_never_busy_nor_logged_as_errors(customs_caller, settings, caplog,
                                                                                    body, content_type, code, words):
    settings.CUSTOMS_MAX_BODY_BYTES = 64 * 1024
    paid_order("o1")

    with caplog.at_level(logging.DEBUG):
        reply = customs_caller.raw(body, content_type)

    assert (reply["code"], words in reply["message"]) == (code, True), reply
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert not DataRequest.objects.exists()


@pytest.mark.parametrize("service_time", [946656000000, 4102415999999])  # the first and last ms of 2000–2099
def test_the_span_of_service_times_is_served_to_its_ends(customs_caller, service_time):
    paid_order("ord-span")

    assert customs_caller.open("ord-span", f"s-span-{service_time}", service_time)["code"] == "10000"
    assert DataRequest.objects.get().customs_service_time == service_time
