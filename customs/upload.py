"""Sending one upload: build from the payment record, check §1.6.3, sign, POST payExInfoStr, read the reply.

Runs as a delivery (procurement.delivery): 10000 is done; 20000 and 2xxxx are permanent failures
kept for a resubmit; transport trouble (and an unreadable reply) is retried with backoff, bounded.
Every message sent leaves an UploadSend row (its guid, serviceTime, and customs' answer or the error).
"""
from django.conf import settings
from django.db import transaction

from customs.formats import Problem, check_upload
from customs.models import PaymentRecord, Upload, UploadSend, new_guid
from customs.payload import upload_head, upload_lists, upload_sign
from customs.signer import signer_from_settings
from customs.wire import CUSTOMS_OK, is_customs_error_code, parse_customs_json
from procurement.kernel import http
from procurement.kernel.delivery import delivery_send
from procurement.kernel.retry import RetryPolicy

INTERFACE = "realTimeDataUpload"


class InvalidUpload(http.PermanentError):
    """The payment record breaks §1.6.3: nothing is sent until staff fix it and resubmit."""

    def __init__(self, problems):
        super().__init__("数据不符合海关接口格式，未发送：" + "；".join(str(p) for p in problems))
        self.problems = problems


def upload_policy():
    return RetryPolicy(max_attempts=settings.CUSTOMS_UPLOAD_MAX_ATTEMPTS,
                       base_seconds=settings.CUSTOMS_UPLOAD_RETRY_SECONDS, cap_seconds=1800)


REPLY_MESSAGE_CHARS = Upload._meta.get_field("reply_message").max_length


def upload_send(upload_id):
    """Send upload `upload_id` if it is due; returns its new status (None when not due or taken)."""
    return delivery_send(Upload, upload_id, _send, policy=upload_policy(), related=("request",))


def _send(upload):
    guid = _guid_for_this_send(upload)
    head, lists = _checked_upload(upload, guid)
    signed = upload_sign(upload.request.session_id, head, lists, signer_from_settings())
    sent = _record_signed(upload, guid, signed)
    reply = _post(sent, signed.pay_ex_info_str, upload.request.session_id)
    _read_reply(upload, sent, reply)


def _guid_for_this_send(upload):
    """A refusal by customs spends the guid: the corrected upload is a new message with a new one. A transport
    retry keeps it, since customs may have received the message. (reply_code is the answer to the last send.)"""
    return new_guid() if is_customs_error_code(upload.reply_code) else upload.guid


def _checked_upload(upload, guid):
    """(head, lists) built from the payment record; InvalidUpload, kept on the upload, if they break §1.6.3."""
    request = upload.request
    payment = PaymentRecord.objects.prefetch_related("orders__goods").get(pk=request.payment_id)
    head, lists = upload_head(payment, guid), upload_lists(payment)
    problems = check_upload(head, lists)
    if not any(order.get("orderNo") == request.order_no for order in lists):
        # The record was changed after customs asked: the order it asked for must be in the upload.
        problems.append(Problem("payExchangeInfoLists", f"支付记录中已没有海关请求的订单 {request.order_no}"))
    if problems or upload.problems:  # written when there are some, or to clear the last attempt's
        _record(upload, problems=[{"field": p.field, "reason": p.reason} for p in problems])
    if problems:
        raise InvalidUpload(problems)
    return head, lists


def _record_signed(upload, guid, signed):
    """Before sending: the upload's latest message, and a new row of its send history."""
    with transaction.atomic():
        _record(upload, guid=guid, service_time=signed.service_time, cert_no=signed.cert_no,
                sign_source=signed.sign_source, pay_ex_info_str=signed.pay_ex_info_str, reply_code="",
                reply_message="")
        return UploadSend.objects.create(upload=upload, guid=guid, service_time=signed.service_time)


def _post(sent, pay_ex_info_str, reference):
    counterparty, path = customs_endpoint()
    try:
        return http.call(counterparty, INTERFACE, path, data={"payExInfoStr": pay_ex_info_str}, reference=reference)
    except http.OutboundError as error:
        _record_send(sent, error=str(error), attempt_id=error.attempt_id)
        raise


def _read_reply(upload, sent, reply):
    code, message = _customs_answer(sent, reply)
    _record(upload, reply_code=code, reply_message=message)
    _record_send(sent, reply_code=code, reply_message=message, attempt_id=reply.attempt_id)
    if code != CUSTOMS_OK:
        http.refuse(reply, code, message)


def _customs_answer(sent, reply):
    """(code, message) of a reply that carries a §1.6.4 code; BadReply (retried) for anything else."""
    try:
        document = parse_customs_json(reply.text)
    except ValueError as exc:
        _unusable(sent, reply, f"海关应答不是合法的 JSON：{exc}")
    code = str(document.get("code", "")) if isinstance(document, dict) else ""
    message = str(document.get("message") or "") if isinstance(document, dict) else ""
    if code == CUSTOMS_OK or is_customs_error_code(code):
        return code, message[:REPLY_MESSAGE_CHARS]
    _unusable(sent, reply, f"应答中没有可识别的 code：{reply.text[:200]}")


def _unusable(sent, reply, problem):
    _record_send(sent, error=problem, attempt_id=reply.attempt_id)
    http.bad_reply(reply.attempt_id, problem)


def _record(upload, **fields):
    Upload.objects.filter(pk=upload.pk).update(**fields)


def _record_send(sent, **fields):
    UploadSend.objects.filter(pk=sent.pk).update(**fields)


def customs_endpoint():
    """(Counterparty, path) of the configured realTimeDataUpload URL.

    http.call joins base and path with "/", so the URL is split at its last slash.
    """
    base, _, path = settings.CUSTOMS_UPLOAD_URL.rpartition("/")
    return http.Counterparty(kind="customs", code="customs", base_url=base), path
