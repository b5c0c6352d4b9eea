"""Signers: the software SM2 key, and the ukey signer against a local websocket server speaking the 电子口岸 protocol."""
import base64
import logging
import socket
import threading

import pytest
from gmssl import sm2 as gm_sm2

from customs.models import Upload
from customs.sandbox import UPLOAD_PATH, CustomsSandbox
from customs.signer import SignerRefused, SignerUnavailable, SM2Signer, UkeySigner, signer_from_settings
from customs.upload import upload_send
from procurement.models import OutboundAttempt
from tests.customs.eport_client import METHOD, FakeEportClient
from tests.customs.payment_factories import paid_order

SOURCE = '"sessionID":"s-1"||"payExchangeInfoHead":"{"note":"奶粉"}"||"payExchangeInfoLists":"[]"||"serviceTime":"1"'


@pytest.fixture
def eport():
    client = FakeEportClient().start()
    yield client
    client.stop()


def ukey(eport, pin="88888888", timeout=5):
    return UkeySigner(eport.url, pin, timeout)


def test_the_sm2_signer_signs_with_its_key_and_certificate(sm2_keypair):
    private_key, public_key = sm2_keypair

    signature = SM2Signer(private_key, "CERT-9").sign(SOURCE)

    raw = base64.b64decode(signature.value)
    assert len(raw) == 64 and signature.cert_no == "CERT-9"
    assert gm_sm2.CryptSM2(private_key="", public_key=public_key[2:]).verify_with_sm3(raw.hex(), SOURCE.encode())


@pytest.mark.parametrize(("key", "cert_no", "words"), [
    ("", "CERT", "CUSTOMS_SM2_PRIVATE_KEY"), ("ab" * 32, "", "CUSTOMS_CERT_NO"), ("xyz", "CERT", "64 位十六进制"),
])
def test_the_sm2_signer_refuses_a_missing_or_bad_configuration(key, cert_no, words):
    with pytest.raises(SignerRefused, match=words):
        SM2Signer(key, cert_no)


@pytest.mark.django_db
def test_the_ukey_signer_sends_the_documented_request_and_reads_signature_and_cert(eport):
    signature = ukey(eport).sign(SOURCE)

    [request] = eport.requests
    assert request["_method"] == METHOD
    assert isinstance(request["_id"], int)
    assert request["args"] == {"inData": SOURCE, "passwd": "88888888"}
    assert signature.cert_no == "UKEY-CERT-0001"
    raw = base64.b64decode(signature.value)
    assert gm_sm2.CryptSM2(private_key="", public_key=eport.public_key[2:]).verify_with_sm3(raw.hex(), SOURCE.encode())


@pytest.mark.django_db
def test_each_ukey_request_has_its_own_id_and_replies_to_others_are_ignored(eport):
    eport.stray_reply = True
    signer = ukey(eport)

    first, second = signer.sign(SOURCE), signer.sign(SOURCE + "x")

    assert first.value != "stray" and second.value != "stray"
    assert len({r["_id"] for r in eport.requests}) == 2


@pytest.mark.django_db(transaction=True)
def test_the_ukey_signer_sends_one_request_at_a_time(eport):
    eport.delay = 0.15
    results, errors = [], []

    def sign(n):
        try:
            results.append(ukey(eport).sign(f"{SOURCE}-{n}"))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=sign, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == [] and len(results) == 4
    assert eport.most_in_hand == 1
    assert len({r["_id"] for r in eport.requests}) == 4


@pytest.mark.django_db
def test_a_wrong_pin_is_refused_and_the_pin_never_shows(eport, caplog):
    caplog.set_level(logging.DEBUG)

    with pytest.raises(SignerRefused) as refused:
        ukey(eport, pin="00000000").sign(SOURCE)

    assert "卡口令错误" in str(refused.value)
    assert "00000000" not in str(refused.value)
    assert "00000000" not in caplog.text  # not even in websockets' frame log at DEBUG


@pytest.mark.django_db
def test_an_absent_ukey_service_is_transient():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(SignerUnavailable):
        UkeySigner(f"ws://127.0.0.1:{port}", "88888888", 2).sign(SOURCE)


@pytest.mark.django_db
def test_a_ukey_service_that_does_not_answer_in_time_is_transient(eport):
    eport.delay = 1.0

    with pytest.raises(SignerUnavailable):
        ukey(eport, timeout=0.3).sign(SOURCE)


@pytest.mark.django_db
def test_an_upload_signed_by_the_ukey_is_accepted_by_customs(eport, sandbox_server, settings, customs_caller):
    running = sandbox_server(CustomsSandbox(certificates={eport.cert_no: eport.public_key}))
    settings.CUSTOMS_UPLOAD_URL = running.url + UPLOAD_PATH
    settings.CUSTOMS_SIGNER, settings.CUSTOMS_UKEY_URL, settings.CUSTOMS_UKEY_PIN = "ukey", eport.url, "88888888"
    settings.CUSTOMS_CERT_NO = ""
    paid_order("ord-ukey")
    assert customs_caller.open("ord-ukey", "session-ukey")["code"] == "10000"
    upload = Upload.objects.get()

    assert isinstance(signer_from_settings(), UkeySigner)
    assert upload_send(upload.pk) == Upload.Status.DONE

    upload.refresh_from_db()
    assert upload.cert_no == "UKEY-CERT-0001"
    assert running.sandbox.received[0]["certNo"] == "UKEY-CERT-0001"
    assert eport.requests[0]["args"]["inData"] == upload.sign_source
    assert not OutboundAttempt.objects.filter(request_excerpt__contains="88888888").exists()


@pytest.mark.django_db
def test_a_refusing_ukey_fails_the_upload_for_staff_to_resubmit(eport, customs, settings, customs_caller):
    settings.CUSTOMS_SIGNER, settings.CUSTOMS_UKEY_URL, settings.CUSTOMS_UKEY_PIN = "ukey", eport.url, "wrong-pin"
    paid_order("ord-pin")
    customs_caller.open("ord-pin", "session-pin")

    assert upload_send(Upload.objects.get().pk) == Upload.Status.FAILED
    assert "卡口令错误" in Upload.objects.get().last_error
    assert customs.sandbox.calls[UPLOAD_PATH] == 0


@pytest.mark.django_db
def test_every_ukey_exchange_is_in_the_call_log_with_the_pin_masked(eport):
    ukey(eport).sign(SOURCE)
    with pytest.raises(SignerRefused):
        ukey(eport, pin="00000000").sign(SOURCE)

    signed, refused = OutboundAttempt.objects.filter(counterparty_kind="ukey").order_by("id")
    assert (signed.interface, signed.outcome, refused.outcome) == (METHOD, "ok", "refused")
    assert "UKEY-CERT-0001" in signed.reply_excerpt and "卡口令错误" in refused.error
    for row in (signed, refused):
        logged = row.request_excerpt + row.reply_excerpt + row.error
        # Quoted, as a PIN would travel: the bare digits may be part of a message id ("_id": 12000000009).
        assert '"88888888"' not in logged and '"00000000"' not in logged and '"passwd": "***"' in row.request_excerpt


@pytest.mark.django_db
def test_an_absent_ukey_service_leaves_a_connection_error_in_the_call_log():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(SignerUnavailable):
        UkeySigner(f"ws://127.0.0.1:{port}", "88888888", 2).sign(SOURCE)

    assert OutboundAttempt.objects.get(counterparty_kind="ukey").outcome == "connection_error"
