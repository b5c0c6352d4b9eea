"""The whole lifecycle against the sandbox bank over real HTTP: apply, issue, review, restore, invoice, claim, cancel, quit."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from guarantees.errors import NotAllowed
from guarantees.models import Guarantee, InboundNotice, InvoiceRequest, OutboundMessage, Section
from guarantees.sandbox import PAYER_ACCOUNT
from guarantees.services.guarantees import (
    claim_create,
    guarantee_apply,
    guarantee_cancel,
    guarantee_quit,
    guarantee_review,
)
from guarantees.services.invoices import invoice_request
from guarantees.services.messages import message_enqueue
from guarantees.services.parties import section_set_status
from guarantees.services.restore import guarantee_restore, restores_due
from procurement.kernel import crypto
from procurement.kernel.delivery import Delivery
from procurement.kernel.statemachine import by_source
from tests.guarantees.conftest import send_due
from tests.guarantees.factories import SectionFactory
from tests.support.cluster import wait_until

pytestmark = pytest.mark.slow
STAFF = by_source("test staff")
Status = Guarantee.Status


def apply(bank, section=None, **changes):
    section = section or SectionFactory(**changes)
    return guarantee_apply(section=section, guarantor=bank.row, bidder_name="天津示例建设工程有限公司",
                           bidder_code="91120000MA05DEM21Q", basic_account_no=PAYER_ACCOUNT, actor=STAFF)


def status_of(guarantee):
    guarantee.refresh_from_db()
    return guarantee.status


def until_status(guarantee, status):
    wait_until(lambda: status_of(guarantee) == status, timeout=15, message=f"{guarantee.applyno} {status}")


def issued(bank, **changes):
    guarantee = apply(bank, **changes)
    send_due()
    until_status(guarantee, Status.ISSUED)
    return guarantee


def open_section(section):
    Section.objects.filter(pk=section.pk).update(opening_time=timezone.now() - timedelta(seconds=1))
    section.refresh_from_db()


def restored(bank):
    guarantee = issued(bank)
    open_section(guarantee.section)
    restores_due()
    send_due()
    until_status(guarantee, Status.RESTORED)
    return guarantee


def test_apply_sends_only_ciphertext_and_the_bank_issues_a_guarantee(bank):
    bank.sandbox.notices_hold()  # the bank's notice goes out only once its reply to baohanapply is applied
    guarantee = apply(bank)
    section = guarantee.section

    assert send_due() == [Delivery.Status.DONE]
    bank.sandbox.notices_release()
    [sent] = bank.received("baohanapply")
    for name, plain in [("biaoduanno", section.section_no), ("biaoduanname", section.section_name),
                        ("zbr", section.tenderer), ("zbrorgnum", section.tenderer_code)]:
        assert plain not in str(sent)
        assert crypto.sm4_decrypt(sent[name], section.sm4_key) == plain
    assert sent["bzjamount"] == "20000.00"
    assert crypto.guarantee_sign_valid(sent, bank.row.appsecret, sent["sign"])

    until_status(guarantee, Status.ISSUED)
    assert guarantee.cipher_file.read().startswith(b"%PDF-")
    assert (guarantee.rate, guarantee.cost, guarantee.payer_name) == (Decimal("0.0015"), Decimal("100.00"),
                                                                      guarantee.bidder_name)
    assert [e.to_state for e in guarantee.events.order_by("at", "id")] == [Status.APPLYING, Status.APPLIED,
                                                                           Status.ISSUED]


def test_a_baohannotice_that_overtakes_the_reply_issues_and_the_late_reply_changes_nothing(bank):
    bank.sandbox.faults.update(notice_before_reply=1)
    guarantee = apply(bank)

    assert send_due() == [Delivery.Status.DONE]

    assert status_of(guarantee) == Status.ISSUED
    assert bank.replies("baohannotice") == [{"code": 1, "message": "接收成功"}]
    assert [e.to_state for e in guarantee.events.order_by("at", "id")] == [Status.APPLYING, Status.ISSUED]


def test_staff_accept_an_issued_guarantee_whose_checks_pass(bank):
    guarantee = issued(bank)

    guarantee_review(guarantee, Guarantee.Review.ACCEPTED, actor=STAFF)

    assert guarantee.review == Guarantee.Review.ACCEPTED


def test_accepting_is_refused_when_a_check_fails(bank):
    guarantee = issued(bank)
    Guarantee.objects.filter(pk=guarantee.pk).update(payer_name="某代付公司")
    guarantee.refresh_from_db()

    with pytest.raises(NotAllowed, match="付保费户名与投标企业一致"):
        guarantee_review(guarantee, Guarantee.Review.ACCEPTED, actor=STAFF)
    guarantee_review(guarantee, Guarantee.Review.REJECTED, actor=STAFF, reason="非基本户支付")
    assert status_of(guarantee) == Status.ISSUED and guarantee.review == Guarantee.Review.REJECTED


def test_at_opening_the_key_goes_out_and_the_bank_returns_the_plaintext_guarantee(bank):
    guarantee = issued(bank)
    open_section(guarantee.section)

    assert restores_due() == 1
    send_due()

    [sent] = bank.received("baohanrestore")
    assert sent["key"] == guarantee.section.sm4_key
    until_status(guarantee, Status.RESTORED)
    assert guarantee.section.section_name.encode("utf-16-be").hex().upper() in guarantee.plain_file.read().decode()


def test_restore_never_goes_before_the_opening_time(bank):
    guarantee = issued(bank)

    assert restores_due() == 0
    with pytest.raises(NotAllowed, match="开标前不能还原"):
        guarantee_restore(guarantee, actor=STAFF)
    message = message_enqueue(OutboundMessage.Interface.RESTORE, guarantee)  # even if one were queued
    send_due()

    message.refresh_from_db()
    assert message.status == Delivery.Status.FAILED and "开标前" in message.last_error
    assert bank.received("baohanrestore") == []


@pytest.mark.parametrize("status", [Section.Status.FAILED, Section.Status.TERMINATED, Section.Status.VOIDED])
def test_a_failed_terminated_or_voided_section_does_not_restore(bank, status):
    guarantee = issued(bank)
    section_set_status(guarantee.section, status, actor=STAFF)
    open_section(guarantee.section)

    assert restores_due() == 0
    with pytest.raises(NotAllowed, match="不还原"):
        guarantee_restore(guarantee, actor=STAFF)
    assert bank.received("baohanrestore") == []


def test_a_wrong_key_is_refused_by_the_bank_and_left_for_staff(bank):
    guarantee = issued(bank)
    open_section(guarantee.section)
    Section.objects.filter(pk=guarantee.section_id).update(sm4_key=crypto.new_sm4_key())

    restores_due()
    send_due()

    message = OutboundMessage.objects.get(guarantee=guarantee, interface=OutboundMessage.Interface.RESTORE)
    assert message.status == Delivery.Status.FAILED and "解密失败" in message.last_error
    assert status_of(guarantee) == Status.RESTORING


def test_invoice_request_and_notice(bank):
    guarantee = restored(bank)

    invoice = invoice_request(guarantee, kind=InvoiceRequest.Kind.SPECIAL, actor=STAFF, address="天津市河西区",
                              phone="022-12345678", bank="某银行天津分行", account="12050188000000001234")
    send_due()

    wait_until(lambda: InvoiceRequest.objects.get(pk=invoice.pk).status == InvoiceRequest.Status.ISSUED, timeout=15)
    invoice.refresh_from_db()
    assert invoice.amount == guarantee.cost and invoice.invoice_no
    assert bank.received("invoiceapply")[0]["type"] == "1"


def test_a_special_invoice_needs_its_fields(bank):
    guarantee = restored(bank)

    with pytest.raises(NotAllowed, match="专票必须填写：公司地址、公司电话、开户行、账号"):
        invoice_request(guarantee, kind=InvoiceRequest.Kind.SPECIAL, actor=STAFF)


def test_a_claim_is_sent_and_the_answer_time_recorded(bank):
    guarantee = restored(bank)

    claim = claim_create(guarantee, actor=STAFF, contact_name="张三", contact_phone="13800000000",
                         payee_account="6222000011112222", amount=Decimal("20000.00"),
                         file_urls=["https://tj.example/claims/1.pdf"], reason="中标后拒签合同")
    send_due()

    claim.refresh_from_db()
    assert claim.answered_at is not None
    [sent] = bank.received("claimsnotice")
    assert sent["Reason"] == "中标后拒签合同" and sent["filelist"] == '[{"fileurl":"https://tj.example/claims/1.pdf"}]'
    assert status_of(guarantee) == Status.CLAIMED


def test_cancel_after_opening(bank):
    guarantee = restored(bank)

    guarantee_cancel(guarantee, actor=STAFF)
    send_due()

    assert status_of(guarantee) == Status.CANCELLED
    assert len(bank.received("canclenotice")) == 1


def test_quit_before_opening_is_closed_by_quitnotice(bank):
    guarantee = issued(bank)

    guarantee_quit(guarantee, reason="投标人放弃投标", actor=STAFF)
    send_due()

    until_status(guarantee, Status.QUIT)
    assert bank.received("quitapply")[0]["reason"] == "投标人放弃投标"


def test_quit_after_opening_is_refused(bank):
    guarantee = issued(bank)
    open_section(guarantee.section)

    with pytest.raises(NotAllowed, match="已开标，不能退保"):
        guarantee_quit(guarantee, reason="太晚了", actor=STAFF)
    assert status_of(guarantee) == Status.ISSUED


def test_notices_with_a_wrong_sign_are_refused(bank):
    bank.sandbox.faults.update(wrong_sign="1")
    guarantee = apply(bank)

    send_due()

    wait_until(lambda: bank.replies("baohannotice"), timeout=15)
    assert bank.replies("baohannotice") == [{"code": 0, "message": "签名错误"}]
    assert status_of(guarantee) == Status.APPLIED


def test_duplicate_notices_apply_once(bank):
    bank.sandbox.faults.update(duplicate_notices="1")
    guarantee = apply(bank)

    send_due()

    wait_until(lambda: len(bank.replies("baohannotice")) == 2, timeout=15)
    assert bank.replies("baohannotice") == [{"code": 1, "message": "接收成功"}] * 2
    assert InboundNotice.objects.filter(interface="baohannotice").count() == 1
    assert guarantee.events.filter(to_state=Status.ISSUED).count() == 1


def test_a_5xx_is_retried_later_and_then_delivered(bank):
    bank.sandbox.faults.update(error_rate=1.0)
    guarantee = apply(bank)

    assert send_due() == [Delivery.Status.RETRYING]
    bank.sandbox.faults.update(error_rate=0.0)
    OutboundMessage.objects.update(next_attempt_at=timezone.now())
    assert send_due() == [Delivery.Status.DONE]
    until_status(guarantee, Status.ISSUED)


def test_a_slow_bank_times_out_and_is_retried(bank, settings):
    settings.OUTBOUND_READ_TIMEOUT = 0.3
    bank.sandbox.faults.update(latency_ms=1000)
    apply(bank)

    assert send_due() == [Delivery.Status.RETRYING]
    assert "超时" in OutboundMessage.objects.get().last_error
    # The bank still accepts the call we gave up on and sends its notice: let that land in this test, not the next.
    wait_until(lambda: bank.replies("baohannotice"), timeout=15, message="the slow bank's notice")
