"""django-q2 task functions for customs: load by id, call a service, nothing else."""
from django_q.tasks import async_task

from customs.models import Upload
from customs.upload import upload_send as send
from procurement.delivery import deliveries_due


def upload_send(upload_id):
    """Send one upload if it is due (idempotent: a done or taken upload is left alone)."""
    return send(upload_id)


def uploads_dispatch():
    """Every minute: hand due retries, and sends abandoned by a dead worker, to the send job."""
    due = deliveries_due(Upload)
    for upload_id in due:
        async_task("customs.jobs.upload_send", upload_id)
    return len(due)
