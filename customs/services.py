"""Customs requests and uploads: the only code that records, sends, resubmits or re-runs them."""
from django.db import IntegrityError, transaction
from django.utils import timezone

from customs.models import DataRequest, Upload
from orders.models import CrossBorderOrder
from procurement.delivery import Delivery, delivery_resubmit, enqueue_when_committed
from procurement.wire import CUSTOMS_OK, CustomsCode, CustomsError

UPLOAD_JOB = "customs.jobs.upload_send"


def request_record(*, order_no, session_id, service_time, remote_addr=None):
    """Record a platDataOpen call and return (code, message) to answer.

    An accepted request gets an upload, enqueued once the transaction has committed. A sessionID seen
    before is the same request: its recorded answer is returned and nothing else happens (the unique
    constraint decides, so two calls racing with one sessionID get one row).
    """
    # order_no is unique: a slice, not .first(), so no ORDER BY on this hot path.
    payment_id = next(iter(CrossBorderOrder.objects.filter(order_no=order_no).values_list("payment_id", flat=True)[:1]),
                      None)
    code, message = (CUSTOMS_OK, "") if payment_id else (CustomsCode.UNKNOWN_ORDER.value, f"订单不存在：{order_no}")
    try:
        with transaction.atomic():
            request = DataRequest.objects.create(
                session_id=session_id, order_no=order_no, payment_id=payment_id, customs_service_time=service_time,
                reply_code=code, reply_message=message, remote_addr=remote_addr,
            )
            if payment_id:
                upload = Upload.objects.create(request=request)
                enqueue_when_committed(UPLOAD_JOB, upload.pk)
    except IntegrityError:
        replay = _replay(session_id, order_no)
        if replay is None:
            raise
        return replay
    return code, message


def _replay(session_id, order_no):
    recorded = DataRequest.objects.filter(session_id=session_id).values_list("order_no", "reply_code",
                                                                            "reply_message").first()
    if recorded is None:
        return None
    recorded_order, code, message = recorded
    if recorded_order != order_no:
        raise CustomsError(CustomsCode.SESSION_CONFLICT,
                           f"sessionID {session_id} 已用于订单 {recorded_order}，不能再用于 {order_no}")
    return code, message


def upload_resubmit(upload):
    """Staff send a failed upload again (rebuilt from the current payment record). True if it was failed."""
    with transaction.atomic():
        if not delivery_resubmit(upload):
            return False
        enqueue_when_committed(UPLOAD_JOB, upload.pk)
    return True


def upload_make_due(upload):
    """A failed upload starts over; a pending or retrying one is due now. False if sending or done."""
    if upload.status == Delivery.Status.FAILED:
        return bool(delivery_resubmit(upload))
    return bool(Upload.objects.filter(
        pk=upload.pk, status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING]
    ).update(next_attempt_at=timezone.now()))
