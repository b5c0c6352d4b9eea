"""Safeguards against retries and late or contradictory messages: nothing bought twice, no key early, no silent drops."""
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from guarantees.errors import DuplicateApplication, NotAllowed
from guarantees.models import Guarantee, InvoiceRequest, OutboundMessage, SectionStatusChange
from guarantees.models.parties import Section
from guarantees.services.guarantees import guarantee_apply, guarantee_review, same_company_name
from guarantees.services.invoices import invoice_request
from guarantees.services.messages import message_send
from guarantees.services.parties import section_reschedule, section_set_status
from guarantees.services.restore import guarantee_restore
from procurement.kernel.delivery import Delivery
from procurement.kernel.statemachine import by_source
from tests.guarantees.conftest import now_wire
from tests.guarantees.factories import (
    GuaranteeFactory,
    GuarantorFactory,
    IssuedGuaranteeFactory,
    SectionFactory,
)
from tests.guarantees.test_notices import baohannotice_fields
from tests.guarantees.test_staff_api import caller

pytestmark = pytest.mark.django_db
STAFF = by_source("测试")


def apply(section, guarantor, **changes):
    fields = {"bidder_name": "天津示例建设工程有限公司", "bidder_code": "91120000MA05DEM21Q", **changes}
    return guarantee_apply(section=section, guarantor=guarantor, actor=STAFF, **fields)


