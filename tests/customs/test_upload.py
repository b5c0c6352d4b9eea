"""realTimeDataUpload over real HTTP against the sandbox customs: round trip, refusals, retries, resubmission."""
import logging
from datetime import timedelta
from decimal import Decimal

import pytest
import requests
import time_machine
from django.utils import timezone

from customs.jobs import uploads_dispatch
from customs.models import Upload, UploadSend
from customs.payload import upload_sign
from customs.sandbox import UPLOAD_PATH
from customs.services import upload_resubmit
from customs.signer import SM2Signer
from customs.upload import upload_send
from customs.wire import parse_customs_json
from procurement.kernel import crypto
from procurement.models import OutboundAttempt
from tests.customs.conftest import CERT_NO
from tests.customs.payment_factories import OrderGoodsFactory, paid_order

pytestmark = pytest.mark.django_db
Status = Upload.Status


def requested(customs_caller, order_no, session_id="session-1"):
    assert customs_caller.open(order_no, session_id)["code"] == "10000"
    return Upload.objects.select_related("request").get(request__session_id=session_id)


def test_a_request_is_answered_by_a_signed_upload_customs_accepts(customs, customs_caller):
    order = paid_order("ord201808030001", goods=("小米盒子", "零食"), total_amount=Decimal("1234.56789"))
    upload = requested(customs_caller, "ord201808030001", "fe2374-8fnejf97-32839218")

    assert upload_send(upload.pk) == Status.DONE

    upload.refresh_from_db()
    assert (upload.status, upload.attempts, upload.reply_code, upload.reply_message) == (Status.DONE, 1, "10000", "上传成功")
    assert upload.done_at >= upload.request.received_at
    [received] = customs.sandbox.received
    assert received["sessionID"] == "fe2374-8fnejf97-32839218"
    assert received["certNo"] == CERT_NO
    assert received["payExchangeInfoHead"]["totalAmount"] == Decimal("1234.56789")
    assert received["payExchangeInfoHead"]["payTransactionId"] == order.payment.pay_transaction_id
    assert received["payExchangeInfoHead"]["guid"] == upload.guid
    assert [g["gname"] for g in received["payExchangeInfoLists"][0]["goodsInfo"]] == ["小米盒子", "零食"]
    assert parse_customs_json(upload.pay_ex_info_str) == received
    assert upload.sign_source.startswith('"sessionID":"fe2374-8fnejf97-32839218"||"payExchangeInfoHead":"{')
    attempt = OutboundAttempt.objects.get(reference="fe2374-8fnejf97-32839218")
    assert (attempt.counterparty_kind, attempt.interface, attempt.outcome) == ("customs", "realTimeDataUpload", "ok")
    assert (attempt.purpose_kind, attempt.purpose_id) == ("customs.upload", upload.pk)  # reachable from the upload


def test_every_order_of_the_payment_is_uploaded(customs, customs_caller):
    order = paid_order("ord-1")
    OrderGoodsFactory(order__payment=order.payment, order__order_no="ord-2")

    upload_send(requested(customs_caller, "ord-2").pk)

    [received] = customs.sandbox.received
    assert [o["orderNo"] for o in received["payExchangeInfoLists"]] == ["ord-1", "ord-2"]


def test_a_done_upload_is_not_sent_twice(customs, customs_caller):
    paid_order("ord-once")
    upload = requested(customs_caller, "ord-once")
    upload_send(upload.pk)

    assert upload_send(upload.pk) is None
    assert customs.sandbox.calls[UPLOAD_PATH] == 1


def test_a_tampered_payload_is_refused_by_the_sandbox(customs, sm2_signing):
    from tests.customs.test_formats import HEAD, LISTS

    signed = upload_sign("session-t", HEAD, LISTS, SM2Signer(sm2_signing[0], CERT_NO))
    tampered = signed.pay_ex_info_str.replace('"totalAmount":88.88', '"totalAmount":8.88')
    assert tampered != signed.pay_ex_info_str

    def post(text):
        return requests.post(customs.url + UPLOAD_PATH, data={"payExInfoStr": text}, timeout=10).json()

    assert post(tampered)["code"] == "20013"
    assert post(signed.pay_ex_info_str)["code"] == "10000"


