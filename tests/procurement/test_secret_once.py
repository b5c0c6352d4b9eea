"""A secret shown once is shown in the response that made it, and kept nowhere: not the session, not the messages."""
import json

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.urls import reverse

from procurement.models import SupplierAccount
from tests.procurement.factories import SupplierAccountFactory, SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(client):
    client.force_login(User.objects.create_superuser("boss", "boss@example.cn", "pw-Boss-2026"))


def stored_anywhere(client, secret):
    """Whether `secret` is in any session's data (the session message storage included) or the cookies."""
    sessions = [json.dumps(session.get_decoded(), ensure_ascii=False) for session in Session.objects.all()]
    cookies = [morsel.value for morsel in client.cookies.values()]
    return any(secret in text for text in sessions + cookies)


def assert_shown_once(client, response, secret, next_url):
    page = response.content.decode()
    assert response.status_code == 200
    assert secret in page and next_url in page
    assert "no-store" in response["Cache-Control"]
    assert not stored_anywhere(client, secret)
    after = client.get(next_url).content.decode()
    assert secret not in after
    assert not stored_anywhere(client, secret)


def test_a_new_accounts_signing_secret_is_shown_in_the_save_response_only(client, boss):
    supplier = SupplierFactory()

    response = client.post(reverse("admin:procurement_supplieraccount_add"), {
        "supplier": supplier.pk, "username": "jd-api", "is_active": "on", "new_password": "Supplier-Pw-1",
        "tokens-TOTAL_FORMS": 0, "tokens-INITIAL_FORMS": 0,
    })

    secret = SupplierAccount.objects.get(username="jd-api").client_secret
    assert_shown_once(client, response, secret, reverse("admin:procurement_supplieraccount_changelist"))


def test_regenerated_secrets_are_shown_in_the_action_response_only(client, boss):
    first, second = SupplierAccountFactory(), SupplierAccountFactory()
    changelist = reverse("admin:procurement_supplieraccount_changelist")

    selected = {"action": "regenerate_secret", "_selected_action": [first.pk, second.pk]}
    asked = client.post(changelist, selected)
    assert "确认重新生成签名密钥（2 条）" in asked.content.decode()
    assert first.client_secret not in asked.content.decode()
    response = client.post(changelist, {**selected, "_confirmed": "1"})

    for account in (first, second):
        account.refresh_from_db()
        assert_shown_once(client, response, account.client_secret, changelist)


def test_a_new_guarantors_appsecret_is_shown_in_the_save_response_only(client, boss):
    from guarantees.models import Guarantor

    response = client.post(reverse("admin:guarantees_guarantor_add"), {
        "name": "测试银行", "base_url": "https://bank.example.cn/", "enabled": "on",
    })

    guarantor = Guarantor.objects.get(name="测试银行")
    assert_shown_once(client, response, guarantor.appsecret, reverse("admin:guarantees_guarantor_changelist"))


def test_a_save_without_a_new_secret_goes_on_as_usual(client, boss):
    account = SupplierAccountFactory()

    response = client.post(reverse("admin:procurement_supplieraccount_change", args=[account.pk]), {
        "supplier": account.supplier.pk, "username": account.username, "is_active": "on", "new_password": "",
        "tokens-TOTAL_FORMS": 0, "tokens-INITIAL_FORMS": 0,
    })

    assert response.status_code == 302