def test_a_retried_application_returns_the_first_instead_of_buying_a_second():
    section, guarantor = SectionFactory(), GuarantorFactory()
    body = {"biaoduanno": section.section_no, "appkey": guarantor.appkey, "biddername": "天津示例建设工程有限公司",
            "biddercode": "91120000MA05DEM21Q", "basicaccount": "12050188000000001234"}
    trading = caller("保函管理")

    first = trading.post("/api/staff/guarantees/applications", body, content_type="application/json")
    again = trading.post("/api/staff/guarantees/applications", body, content_type="application/json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["applyno"] == again.json()["applyno"]
    assert Guarantee.objects.count() == 1
    assert OutboundMessage.objects.filter(interface="baohanapply").count() == 1


def test_a_bidder_may_apply_again_once_its_application_ended():
    section, guarantor = SectionFactory(), GuarantorFactory()
    first = apply(section, guarantor)
    with pytest.raises(DuplicateApplication):
        apply(section, guarantor)
    Guarantee.objects.filter(pk=first.pk).update(status=Guarantee.Status.DECLINED)

    assert apply(section, guarantor).pk != first.pk


def test_a_contradicting_baohannotice_after_a_decline_is_refused_not_swallowed(notice, guarantor):
    applied = GuaranteeFactory(guarantor=guarantor)
    assert notice.post("baohannotice", baohannotice_fields(applied, applystatus="0"))["code"] == 1

    reply = notice.post("baohannotice", baohannotice_fields(applied, applystatus="1"))

    assert reply["code"] == 0
    assert "不一致" in reply["message"]
    assert Guarantee.objects.get(pk=applied.pk).status == Guarantee.Status.DECLINED


def test_a_guarantee_issued_after_the_opening_time_is_refused(notice, guarantor):
    opened = SectionFactory(opening_time=timezone.now() - timedelta(minutes=1))
    applied = GuaranteeFactory(guarantor=guarantor, section=opened)

    reply = notice.post("baohannotice", baohannotice_fields(applied, generatetime=now_wire()))

    assert reply["code"] == 0
    assert "晚于开标时间" in reply["message"]
    assert Guarantee.objects.get(pk=applied.pk).status == Guarantee.Status.APPLIED


def test_an_application_still_queued_at_the_opening_time_is_not_sent(guarantor):
    section = SectionFactory(opening_time=timezone.now() + timedelta(minutes=5))
    guarantee = apply(section, guarantor)
    message = OutboundMessage.objects.get(guarantee=guarantee)

    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        outcome = message_send(message.pk)

    message.refresh_from_db()
    assert outcome == Delivery.Status.FAILED
    assert "开标" in message.last_error
    assert message.last_attempt_id is None  # nothing left for the guarantor


def test_only_one_invoice_request_may_be_open_at_a_time():
    guarantee = IssuedGuaranteeFactory(status=Guarantee.Status.RESTORED)
    invoice_request(guarantee, kind=InvoiceRequest.Kind.ORDINARY, actor=STAFF)

    with pytest.raises(NotAllowed, match="已有待开具的发票申请"):
        invoice_request(guarantee, kind=InvoiceRequest.Kind.ORDINARY, actor=STAFF)


def test_a_resent_invoicenotice_is_acknowledged_and_changes_nothing(notice, guarantor):
    guarantee = IssuedGuaranteeFactory(guarantor=guarantor, status=Guarantee.Status.RESTORED)
    invoice = invoice_request(guarantee, kind=InvoiceRequest.Kind.ORDINARY, actor=STAFF)
    fields = {"baohanno": guarantee.baohanno, "invoiceno": "B-0001", "invoicecode": "1200", "applystatus": "1"}
    assert notice.post("invoicenotice", fields)["code"] == 1
    later = invoice_request(guarantee, kind=InvoiceRequest.Kind.SPECIAL, actor=STAFF, address="天津市河西区",
                            phone="022-1", bank="某银行", account="1205")

    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # a fresh timestamp and sign
        reply = notice.post("invoicenotice", fields)

    assert reply == {"code": 1, "message": "发票结果已登记"}
    assert InvoiceRequest.objects.get(pk=invoice.pk).invoice_no == "B-0001"
    assert InvoiceRequest.objects.get(pk=later.pk).status == InvoiceRequest.Status.REQUESTED


def test_a_restore_refused_on_our_side_waits_to_be_started_again():
    section = SectionFactory(opening_time=timezone.now() - timedelta(minutes=1))
    guarantee = IssuedGuaranteeFactory(section=section)
    guarantee_restore(guarantee, actor=STAFF)
    section_set_status(section, Section.Status.PAUSED, actor=STAFF)

    message_send(OutboundMessage.objects.get(guarantee=guarantee, interface="baohanrestore").pk)

    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.ISSUED
    assert "暂不还原" in guarantee.events.order_by("-id").first().reason


def test_the_opening_time_moves_only_forward_and_leaves_a_trace():
    section = SectionFactory()
    later = section.opening_time + timedelta(days=2)

    with pytest.raises(NotAllowed):
        section_reschedule(section, timezone.now() - timedelta(minutes=1), actor=STAFF)
    section_reschedule(section, later, actor=STAFF, reason="延期开标公告")

    assert Section.objects.get(pk=section.pk).opening_time == later
    assert "延期开标公告" in SectionStatusChange.objects.get(section=section).reason


def test_a_rate_with_trailing_zeros_is_accepted(notice, guarantor):
    applied = GuaranteeFactory(guarantor=guarantor)

    assert notice.post("baohannotice", baohannotice_fields(applied, rate="0.00150000"))["code"] == 1
    assert str(Guarantee.objects.get(pk=applied.pk).rate.normalize()) == "0.0015"


@pytest.mark.parametrize(("payer", "bidder"), [
    ("天津示例建设（集团）有限公司", "天津示例建设(集团)有限公司"),
    ("天津示例建设 (集团) 有限公司", "天津示例建设(集团)有限公司"),
    ("ＡＢＣ天津示例有限公司", "ABC天津示例有限公司"),
])
def test_the_payer_check_ignores_bracket_width_and_spaces(payer, bidder):
    guarantee = IssuedGuaranteeFactory(payer_name=payer, bidder_name=bidder)

    guarantee_review(guarantee, Guarantee.Review.ACCEPTED, actor=STAFF)

    assert guarantee.review == Guarantee.Review.ACCEPTED


@pytest.mark.parametrize(("payer", "bidder"), [
    ("天津示例建设有限公司", "天津示例建设（集团）有限公司"),
    ("某代付公司", "天津示例建设工程有限公司"),
    ("", ""),
])
def test_a_different_or_missing_payer_name_still_fails_the_check(payer, bidder):
    assert not same_company_name(payer, bidder)
