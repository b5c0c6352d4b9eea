"""Customs requests and uploads: the only code that records, sends, resubmits or re-runs them."""

from customs.models import DataRequest, Upload
from customs.recording import record_request
from customs.wire import CUSTOMS_OK, CustomsCode, CustomsError
from procurement.kernel.delivery import deliveries_resubmit

UPLOAD_JOB = "customs.jobs.upload_send"


def request_record(*, order_no, session_id, service_time, remote_addr=None):
    """Record a platDataOpen call and return (code, message) to answer.

    An accepted request gets an upload, whose job is queued with the commit (customs.recording). A
    sessionID seen before is the same request: its recorded answer is returned and nothing else happens
    (the unique constraint decides, so two calls racing with one sessionID get one row).
    """
    refusal = (CustomsCode.UNKNOWN_ORDER.value, f"订单不存在：{order_no}")
    request = DataRequest(session_id=session_id, order_no=order_no, customs_service_time=service_time,
                          remote_addr=remote_addr)
    recorded, payment_id = record_request(request, refusal)
    if not recorded:
        return _replay(session_id, order_no)
    return (CUSTOMS_OK, "") if payment_id else refusal


def _replay(session_id, order_no):
    recorded_order, code, message = DataRequest.objects.filter(session_id=session_id).values_list(
        "order_no", "reply_code", "reply_message").get()
    if recorded_order != order_no:
        # Which order it was is not the caller's to learn: a sessionID is all it takes to ask.
        raise CustomsError(CustomsCode.SESSION_CONFLICT, f"sessionID {session_id} 已用于其他订单，不能再用于 {order_no}")
    return code, message


def upload_for_session(session_id):
    """The upload (with its request) owed for the request with this sessionID, or None if it was refused or unknown."""
    return Upload.objects.select_related("request").filter(request__session_id=session_id).first()


def upload_resubmit(upload):
    """Staff send a failed upload again (rebuilt from the current payment record). True if it was failed.

    If customs refused the last message, the next one carries a new guid (customs.upload decides when sending,
    so `customs_upload` and this action agree); after transport failures it carries the same one.
    """
    return bool(deliveries_resubmit(Upload.objects.filter(pk=upload.pk), UPLOAD_JOB))

