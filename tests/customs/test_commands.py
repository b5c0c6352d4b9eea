"""Operators' commands over real HTTP: customs_probe plays customs against our platDataOpen; customs_upload re-runs one."""
import io

import pytest
import requests
from django.core.management import CommandError, call_command

from customs.models import DataRequest, Upload
from customs.sandbox import UPLOAD_PATH, CustomsSandbox
from customs.upload import upload_send
from procurement.models import OutboundAttempt
from tests.customs.conftest import CERT_NO
from tests.customs.payment_factories import paid_order


@pytest.fixture(autouse=True)
def _hang_up_kept_alive_connections():
    """The probe's HTTP session keeps its connection to the live server open, and with it that server
    thread's database connection: close them, or the test database cannot be dropped at the end."""
    yield
    from procurement.kernel import http

    for session in getattr(http._sessions, "pool", {}).values():
        session.close()
    http._sessions.pool = {}


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_probe_calls_platdataopen_over_http_like_customs(live_server):
    paid_order("ord-probe")

    output = run("customs_probe", "ord-probe", "--base-url", live_server.url, "--session-id", "probe-1")

    assert "sessionID：probe-1" in output and '"code":"10000"' in output
    request = DataRequest.objects.get()
    assert (request.session_id, request.order_no, request.reply_code) == ("probe-1", "ord-probe", "10000")
    assert Upload.objects.filter(request=request, status=Upload.Status.PENDING).exists()
    assert OutboundAttempt.objects.get(counterparty_kind="customs-probe").outcome == "ok"


@pytest.mark.django_db(transaction=True)
def test_the_probe_shows_a_refusal_and_can_send_json(live_server):
    output = run("customs_probe", "ord-unknown", "--base-url", live_server.url, "--json")

    assert '"code":"20004"' in output and "ord-unknown" in output


@pytest.mark.django_db(transaction=True)
def test_the_probe_says_when_the_upload_did_not_finish_in_time(live_server):
    paid_order("ord-wait")

    with pytest.raises(CommandError, match="等待超时"):
        run("customs_probe", "ord-wait", "--base-url", live_server.url, "--wait", "0.5")


@pytest.mark.django_db
def test_the_probe_reports_an_unreachable_platform():
    with pytest.raises(CommandError, match="调用 platDataOpen 失败"):
        run("customs_probe", "ord-x", "--base-url", "http://127.0.0.1:9")


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_customs_calls_our_platdataopen_and_checks_the_upload(live_server, sandbox_server, settings,
                                                                            sm2_signing):
    running = sandbox_server(CustomsSandbox(certificates={CERT_NO: sm2_signing[1]}, platform_url=live_server.url))
    settings.CUSTOMS_UPLOAD_URL = running.url + UPLOAD_PATH
    paid_order("ord-from-sandbox")

    opened = requests.post(running.url + "/_sandbox/open", data={"orderNo": "ord-from-sandbox"}, timeout=10).json()

    assert opened["reply"]["code"] == "10000"
    upload = Upload.objects.get(request__session_id=opened["sessionID"])
    assert upload_send(upload.pk) == Upload.Status.DONE
    watched = requests.get(running.url + "/_sandbox/uploads", timeout=10).json()
    assert watched["accepted"][0]["orderNos"] == ["ord-from-sandbox"]


@pytest.mark.django_db
def test_customs_upload_reruns_a_failed_upload_now(customs, customs_caller):
    order = paid_order("ord-rerun", goods=())
    customs_caller.open("ord-rerun", "session-rerun")
    upload = Upload.objects.get()
    assert upload_send(upload.pk) == Upload.Status.FAILED

    from tests.customs.payment_factories import OrderGoodsFactory

    OrderGoodsFactory(order=order)
    output = run("customs_upload", "session-rerun")

    assert "已完成" in output and "10000" in output
    assert Upload.objects.get().status == Upload.Status.DONE
    with pytest.raises(CommandError, match="已完成"):
        run("customs_upload", "session-rerun")


@pytest.mark.django_db
def test_customs_upload_sends_a_waiting_retry_at_once(customs, customs_caller):
    paid_order("ord-retry-now")
    customs_caller.open("ord-retry-now", "session-retry")
    customs.sandbox.faults.update(error_rate=1)
    upload_send(Upload.objects.get().pk)
    customs.sandbox.faults.update(error_rate=0)

    assert "已完成" in run("customs_upload", "session-retry")


@pytest.mark.django_db
def test_customs_upload_fails_clearly(customs, customs_caller):
    with pytest.raises(CommandError, match="没有 sessionID"):
        run("customs_upload", "no-such-session")
    paid_order("ord-still-bad", goods=())
    customs_caller.open("ord-still-bad", "session-bad")

    with pytest.raises(CommandError, match="上传未成功"):
        run("customs_upload", "session-bad")


@pytest.mark.django_db
def test_customs_upload_after_a_refusal_by_customs_sends_a_new_guid(customs, customs_caller):
    paid_order("ord-refused-rerun")
    customs_caller.open("ord-refused-rerun", "session-refused-rerun")
    customs.sandbox.faults.update(reject="订单未申报")
    refused_guid = Upload.objects.get().guid
    assert upload_send(Upload.objects.get().pk) == Upload.Status.FAILED
    customs.sandbox.faults.update(reject="")

    assert "已完成" in run("customs_upload", "session-refused-rerun")

    assert Upload.objects.get().guid != refused_guid
    assert customs.sandbox.received[0]["payExchangeInfoHead"]["guid"] == Upload.objects.get().guid
