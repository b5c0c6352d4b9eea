"""Fixtures of the guarantee tests: a guarantor's signed notices, the sandbox bank on real sockets, sending."""
import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from guarantees.models import CheckRun, OutboundMessage
from guarantees.sandbox import SandboxGuarantor
from guarantees.services.messages import message_send
from guarantees.services.reconciliation import check_run_send
from procurement.kernel import crypto
from procurement.kernel.delivery import deliveries_due
from procurement.kernel.wire import format_wire_time
from tests.guarantees.factories import GuarantorFactory
from tests.support.emall import envelope

PDF = b"%PDF-1.4\n% a guarantee\n%%EOF\n"


def now_wire():
    return format_wire_time(datetime.now(UTC))


def pdf_b64(content=PDF):
    return base64.b64encode(content).decode("ascii")


class NoticeCaller:
    """Posts notices to /guarantee/<interface> as a guarantor would, signed with its appsecret."""

    def __init__(self, client, guarantor):
        self.client, self.guarantor = client, guarantor

    def params(self, fields, *, appsecret=None, timestamp=None):
        params = {"appkey": self.guarantor.appkey, "timestamp": timestamp or now_wire(), **fields}
        params["sign"] = crypto.guarantee_sign(params, appsecret or self.guarantor.appsecret)
        return params

    def post(self, interface, fields, *, as_form=False, **options):
        return self.send(interface, self.params(fields, **options), as_form=as_form)

    def send(self, interface, params, *, as_form=False):
        if as_form:
            from urllib.parse import urlencode

            body, content_type = urlencode(params), "application/x-www-form-urlencoded"
        else:
            body, content_type = json.dumps(params, ensure_ascii=False), "application/json"
        return self.raw(interface, body, content_type)

    def raw(self, interface, body, content_type):
        response = self.client.post(f"/guarantee/{interface}", body, content_type=content_type)
        reply = envelope(response)
        assert set(reply) <= {"code", "message", "data"} and reply["code"] in (0, 1), reply
        return reply


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Guarantee files of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def guarantor(db):
    return GuarantorFactory()


@pytest.fixture
def notice(client_raw, guarantor):
    return NoticeCaller(client_raw, guarantor)


@pytest.fixture
def bank(sandbox_server, live_server, settings):
    """The sandbox bank on a real socket, sending its notices to the live test server; and its guarantor row."""
    settings.OUTBOUND_READ_TIMEOUT = 5.0
    sandbox = SandboxGuarantor("sandbox-bank", "sandbox-appsecret-0123456789", f"{live_server.url}/guarantee")
    running = sandbox_server(sandbox)
    row = GuarantorFactory(appkey="sandbox-bank", appsecret="sandbox-appsecret-0123456789", base_url=running.url)
    yield BankUnderTest(sandbox, running, row)
    sandbox.notices_stop()  # before the test database is emptied: a notice still on its way would write to it


class BankUnderTest:
    def __init__(self, sandbox, running, row):
        self.sandbox, self.running, self.row = sandbox, running, row

    def received(self, interface):
        return [params for name, params in self.sandbox.received if name == interface]

    def replies(self, interface):
        return [reply for name, reply in self.sandbox.sent if name == interface]


def send_due():
    """What the workers do with the queued jobs and due retries: send them now, in this process."""
    now = timedelta(0)  # fresh rows count as due: their own queued job is what this stands in for
    statuses = [message_send(pk) for pk in deliveries_due(OutboundMessage, pending_grace=now)]
    statuses += [check_run_send(pk) for pk in deliveries_due(CheckRun, pending_grace=now)]
    return statuses
