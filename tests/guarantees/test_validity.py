"""非基本户支付的保函在开标时会被认定为无效保函: the bidder's basic account recorded, compared, judged at opening."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guarantees.errors import NotAllowed
from guarantees.models import Guarantee, Section
from guarantees.sandbox import OTHER_PAYER_ACCOUNT, PAYER_ACCOUNT
from guarantees.services.guarantees import guarantee_review
from guarantees.services.parties import section_set_status
from guarantees.services.restore import guarantee_restore, restores_due
from procurement.kernel.statemachine import by_source
from tests.guarantees.conftest import send_due
from tests.guarantees.factories import GuarantorFactory, IssuedGuaranteeFactory, SectionFactory
from tests.guarantees.test_admin import staff
from tests.guarantees.test_lifecycle import issued, open_section, until_status
from tests.guarantees.test_staff_api import caller

STAFF = by_source("测试")
Validity = Guarantee.Validity


def opened(**changes):
    return IssuedGuaranteeFactory(section=SectionFactory(opening_time=timezone.now() - timedelta(minutes=1)), **changes)


def read_back(guarantee):
    return caller("保函管理").get(f"/api/staff/guarantees/applications/{guarantee.applyno}").json()


@pytest.mark.django_db
def test_the_trading_system_records_the_basic_account_with_the_application():
    section, guarantor = SectionFactory(), GuarantorFactory()
    body = {"biaoduanno": section.section_no, "appkey": guarantor.appkey, "biddername": "天津示例建设工程有限公司",
            "biddercode": "91120000MA05DEM21Q", "basicaccount": "1205 0188 0000 0000 1234", "basicbank": "某银行天津分行"}

    made = caller("保函管理").post("/api/staff/guarantees/applications", body, content_type="application/json")

    assert made.status_code == 201, made.content
    assert (made.json()["basic_account_no"], made.json()["basic_account_bank"]) == ("1205 0188 0000 0000 1234",
                                                                                  "某银行天津分行")
    assert made.json()["validity"] == Validity.PENDING


@pytest.mark.django_db
def test_an_application_without_the_basic_account_is_refused_naming_it():
    section, guarantor = SectionFactory(), GuarantorFactory()
    body = {"biaoduanno": section.section_no, "appkey": guarantor.appkey, "biddername": "某公司",
            "biddercode": "91120000MA05DEM21Q"}

    refused = caller("保函管理").post("/api/staff/guarantees/applications", body, content_type="application/json")
    page = staff("保函管理").post(reverse("admin:guarantees_guarantee_add"), {
        "section": section.pk, "guarantor": guarantor.pk, "bidder_name": "某公司", "bidder_code": "91120000MA05DEM21Q",
        "deposit_amount": ""}).content.decode()

    assert refused.status_code == 400 and "basicaccount" in refused.json()
    assert 'id="id_basic_account_no_error"><li>该字段是必填项。' in page
    assert not Guarantee.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("recorded", [PAYER_ACCOUNT, "1205 0188 0000 0000 1234", "１２０５-０１８８-0000-0000-1234"])
def test_a_premium_paid_from_the_basic_account_is_valid_at_opening(recorded):
    guarantee = opened(basic_account_no=recorded, payer_account=PAYER_ACCOUNT)

    guarantee_restore(guarantee, actor=STAFF)

    guarantee.refresh_from_db()
    assert guarantee.validity == Validity.VALID
    assert guarantee.events.get(to_state=Validity.VALID).from_state == Validity.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize(("recorded", "reason"), [
    ("6222020000000001111", f"付保费账号 {PAYER_ACCOUNT} 不是投标企业基本户账号 6222020000000001111"),
    ("", "投保申请未登记投标企业基本户账号"),
])
def test_a_premium_not_paid_from_the_basic_account_is_invalid_at_opening_and_still_restored(recorded, reason):
    guarantee = opened(basic_account_no=recorded, payer_account=PAYER_ACCOUNT)

    guarantee_restore(guarantee, actor=STAFF)

    guarantee.refresh_from_db()
    assert (guarantee.validity, guarantee.status) == (Validity.INVALID, Guarantee.Status.RESTORING)
    assert guarantee.validity_reason.startswith(reason)
    assert guarantee.events.get(to_state=Validity.INVALID).reason == guarantee.validity_reason


@pytest.mark.django_db
def test_validity_is_judged_once_even_if_the_restore_is_started_again():
    guarantee = opened(basic_account_no="6222020000000001111")
    guarantee_restore(guarantee, actor=STAFF)
    Guarantee.objects.filter(pk=guarantee.pk).update(status=Guarantee.Status.ISSUED)  # postponed, as by a pause
    guarantee.refresh_from_db()

    guarantee_restore(guarantee, actor=STAFF)

    assert guarantee.events.filter(to_state__in=[Validity.VALID, Validity.INVALID]).count() == 1


@pytest.mark.django_db
def test_a_guarantee_not_paid_from_the_basic_account_cannot_be_accepted():
    guarantee = IssuedGuaranteeFactory(basic_account_no="6222020000000001111")

    with pytest.raises(NotAllowed, match="付保费账号为投标企业基本户账号"):
        guarantee_review(guarantee, Guarantee.Review.ACCEPTED, actor=STAFF)


@pytest.mark.django_db
def test_a_paused_section_is_not_judged_until_it_opens_normally():
    guarantee = opened(basic_account_no="6222020000000001111")
    section_set_status(guarantee.section, Section.Status.PAUSED, actor=STAFF)

    assert restores_due() == 0

    guarantee.refresh_from_db()
    assert guarantee.validity == Validity.PENDING


@pytest.mark.slow
def test_at_opening_a_guarantee_the_bank_says_was_paid_from_another_account_is_invalid(bank):
    bank.sandbox.faults.update(other_payer_account="1")
    guarantee = issued(bank)
    open_section(guarantee.section)

    assert restores_due() == 1
    send_due()

    until_status(guarantee, Guarantee.Status.RESTORED)  # the plaintext file is the evidence: restored all the same
    assert guarantee.validity == Validity.INVALID
    expected = f"付保费账号 {OTHER_PAYER_ACCOUNT} 不是投标企业基本户账号 {PAYER_ACCOUNT}"
    body = read_back(guarantee)
    assert (body["validity"], body["validity_label"]) == ("invalid", "无效保函")
    assert body["validity_reason"].startswith(expected) and body["payer_account"] == OTHER_PAYER_ACCOUNT
    page = staff("保函管理").get(reverse("admin:guarantees_guarantee_change", args=[guarantee.pk])).content.decode()
    assert "无效保函" in page and expected in page
    assert "✘ 开标核验未认定为无效保函" in page
