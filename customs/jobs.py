"""django-q2 task functions for customs: load by id, call a service, nothing else."""
from customs.models import Upload
from customs.services import UPLOAD_JOB, upload_for_session
from customs.upload import upload_send as send
from procurement.kernel.delivery import deliveries_dispatch


def upload_send(upload_id):
    """Send one upload if it is due (idempotent: a done or taken upload is left alone)."""
    return send(upload_id)


def session_upload_send(session_id):
    """Send the upload of the request with this sessionID (the job queued with the request itself)."""
    upload = upload_for_session(session_id)
    return None if upload is None else send(upload.pk)


def uploads_dispatch():
    """Every minute: hand due retries, and sends abandoned by a dead worker, to the send job."""
    return deliveries_dispatch(Upload, UPLOAD_JOB)
