"""The served notice interfaces: every refusal is `{"code": 0, "message": …}` with HTTP 200; each notice applies once."""
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from guarantees.models import Guarantee, GuaranteeEvent, InboundNotice
from tests.guarantees.conftest import PDF, now_wire, pdf_b64
from tests.guarantees.factories import GuaranteeFactory, GuarantorFactory, IssuedGuaranteeFactory

pytestmark = pytest.mark.django_db

PATHS = ["baohannotice", "restorenotice", "invoicenotice", "quitnotice", "getbiaoduanyichang"]


def baohannotice_fields(guarantee, **changes):
    return {
        "applyno": guarantee.applyno, "baohanno": "SBH000123", "baohanurl": "https://bank.example/b/SBH000123.pdf",
        "baohanfile": pdf_b64(), "payername": guarantee.bidder_name, "payeraccount": "12050188000000001234",
        "instname": "某银行天津分行", "generatetime": now_wire(), "rate": "0.0015", "cost": "100.00",
        "applystatus": "1", **changes,
    }


@pytest.fixture
def applied(guarantor):
    return GuaranteeFactory(guarantor=guarantor)


def test_baohannotice_issues_the_guarantee_and_stores_its_file(notice, applied):
    reply = notice.post("baohannotice", baohannotice_fields(applied))

    assert reply == {"code": 1, "message": "接收成功"}
    applied.refresh_from_db()
    assert applied.status == Guarantee.Status.ISSUED
    assert (applied.baohanno, applied.payer_account, str(applied.cost)) == ("SBH000123", "12050188000000001234", "100.00")
    assert applied.cipher_file.read() == PDF
    event = GuaranteeEvent.objects.get(guarantee=applied, to_state=Guarantee.Status.ISSUED)
    assert event.source == "baohannotice 通知"


def test_a_declined_application_is_recorded_as_declined(notice, applied):
    assert notice.post("baohannotice", baohannotice_fields(applied, applystatus="0"))["code"] == 1

    applied.refresh_from_db()
    assert applied.status == Guarantee.Status.DECLINED


def test_form_bodies_are_accepted_too(notice, applied):
    assert notice.post("baohannotice", baohannotice_fields(applied), as_form=True)["code"] == 1


def test_json_numbers_are_signed_as_the_text_sent(notice, applied):
    params = notice.params(baohannotice_fields(applied, rate="0.00150", cost="100.00"))
    text = _json_with_numbers(params, ("rate", "cost"))  # signed over "0.00150", sent as the number 0.00150

    reply = notice.raw("baohannotice", text, "application/json")

    assert reply["code"] == 1, reply
    applied.refresh_from_db()
    assert str(applied.rate) == "0.001500"


def _json_with_numbers(params, numeric):
    import json

    text = json.dumps(params, ensure_ascii=False)
    for name in numeric:
        text = text.replace(f'"{name}": "{params[name]}"', f'"{name}": {params[name]}')
    return text


def test_a_tampered_sign_is_refused_and_changes_nothing(notice, applied):
    params = notice.params(baohannotice_fields(applied))
    params["payeraccount"] = "99999999999"

    reply = notice.send("baohannotice", params)

    assert reply == {"code": 0, "message": "签名错误"}
    applied.refresh_from_db()
    assert applied.status == Guarantee.Status.APPLIED
    assert not InboundNotice.objects.exists()


def test_a_sign_made_with_another_secret_is_refused(notice, applied):
    assert notice.post("baohannotice", baohannotice_fields(applied), appsecret="not-the-secret")["message"] == "签名错误"


def test_an_unknown_appkey_is_refused(notice, applied):
    params = notice.params(baohannotice_fields(applied))
    params["appkey"] = "nobody"

    assert notice.send("baohannotice", params) == {"code": 0, "message": "appkey 无效"}


def test_a_disabled_guarantor_is_refused(notice, applied, guarantor):
    guarantor.enabled = False
    guarantor.save()

    assert notice.post("baohannotice", baohannotice_fields(applied))["message"] == "appkey 无效"