def test_a_signature_by_an_unregistered_certificate_is_refused(customs):
    from tests.customs.test_formats import HEAD, LISTS

    stranger = SM2Signer(crypto.sm2_generate_keypair()[0], "UNKNOWN-CERT")
    signed = upload_sign("session-u", HEAD, LISTS, stranger)

    reply = requests.post(customs.url + UPLOAD_PATH, data={"payExInfoStr": signed.pay_ex_info_str}, timeout=10).json()

    assert reply["code"] == "20014"


def test_a_record_breaking_the_rules_is_not_sent_and_staff_see_why(customs, customs_caller):
    order = paid_order("ord-no-goods", goods=(), note="备" * 1001)
    upload = requested(customs_caller, "ord-no-goods")

    assert upload_send(upload.pk) == Status.FAILED

    upload.refresh_from_db()
    assert customs.sandbox.calls[UPLOAD_PATH] == 0
    assert {p["field"] for p in upload.problems} == {"payExchangeInfoHead.note",
                                                     "payExchangeInfoLists[0].goodsInfo"}
    assert "payExchangeInfoLists[0].goodsInfo" in upload.last_error and "至多 1000" in upload.last_error
    assert upload.pay_ex_info_str == ""

    OrderGoodsFactory(order=order)
    type(order.payment).objects.filter(pk=order.payment_id).update(note="")
    assert upload_resubmit(upload)
    assert upload_send(upload.pk) == Status.DONE
    upload.refresh_from_db()
    assert upload.problems == []


def test_a_refusal_by_customs_waits_for_a_resubmit(customs, customs_caller):
    paid_order("ord-rejected")
    upload = requested(customs_caller, "ord-rejected")
    customs.sandbox.faults.update(reject="订单信息与申报不一致")

    assert upload_send(upload.pk) == Status.FAILED
    assert uploads_dispatch() == 0  # permanent: nothing retries it on its own

    upload.refresh_from_db()
    assert (upload.reply_code, upload.reply_message) == ("20000", "订单信息与申报不一致")
    assert "订单信息与申报不一致" in upload.last_error
    assert OutboundAttempt.objects.get(reference="session-1").outcome == "refused"

    customs.sandbox.faults.update(reject="")
    assert upload_resubmit(upload)
    assert upload_send(upload.pk) == Status.DONE
    assert Upload.objects.get(pk=upload.pk).reply_code == "10000"


def test_server_errors_are_retried_with_backoff_up_to_the_bound(customs, customs_caller, settings):
    settings.CUSTOMS_UPLOAD_RETRY_SECONDS = 60
    paid_order("ord-5xx")
    upload = requested(customs_caller, "ord-5xx")
    customs.sandbox.faults.update(error_rate=1)
    delays = []

    with time_machine.travel(timezone.now(), tick=True) as clock:
        for _ in range(settings.CUSTOMS_UPLOAD_MAX_ATTEMPTS - 1):
            assert upload_send(upload.pk) == Status.RETRYING
            upload.refresh_from_db()
            delays.append((upload.next_attempt_at - timezone.now()).total_seconds())
            assert uploads_dispatch() == 0 and upload_send(upload.pk) is None  # not due yet
            clock.shift(timedelta(seconds=delays[-1] + 1))
            assert uploads_dispatch() == 1
        assert upload_send(upload.pk) == Status.FAILED

    assert 47 < delays[0] < 73 and 95 < delays[1] < 145  # about 60 s, then about 120 s (±20 % jitter)
    upload.refresh_from_db()
    assert upload.attempts == settings.CUSTOMS_UPLOAD_MAX_ATTEMPTS
    assert "503" in upload.last_error
    assert customs.sandbox.calls[UPLOAD_PATH] == settings.CUSTOMS_UPLOAD_MAX_ATTEMPTS

    customs.sandbox.faults.update(error_rate=0)
    upload_resubmit(upload)
    assert upload_send(upload.pk) == Status.DONE


