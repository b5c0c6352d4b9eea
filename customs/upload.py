"""Sending one upload: build from the payment record, check §1.6.3, sign, POST payExInfoStr, read the reply.

Runs as a delivery (procurement.delivery): 10000 is done; 20000 and 2xxxx are permanent failures
kept for a resubmit; transport trouble (and an unreadable reply) is retried with backoff, bounded.
"""
from django.conf import settings

from customs.formats import Problem, check_upload
from customs.models import PaymentRecord, Upload
from customs.payload import upload_head, upload_lists, upload_sign
from customs.signer import signer_from_settings
from customs.wire import CUSTOMS_OK, is_customs_error_code
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
    request = upload.request
    payment = PaymentRecord.objects.prefetch_related("orders__goods").get(pk=request.payment_id)
    head, lists = upload_head(payment, upload.guid), upload_lists(payment)
    problems = check_upload(head, lists)
    if not any(order.get("orderNo") == request.order_no for order in lists):
        # The record was changed after customs asked: the order it asked for must be in the upload.
        problems.append(Problem("payExchangeInfoLists", f"支付记录中已没有海关请求的订单 {request.order_no}"))
    if problems or upload.problems:  # written when there are some, or to clear the last attempt's
        _record(upload, problems=[{"field": p.field, "reason": p.reason} for p in problems])
    if problems:
        raise InvalidUpload(problems)
    signed = upload_sign(request.session_id, head, lists, signer_from_settings())
    _record(upload, service_time=signed.service_time, cert_no=signed.cert_no, sign_source=signed.sign_source,
            pay_ex_info_str=signed.pay_ex_info_str, reply_code="", reply_message="")
    counterparty, path = customs_endpoint()
    reply = http.call(counterparty, INTERFACE, path, data={"payExInfoStr": signed.pay_ex_info_str},
                      reference=request.session_id)
    _read_reply(upload, reply)


def _read_reply(upload, reply):
    document = reply.json()
    code = str(document.get("code", "")) if isinstance(document, dict) else ""
    message = str(document.get("message") or "") if isinstance(document, dict) else ""
    message = message[:REPLY_MESSAGE_CHARS]
    if code == CUSTOMS_OK:
        _record(upload, reply_code=code, reply_message=message)
        return
    if is_customs_error_code(code):
        _record(upload, reply_code=code, reply_message=message)
        http.refuse(reply, code, message)
    http.record_outcome(reply.attempt_id, "bad_reply", f"应答中没有可识别的 code：{reply.text[:200]}")
    raise http.BadReply(f"海关应答无法识别：{reply.text[:200]}", reply.attempt_id)


def _record(upload, **fields):
    Upload.objects.filter(pk=upload.pk).update(**fields)


def customs_endpoint():
    """(Counterparty, path) of the configured realTimeDataUpload URL.

    http.call joins base and path with "/", so the URL is split at its last slash.
    """
    base, _, path = settings.CUSTOMS_UPLOAD_URL.rpartition("/")
    return http.Counterparty(kind="customs", code="customs", base_url=base), path
