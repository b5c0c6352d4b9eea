"""The upload job run by a real django-q2 cluster process, on the configured broker, against the sandbox customs."""
import pytest
from django.core.management import call_command
from django_q.models import Schedule

from customs.models import Upload
from tests.customs.conftest import CERT_NO, CustomsCaller
from tests.customs.payment_factories import paid_order
from tests.support.cluster import wait_until


@pytest.mark.slow
def test_the_cluster_uploads_what_platdataopen_recorded(job_cluster, customs, sm2_signing, client, settings):
    paid_order("ord-cluster", goods=("奶粉", "拖鞋"))
    customs.sandbox.faults.update(latency_ms=300)

    reply = CustomsCaller(client).open("ord-cluster", "session-cluster")

    assert reply["code"] == "10000"
    assert Upload.objects.get().status == Upload.Status.PENDING  # answered before any upload happened
    job_cluster.start(CUSTOMS_SIGNER="sm2", CUSTOMS_SM2_PRIVATE_KEY=sm2_signing[0], CUSTOMS_CERT_NO=CERT_NO,
                      CUSTOMS_UPLOAD_URL=settings.CUSTOMS_UPLOAD_URL)
    upload = wait_until(lambda: Upload.objects.filter(status=Upload.Status.DONE).first(), timeout=60,
                        message="the upload job")
    assert upload.reply_code == "10000"
    assert [o["orderNo"] for o in customs.sandbox.received[0]["payExchangeInfoLists"]] == ["ord-cluster"]


@pytest.mark.django_db
def test_the_retry_dispatcher_is_scheduled_every_minute():
    call_command("setup_schedules", verbosity=0)

    schedule = Schedule.objects.get(name="海关数据上传重试")
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "customs.jobs.uploads_dispatch", Schedule.MINUTES, 1)