@pytest.mark.parametrize("shift", [timedelta(minutes=-11), timedelta(minutes=11)])
def test_a_stale_timestamp_is_refused(notice, applied, shift):
    stale = (timezone.localtime() + shift).strftime("%Y-%m-%d %H:%M:%S")

    reply = notice.post("baohannotice", baohannotice_fields(applied), timestamp=stale)

    assert reply["code"] == 0 and "600 秒" in reply["message"]


@pytest.mark.parametrize("timestamp", ["2026-01-01T10:00:00", "20260101100000", "1767232800000", "2026-1-1 10:00:00"])
def test_a_malformed_timestamp_is_refused(notice, applied, timestamp):
    reply = notice.post("baohannotice", baohannotice_fields(applied), timestamp=timestamp)

    assert reply == {"code": 0, "message": "timestamp 格式错误，应为 yyyy-MM-dd HH:mm:ss"}


def test_a_missing_required_field_is_named(notice, applied):
    fields = baohannotice_fields(applied)
    del fields["payeraccount"]

    assert notice.post("baohannotice", fields) == {"code": 0, "message": "必填参数为空：payeraccount"}


def test_a_replayed_notice_gets_the_first_answer_and_changes_nothing(notice, applied):
    params = notice.params(baohannotice_fields(applied))
    first = notice.send("baohannotice", params)
    applied.refresh_from_db()
    stored_file, events = applied.cipher_file.name, GuaranteeEvent.objects.count()

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        again = notice.send("baohannotice", params)

    assert again == first == {"code": 1, "message": "接收成功"}
    applied.refresh_from_db()
    assert applied.cipher_file.name == stored_file
    assert GuaranteeEvent.objects.count() == events
    assert InboundNotice.objects.count() == 1


def test_a_replayed_refusal_is_answered_the_same(notice, guarantor):
    params = notice.params({**baohannotice_fields(GuaranteeFactory.build(applyno="BH-UNKNOWN"))})

    first = notice.send("baohannotice", params)
    GuaranteeFactory(guarantor=guarantor, applyno="BH-UNKNOWN")
    again = notice.send("baohannotice", params)

    assert first == again == {"code": 0, "message": "业务流水号 BH-UNKNOWN 不存在"}
    assert Guarantee.objects.get(applyno="BH-UNKNOWN").status == Guarantee.Status.APPLIED


def test_a_fresh_copy_of_an_applied_notice_is_acknowledged_without_changes(notice, applied):
    notice.post("baohannotice", baohannotice_fields(applied))

    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        reply = notice.post("baohannotice", baohannotice_fields(applied, payeraccount="1"))

    assert reply == {"code": 1, "message": "保函已登记"}
    applied.refresh_from_db()
    assert applied.payer_account == "12050188000000001234"


def test_a_notice_for_an_unknown_applyno_is_refused(notice, guarantor):
    reply = notice.post("baohannotice", baohannotice_fields(GuaranteeFactory.build(applyno="BH404")))

    assert reply == {"code": 0, "message": "业务流水号 BH404 不存在"}


def test_a_notice_for_another_guarantors_application_is_unknown(notice):
    someone_elses = GuaranteeFactory(guarantor=GuarantorFactory())

    reply = notice.post("baohannotice", baohannotice_fields(someone_elses))

    assert reply["code"] == 0 and "不存在" in reply["message"]
    someone_elses.refresh_from_db()
    assert someone_elses.status == Guarantee.Status.APPLIED


@pytest.mark.parametrize("baohanfile, message", [
    ("JVBERi0xLjQK%%%", "不是合法的 Base64"),
    ("JVBERi0x\nLjQK", "不是合法的 Base64"),
    (pdf_b64(b"PK\x03\x04 a zip file"), "不是 PDF"),
    ("", "必填参数为空：baohanfile"),
])
def test_a_malformed_baohanfile_is_refused(notice, applied, baohanfile, message):
    reply = notice.post("baohannotice", baohannotice_fields(applied, baohanfile=baohanfile))

    assert reply["code"] == 0 and message in reply["message"], reply
    applied.refresh_from_db()
    assert applied.status == Guarantee.Status.APPLIED and not applied.cipher_file


def test_an_oversized_baohanfile_is_refused(notice, applied, settings):
    settings.GUARANTEE_FILE_MAX_BYTES = 1024
    big = pdf_b64(PDF + b"x" * 1024)

    reply = notice.post("baohannotice", baohannotice_fields(applied, baohanfile=big))

    assert reply["code"] == 0 and "1024 字节" in reply["message"]


