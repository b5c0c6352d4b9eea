"""Writing down an accepted platDataOpen call: the request, the upload it owes and the upload's job.

On PostgreSQL that is one statement (order lookup and three inserts in data-modifying CTEs): one round
trip and one durable commit, the whole cost of the answer customs waits for. Elsewhere (SQLite, the
embedded default) it is the same rows through the ORM in one transaction.

Both return (recorded, payment_id): recorded is False when the sessionID was seen before, in which case
nothing was written.
"""
import functools

from django.db import IntegrityError, connection, transaction
from django_q.models import OrmQ

from customs.models import CrossBorderOrder, DataRequest, Upload
from customs.wire import CUSTOMS_OK
from procurement.kernel.delivery import enqueue_when_committed
from procurement.kernel.queue import job_broker, queue_in_database, task_package
from procurement.kernel.rowsql import RowInsert, fetch_one_repeatable

# The upload job of a new request is keyed by its sessionID, known before the rows are written.
SESSION_UPLOAD_JOB = "customs.jobs.session_upload_send"


def record_request(request, refusal):
    """Write unsaved DataRequest `request`; `refusal` is the (code, message) it gets when its order is unknown."""
    if connection.vendor == "postgresql":
        return _in_one_statement(request, refusal)
    return _step_by_step(request, refusal)


def _step_by_step(request, refusal):
    request.payment_id = next(iter(
        CrossBorderOrder.objects.filter(order_no=request.order_no).values_list("payment_id", flat=True)[:1]), None)
    request.reply_code, request.reply_message = (CUSTOMS_OK, "") if request.payment_id else refusal
    try:
        with transaction.atomic():
            request.save(force_insert=True)
            if request.payment_id:
                Upload.objects.create(request=request)
                enqueue_when_committed(SESSION_UPLOAD_JOB, request.session_id)
    except IntegrityError:
        if DataRequest.objects.filter(session_id=request.session_id).exists():
            return False, request.payment_id
        raise
    return True, request.payment_id


def _in_one_statement(request, refusal):
    with_job = queue_in_database()
    writers = _writers()
    params = {"order_no": request.order_no, "refusal_code": refusal[0], "refusal_message": refusal[1],
              "accepted_code": CUSTOMS_OK, **writers["request"].params(request, connection),
              **writers["upload"].params(Upload(), connection)}
    if with_job:
        job = OrmQ(key=job_broker().list_key, payload=task_package(SESSION_UPLOAD_JOB, request.session_id))
        params.update(writers["job"].params(job, connection))
    payment_id, recorded = fetch_one_repeatable(_statement(with_job), params)
    if recorded and payment_id and not with_job:
        enqueue_when_committed(SESSION_UPLOAD_JOB, request.session_id)
    return recorded, payment_id


@functools.cache
def _writers():
    unknown = "chosen.payment_id IS NULL"
    return {
        "request": RowInsert(DataRequest, "request", computed={
            "payment_id": "chosen.payment_id",
            "reply_code": f"CASE WHEN {unknown} THEN %(refusal_code)s ELSE %(accepted_code)s END",
            "reply_message": f"CASE WHEN {unknown} THEN %(refusal_message)s ELSE '' END",
        }),
        "upload": RowInsert(Upload, "upload", computed={"request_id": "recorded.id"}),
        # The ORM broker's row, as its enqueue() writes it (lock = now: runnable at once).
        "job": RowInsert(OrmQ, "job", computed={"lock": "statement_timestamp()"}),
    }


@functools.cache
def _statement(with_job):
    writers, quote = _writers(), connection.ops.quote_name
    job = f", job AS ({writers['job'].sql(connection, 'upload')})" if with_job else ""
    return (
        f"WITH chosen AS (SELECT (SELECT payment_id FROM {quote(CrossBorderOrder._meta.db_table)}"
        f" WHERE order_no = %(order_no)s) AS payment_id),"
        f" recorded AS ({writers['request'].sql(connection, 'chosen')}"
        f" ON CONFLICT (session_id) DO NOTHING RETURNING id, payment_id),"
        f" upload AS ({writers['upload'].sql(connection, 'recorded')} WHERE recorded.payment_id IS NOT NULL RETURNING id)"
        f"{job}"
        f" SELECT chosen.payment_id, EXISTS (SELECT 1 FROM recorded) FROM chosen"
    )
