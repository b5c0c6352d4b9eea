"""The staff API the trading system calls: applications, invoices, withdrawals, by 保函管理 permissions."""
import base64
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from guarantees.models import Guarantee, InvoiceRequest, OutboundMessage
from tests.guarantees.factories import GuarantorFactory, IssuedGuaranteeFactory, SectionFactory

pytestmark = pytest.mark.django_db


def caller(*groups):
    user = User.objects.create_user(f"trading-{len(groups)}", password="x-Password-1", is_staff=True)
    user.groups.add(*[Group.objects.get(name=name) for name in groups])
    token = base64.b64encode(f"{user.username}:x-Password-1".encode()).decode()
    return Client(HTTP_AUTHORIZATION=f"Basic {token}")


def test_the_trading_system_creates_an_application():
    section, guarantor = SectionFactory(), GuarantorFactory()

    response = caller("保函管理").post("/api/staff/guarantees/applications", {
        "biaoduanno": section.section_no, "appkey": guarantor.appkey, "biddername": "天津示例建设工程有限公司",
        "biddercode": "91120000MA05DEM21Q", "basicaccount": "12050188000000001234"}, content_type="application/json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "applying" and body["deposit_amount"] == "20000.00"
    guarantee = Guarantee.objects.get(applyno=body["applyno"])
    assert OutboundMessage.objects.get(guarantee=guarantee).interface == "baohanapply"


def test_an_application_after_opening_is_refused():
    section = SectionFactory(opening_time=timezone.now() - timedelta(minutes=1))

    response = caller("保函管理").post("/api/staff/guarantees/applications", {
        "biaoduanno": section.section_no, "appkey": GuarantorFactory().appkey, "biddername": "某公司",
        "biddercode": "91120000MA05DEM21Q", "basicaccount": "12050188000000001234"}, content_type="application/json")

    assert response.status_code == 409 and "开标" in response.json()["detail"]
    assert not Guarantee.objects.exists()


@pytest.mark.parametrize("code, words", [("12345", "应为 18 位"), ("91120000MA05DEM21X", "校验位错误")])
def test_a_bad_credit_code_is_a_400_that_says_why(code, words):
    response = caller("保函管理").post("/api/staff/guarantees/applications", {
        "biaoduanno": SectionFactory().section_no, "appkey": GuarantorFactory().appkey, "biddername": "某公司",
        "biddercode": code, "basicaccount": "12050188000000001234"}, content_type="application/json")

    assert response.status_code == 400 and words in " ".join(response.json()["biddercode"])


def test_without_the_role_the_api_is_forbidden():
    response = caller().post("/api/staff/guarantees/applications", {}, content_type="application/json")

    assert response.status_code == 403


def test_anonymous_callers_are_refused():
    assert Client().get("/api/staff/guarantees/applications/BH1").status_code in (401, 403)


def test_the_status_of_an_application_can_be_read():
    guarantee = IssuedGuaranteeFactory()

    body = caller("保函管理").get(f"/api/staff/guarantees/applications/{guarantee.applyno}").json()

    assert (body["status"], body["status_label"], body["baohanno"]) == ("issued", "已出函（密文）", guarantee.baohanno)


def test_a_withdrawal_before_opening_and_after():
    before = IssuedGuaranteeFactory()
    after = IssuedGuaranteeFactory(section=SectionFactory(opening_time=timezone.now() - timedelta(hours=1)))
    client = caller("保函管理")

    ok = client.post(f"/api/staff/guarantees/applications/{before.applyno}/quit", {"reason": "放弃投标"},
                     content_type="application/json")
    late = client.post(f"/api/staff/guarantees/applications/{after.applyno}/quit", {"reason": "放弃投标"},
                       content_type="application/json")

    assert ok.status_code == 200 and ok.json()["status"] == "quitting"
    assert late.status_code == 409 and late.json()["detail"] == "已开标，不能退保"


def test_an_invoice_request_with_the_special_invoice_fields_checked():
    guarantee = IssuedGuaranteeFactory(status=Guarantee.Status.RESTORED)
    client = caller("保函管理")

    refused = client.post("/api/staff/guarantees/invoices", {"applyno": guarantee.applyno, "type": "1"},
                          content_type="application/json")
    made = client.post("/api/staff/guarantees/invoices", {"applyno": guarantee.applyno, "type": "0",
                                                     "email": "finance@example.com"}, content_type="application/json")

    assert refused.status_code == 409 and "专票必须填写" in refused.json()["detail"]
    assert made.status_code == 201 and made.json()["amount"] == "100.00"
    assert InvoiceRequest.objects.get().status == InvoiceRequest.Status.REQUESTED