def test_a_five_megabyte_guarantee_file_is_accepted(notice, applied):
    large = PDF + b"0" * (5 * 1024 * 1024)

    reply = notice.post("baohannotice", baohannotice_fields(applied, baohanfile=pdf_b64(large)))

    assert reply["code"] == 1, reply
    applied.refresh_from_db()
    assert applied.cipher_file.size == len(large)


def test_a_body_over_the_limit_is_refused_before_reading(notice, applied, settings):
    settings.GUARANTEE_MAX_BODY_BYTES = 1024 * 4 // 3 + 64 * 1024

    reply = notice.raw("baohannotice", '{"padding": "' + "x" * 70_000 + '"}', "application/json")

    assert reply["code"] == 0 and "上限" in reply["message"]


@pytest.mark.parametrize("path", PATHS)
def test_get_is_refused_with_the_envelope(client_raw, path):
    from tests.support.emall import envelope

    assert envelope(client_raw.get(f"/guarantee/{path}")) == {"code": 0, "message": "仅支持 POST 请求"}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("body, content_type", [
    ('{"appkey": "a",', "application/json"), ('["a"]', "application/json"), ("<xml/>", "text/xml"),
    ('{"appkey": {"nested": 1}, "sign": "x"}', "application/json"),
])
def test_unreadable_bodies_are_refused_with_the_envelope(notice, path, body, content_type):
    assert notice.raw(path, body, content_type)["code"] == 0


def test_an_unexpected_failure_is_code_0_without_details(notice, applied, monkeypatch):
    from guarantees.api import views

    def broken(guarantor, data):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.BaohanNoticeEndpoint, "handler", staticmethod(broken))

    assert notice.post("baohannotice", baohannotice_fields(applied)) == {"code": 0, "message": "系统繁忙，请稍后重试"}


def test_restorenotice_stores_the_plaintext_guarantee(notice, guarantor):
    restoring = IssuedGuaranteeFactory(guarantor=guarantor, status=Guarantee.Status.RESTORING)

    reply = notice.post("restorenotice", {"applyno": restoring.applyno, "baohanno": restoring.baohanno,
                                          "baohanfile": pdf_b64(b"%PDF-1.7 plain")})

    assert reply == {"code": 1, "message": "接收成功"}
    restoring.refresh_from_db()
    assert restoring.status == Guarantee.Status.RESTORED
    assert restoring.plain_file.read() == b"%PDF-1.7 plain"


def test_restorenotice_before_we_asked_for_a_restore_is_refused(notice, guarantor):
    issued = IssuedGuaranteeFactory(guarantor=guarantor)

    reply = notice.post("restorenotice", {"applyno": issued.applyno, "baohanno": issued.baohanno,
                                          "baohanfile": pdf_b64()})

    assert reply == {"code": 0, "message": "保函已出函（密文），未发出还原请求"}


def test_restorenotice_with_the_wrong_baohanno_is_refused(notice, guarantor):
    restoring = IssuedGuaranteeFactory(guarantor=guarantor, status=Guarantee.Status.RESTORING)

    reply = notice.post("restorenotice", {"applyno": restoring.applyno, "baohanno": "OTHER", "baohanfile": pdf_b64()})

    assert reply["code"] == 0 and "不符" in reply["message"]


def test_quitnotice_closes_a_withdrawal(notice, guarantor):
    quitting = IssuedGuaranteeFactory(guarantor=guarantor, status=Guarantee.Status.QUITTING)

    assert notice.post("quitnotice", {"applyno": quitting.applyno, "baohanno": quitting.baohanno})["code"] == 1

    quitting.refresh_from_db()
    assert quitting.status == Guarantee.Status.QUIT


def test_quitnotice_without_a_withdrawal_is_refused(notice, guarantor):
    issued = IssuedGuaranteeFactory(guarantor=guarantor)

    reply = notice.post("quitnotice", {"applyno": issued.applyno, "baohanno": issued.baohanno})

    assert reply == {"code": 0, "message": "保函已出函（密文），未申请退保"}
