"""Customs test fixtures: a software SM2 certificate, the sandbox customs on a real socket, a platDataOpen caller."""
import json

import pytest

from customs.sandbox import UPLOAD_PATH, CustomsSandbox
from customs.wire import customs_json
from procurement.kernel import crypto

CERT_NO = "TEST-CERT-01"


@pytest.fixture(scope="session")
def sm2_keypair():
    return crypto.sm2_generate_keypair()


@pytest.fixture
def sm2_signing(settings, sm2_keypair):
    """Uploads signed by the software signer with a test certificate."""
    settings.CUSTOMS_SIGNER = "sm2"
    settings.CUSTOMS_SM2_PRIVATE_KEY = sm2_keypair[0]
    settings.CUSTOMS_CERT_NO = CERT_NO
    settings.CUSTOMS_UPLOAD_MAX_ATTEMPTS = 3
    return sm2_keypair


@pytest.fixture
def customs(sandbox_server, settings, sm2_signing):
    """The sandbox customs, knowing our test certificate; uploads go to it."""
    running = sandbox_server(CustomsSandbox(certificates={CERT_NO: sm2_signing[1]}))
    settings.CUSTOMS_UPLOAD_URL = running.url + UPLOAD_PATH
    return running


def customs_envelope(response):
    """A platDataOpen reply, after checking it is HTTP 200 JSON with exactly code, message, serviceTime."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    reply = json.loads(response.content)
    assert set(reply) == {"code", "message", "serviceTime"}, reply
    assert isinstance(reply["serviceTime"], int) and isinstance(reply["code"], str)
    return reply


class CustomsCaller:
    """Calls /customs/platDataOpen the way customs does (form field openReq) or with a JSON body."""

    path = "/customs/platDataOpen"

    def __init__(self, client):
        self.client = client

    def open(self, order_no, session_id, service_time=1533271903898, *, as_json=False, remote_addr="127.0.0.1"):
        document = {"orderNo": order_no, "sessionID": session_id, "serviceTime": service_time}
        if as_json:
            return self.raw(json.dumps(document), "application/json", remote_addr=remote_addr)
        return self.raw(f"openReq={_quote(customs_json(document))}", "application/x-www-form-urlencoded",
                        remote_addr=remote_addr)

    def raw(self, body, content_type, method="post", remote_addr="127.0.0.1"):
        return customs_envelope(getattr(self.client, method)(self.path, body, content_type=content_type,
                                                             REMOTE_ADDR=remote_addr))


def _quote(text):
    from urllib.parse import quote

    return quote(text, safe="")


@pytest.fixture
def customs_caller(db, client):
    return CustomsCaller(client)