def test_a_slow_customs_times_out_and_is_retried(customs, customs_caller, settings):
    settings.OUTBOUND_READ_TIMEOUT = 0.2
    paid_order("ord-slow")
    upload = requested(customs_caller, "ord-slow")
    customs.sandbox.faults.update(latency_ms=600)

    assert upload_send(upload.pk) == Status.RETRYING

    assert "超时" in Upload.objects.get(pk=upload.pk).last_error


def test_an_unreadable_reply_is_retried(customs, customs_caller):
    paid_order("ord-garbled")
    upload = requested(customs_caller, "ord-garbled")
    customs.sandbox.faults.update(malformed_rate=1.0)

    assert upload_send(upload.pk) == Status.RETRYING
    assert OutboundAttempt.objects.get(reference="session-1").outcome == "bad_reply"


def test_a_signer_without_a_key_stops_with_a_clear_error(customs, customs_caller, settings):
    settings.CUSTOMS_SM2_PRIVATE_KEY = ""
    paid_order("ord-nokey")
    upload = requested(customs_caller, "ord-nokey")

    assert upload_send(upload.pk) == Status.FAILED

    assert "CUSTOMS_SM2_PRIVATE_KEY" in Upload.objects.get(pk=upload.pk).last_error
    assert customs.sandbox.calls[UPLOAD_PATH] == 0


def test_a_send_abandoned_by_a_dead_worker_is_handed_out_again(customs, customs_caller):
    paid_order("ord-abandoned")
    upload = requested(customs_caller, "ord-abandoned")
    Upload.objects.filter(pk=upload.pk).update(status=Status.SENDING, claimed_at=timezone.now() - timedelta(hours=1))

    assert uploads_dispatch() == 1
    assert upload_send(upload.pk) == Status.DONE


def test_a_long_refusal_from_customs_is_kept_not_lost(customs, customs_caller):
    paid_order("ord-long-refusal")
    upload = requested(customs_caller, "ord-long-refusal")
    customs.sandbox.faults.update(reject="金额不符" * 500)

    assert upload_send(upload.pk) == Status.FAILED

    upload.refresh_from_db()
    assert upload.reply_code == "20000"
    assert upload.reply_message == ("金额不符" * 500)[:1000]


def test_an_upload_without_the_order_customs_asked_for_is_not_sent(customs, customs_caller):
    order = paid_order("ord-moved")
    upload = requested(customs_caller, "ord-moved")
    other = paid_order("ord-elsewhere")
    type(order).objects.filter(pk=order.pk).update(payment=other.payment)  # staff moved the order away

    assert upload_send(upload.pk) == Status.FAILED

    upload.refresh_from_db()
    assert "ord-moved" in str(upload.problems)
    assert customs.sandbox.received == []


def sends_of(upload):
    return list(UploadSend.objects.filter(upload=upload).order_by("sent_at", "id").values_list(
        "guid", "reply_code", "reply_message"))


def test_a_resubmission_after_customs_refused_is_a_new_message_with_a_new_guid(customs, customs_caller):
    paid_order("ord-corrected")
    upload = requested(customs_caller, "ord-corrected")
    refused_guid = upload.guid
    customs.sandbox.faults.update(reject="收款企业名称与备案不符")
    assert upload_send(upload.pk) == Status.FAILED

    customs.sandbox.faults.update(reject="")
    assert upload_resubmit(upload)
    assert upload_send(upload.pk) == Status.DONE  # customs refuses a guid it has refused before as a duplicate

    upload.refresh_from_db()
    [received] = customs.sandbox.received
    assert received["payExchangeInfoHead"]["guid"] == upload.guid != refused_guid
    assert sends_of(upload) == [(refused_guid, "20000", "收款企业名称与备案不符"), (upload.guid, "10000", "上传成功")]
    assert [s.service_time for s in upload.sends.order_by("id")][-1] == upload.service_time


def test_customs_refuses_a_reused_guid_as_a_duplicate(customs, sm2_signing):
    from tests.customs.test_formats import HEAD, LISTS

    def post(head):
        signed = upload_sign("session-dup", head, LISTS, SM2Signer(sm2_signing[0], CERT_NO))
        return requests.post(customs.url + UPLOAD_PATH, data={"payExInfoStr": signed.pay_ex_info_str}, timeout=10).json()

    customs.sandbox.faults.update(reject="金额不符")
    assert post(HEAD)["code"] == "20000"
    customs.sandbox.faults.update(reject="")

    assert post(HEAD)["code"] == "20015"
    assert post({**HEAD, "guid": "0A1B2C3D-0F0E-4F97-8283-9218ABCDEF12"})["code"] == "10000"


