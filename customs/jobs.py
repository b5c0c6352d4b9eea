"""django-q2 task functions for customs: load by id, call a service, nothing else."""
from customs.models import Upload
from customs.upload import upload_send as send
from procurement.delivery import deliveries_dispatch


def upload_send(upload_id):
    """Send one upload if it is due (idempotent: a done or taken upload is left alone)."""
    return send(upload_id)


def uploads_dispatch():
    """Every minute: hand due retries, and sends abandoned by a dead worker, to the send job."""
    return deliveries_dispatch(Upload, "customs.jobs.upload_send")
