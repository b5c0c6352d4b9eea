"""What we send guarantors is UTF-8 JSON as the seed says (编码为UTF-8): Chinese as text, signed as before."""
import json

import pytest

from guarantees.services.restore import restores_due
from procurement.kernel import crypto
from procurement.models import OutboundAttempt
from tests.guarantees.conftest import send_due
from tests.guarantees.test_lifecycle import apply, issued, open_section

pytestmark = pytest.mark.slow
BIDDER = "天津示例建设工程有限公司"


def raw_bodies(bank, interface):
    return [(content_type, body) for name, content_type, body in bank.sandbox.raw if name == interface]


def test_baohanapply_reaches_the_bank_as_utf8_json_with_chinese_unescaped(bank):
    bank.sandbox.notices_hold()
    apply(bank)

    send_due()

    [(content_type, body)] = raw_bodies(bank, "baohanapply")
    assert content_type == "application/json; charset=utf-8"
    assert BIDDER.encode("utf-8") in body
    assert b"\\u" not in body
    sent = json.loads(body.decode("utf-8"))
    assert sent["biddername"] == BIDDER
    assert crypto.guarantee_sign_valid(sent, bank.row.appsecret, sent["sign"])


def test_the_restore_key_is_sent_but_never_written_to_the_attempt_log(bank):
    guarantee = issued(bank)
    open_section(guarantee.section)

    restores_due()
    send_due()

    [(_, body)] = raw_bodies(bank, "baohanrestore")
    assert json.loads(body)["key"] == guarantee.section.sm4_key
    logged = OutboundAttempt.objects.get(interface="baohanrestore")
    assert guarantee.section.sm4_key not in logged.request_excerpt
    assert guarantee.applyno in logged.request_excerpt  # the message itself is still there to read