def test_a_transport_retry_sends_the_same_guid_again(customs, customs_caller):
    paid_order("ord-flaky")
    upload = requested(customs_caller, "ord-flaky")
    customs.sandbox.faults.update(error_rate=1)
    assert upload_send(upload.pk) == Status.RETRYING

    customs.sandbox.faults.update(error_rate=0)
    Upload.objects.filter(pk=upload.pk).update(next_attempt_at=timezone.now())
    assert upload_send(upload.pk) == Status.DONE

    first, second = upload.sends.order_by("id")
    assert first.guid == second.guid == upload.guid == customs.sandbox.received[0]["payExchangeInfoHead"]["guid"]
    assert (first.reply_code, second.reply_code) == ("", "10000")
    assert "503" in first.error and first.attempt_id and second.error == ""
    assert first.service_time <= second.service_time


def test_a_resubmission_after_transport_failures_keeps_the_guid(customs, customs_caller, settings):
    settings.CUSTOMS_UPLOAD_RETRY_SECONDS = 0
    paid_order("ord-unreachable")
    upload = requested(customs_caller, "ord-unreachable")
    customs.sandbox.faults.update(error_rate=1)
    while upload_send(upload.pk) != Status.FAILED:
        Upload.objects.filter(pk=upload.pk).update(next_attempt_at=timezone.now())

    customs.sandbox.faults.update(error_rate=0)
    assert upload_resubmit(upload)
    assert upload_send(upload.pk) == Status.DONE  # customs may have received one of them: the same message

    assert {guid for guid, _, _ in sends_of(upload)} == {upload.guid}
    assert len(sends_of(upload)) == settings.CUSTOMS_UPLOAD_MAX_ATTEMPTS + 1


def test_a_record_refused_before_sending_sends_nothing_and_keeps_no_send(customs, customs_caller):
    paid_order("ord-unsendable", goods=())
    upload = requested(customs_caller, "ord-unsendable")

    assert upload_send(upload.pk) == Status.FAILED

    assert sends_of(upload) == []


def test_a_credit_code_stored_before_the_check_is_not_sent_and_staff_see_the_field(customs, customs_caller):
    order = paid_order("ord-old-code")
    type(order).objects.filter(pk=order.pk).update(recp_code="91350100M000100Y44")  # entered before the rule
    upload = requested(customs_caller, "ord-old-code")

    assert upload_send(upload.pk) == Status.FAILED

    upload.refresh_from_db()
    assert [p["field"] for p in upload.problems] == ["payExchangeInfoLists[0].recpCode"]
    assert "校验位错误" in upload.last_error
    assert customs.sandbox.calls[UPLOAD_PATH] == 0


@pytest.mark.parametrize(("reply", "words"), [
    ("[" * 5000 + "]" * 5000, "嵌套过深"),
    ('{"code": ' + "1" * 5000 + "}", "数字过长"),
    ("<html>网关错误</html>", "不是合法的 JSON"),
    ('{"code": "OK"}', "没有可识别的 code"),
])
def test_an_unreadable_reply_from_customs_is_retried_and_kept_on_the_send(customs, customs_caller, caplog,
                                                                          reply, words):
    paid_order("ord-odd-reply")
    upload = requested(customs_caller, "ord-odd-reply")
    customs.sandbox.faults.update(reply_body=reply)

    assert upload_send(upload.pk) == Status.RETRYING

    [sent] = upload.sends.all()
    assert words in sent.error and sent.reply_code == ""
    assert OutboundAttempt.objects.get(pk=sent.attempt_id).outcome == "bad_reply"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_the_sandbox_answers_a_payload_nested_too_deep_as_unreadable(customs):
    reply = requests.post(customs.url + UPLOAD_PATH, data={"payExInfoStr": "[" * 5000}, timeout=10)

    assert (reply.status_code, reply.json()["code"]) == (200, "20011")
    assert "嵌套过深" in reply.json()["message"]
