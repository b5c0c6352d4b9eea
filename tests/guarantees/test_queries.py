"""invoicenotice and getbiaoduanyichang: an invoice's result, and the anomalous sections a guarantor may see."""
from datetime import timedelta

import pytest
from django.utils import timezone

from guarantees.models import Guarantee, InvoiceRequest, Section
from guarantees.services.parties import section_set_status
from procurement.kernel import crypto
from procurement.kernel.statemachine import by_source
from procurement.kernel.wire import format_wire_time
from tests.guarantees.factories import GuarantorFactory, IssuedGuaranteeFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_invoicenotice_records_the_invoice(notice, guarantor):
    guarantee = IssuedGuaranteeFactory(guarantor=guarantor, status=Guarantee.Status.RESTORED)
    invoice = InvoiceRequest.objects.create(guarantee=guarantee, amount="100.00", status=InvoiceRequest.Status.SENT)

    reply = notice.post("invoicenotice", {"baohanno": guarantee.baohanno, "invoiceurl": "https://bank.example/i/1.pdf",
                                          "invoicecode": "012002100111", "invoiceno": "00000042", "applystatus": "1"})

    assert reply == {"code": 1, "message": "接收成功"}
    invoice.refresh_from_db()
    assert (invoice.status, invoice.invoice_no, invoice.invoice_url) == (
        InvoiceRequest.Status.ISSUED, "00000042", "https://bank.example/i/1.pdf")
    assert guarantee.events.filter(to_state=InvoiceRequest.Status.ISSUED, source="invoicenotice 通知").exists()


def test_invoicenotice_without_an_open_request_is_refused(notice, guarantor):
    guarantee = IssuedGuaranteeFactory(guarantor=guarantor, status=Guarantee.Status.RESTORED)

    reply = notice.post("invoicenotice", {"baohanno": guarantee.baohanno, "applystatus": "1"})

    assert reply == {"code": 0, "message": f"保函 {guarantee.baohanno} 没有待开具的发票申请"}


def _abnormal(guarantor, opening, status=Section.Status.FAILED):
    section = SectionFactory(opening_time=opening, remark="投标人不足三家", handling_result="重新招标",
                             notice_published=True, notice_title="流标公告")
    IssuedGuaranteeFactory(guarantor=guarantor, section=section)
    section_set_status(section, status, actor=by_source("test"))
    return section


def test_anomalies_before_opening_carry_ciphertext_only(notice, guarantor):
    section = _abnormal(guarantor, timezone.now() + timedelta(days=1))

    reply = notice.post("getbiaoduanyichang", {"updatetime": format_wire_time(timezone.now() - timedelta(hours=1))})

    assert reply["code"] == 1
    [row] = reply["data"]["yichanglist"]
    assert row["biaoduanstatus"] == "1" and row["issendweb"] == "1"
    assert section.section_name not in str(reply) and section.project_name not in str(reply)
    assert crypto.sm4_decrypt(row["biaoduanno"], section.sm4_key) == section.section_no
    assert crypto.sm4_decrypt(row["remark"], section.sm4_key) == "投标人不足三家"


def test_anomalies_after_opening_are_plain(notice, guarantor):
    section = _abnormal(guarantor, timezone.now() - timedelta(hours=1), Section.Status.TERMINATED)

    reply = notice.post("getbiaoduanyichang", {"updatetime": format_wire_time(timezone.now() - timedelta(hours=1))})

    [row] = reply["data"]["yichanglist"]
    assert (row["biaoduanno"], row["biaoduanname"], row["biaoduanstatus"], row["chuliresault"]) == (
        section.section_no, section.section_name, "2", "重新招标")


def test_anomalies_are_those_changed_since_updatetime_for_this_guarantor_only(notice, guarantor):
    _abnormal(GuarantorFactory(), timezone.now() - timedelta(hours=1))
    _abnormal(guarantor, timezone.now() - timedelta(hours=1))
    SectionFactory()  # normal

    later = notice.post("getbiaoduanyichang", {"updatetime": format_wire_time(timezone.now() + timedelta(minutes=1))})
    now = notice.post("getbiaoduanyichang", {"updatetime": format_wire_time(timezone.now() - timedelta(minutes=1))})

    assert later["data"]["yichanglist"] == []
    assert len(now["data"]["yichanglist"]) == 1


def test_a_malformed_updatetime_is_refused(notice):
    reply = notice.post("getbiaoduanyichang", {"updatetime": "yesterday"})

    assert reply == {"code": 0, "message": "updatetime: 格式应为 yyyy-MM-dd HH:mm:ss"}


def _anomalies(notice, since):
    reply = notice.post("getbiaoduanyichang", {"updatetime": format_wire_time(since)})
    assert reply["code"] == 1, reply
    return reply["data"]["yichanglist"]


def test_a_section_whose_pause_was_lifted_is_reported_back_to_normal_once(notice, guarantor):
    section = _abnormal(guarantor, timezone.now() - timedelta(hours=1), Section.Status.PAUSED)
    before_resuming = timezone.now() - timedelta(seconds=1)
    assert [row["biaoduanstatus"] for row in _anomalies(notice, before_resuming)] == ["3"]

    section_set_status(section, Section.Status.NORMAL, actor=by_source("test"), reason="暂停原因消除")

    [row] = _anomalies(notice, before_resuming)
    assert (row["biaoduanno"], row["biaoduanstatus"]) == (section.section_no, "0")
    assert _anomalies(notice, timezone.now() + timedelta(seconds=1)) == []  # the next poll no longer sees it


def test_a_normal_section_whose_opening_moved_is_no_anomaly(notice, guarantor):
    from guarantees.services.parties import section_reschedule

    section = SectionFactory()
    IssuedGuaranteeFactory(guarantor=guarantor, section=section)
    section_reschedule(section, section.opening_time + timedelta(days=1), actor=by_source("test"))

    assert _anomalies(notice, timezone.now() - timedelta(minutes=1)) == []
