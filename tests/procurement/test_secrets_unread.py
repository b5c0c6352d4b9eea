"""Encrypted secrets are decrypted only where they are used: not to check a token, only the signing secret to log in."""
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from procurement.api.callers import Callers
from procurement.kernel import crypto
from procurement.services import accounts
from procurement.suppliers.emall.wire import ErrorCode, WireError
from tests.procurement.factories import SupplierAccountFactory, SupplierFactory
from tests.support.emall import login_params

pytestmark = pytest.mark.django_db


@pytest.fixture
def decrypted(monkeypatch):
    """The secrets decrypted since the fixture was set up, in order."""
    plain = []
    real = crypto.decrypt_secret

    def counting(value):
        plain.append(real(value))
        return plain[-1]

    monkeypatch.setattr(crypto, "decrypt_secret", counting)
    return plain


@pytest.fixture
def boss(client):
    client.force_login(User.objects.create_superuser("boss", "boss@example.cn", "pw-Boss-2026"))


@pytest.fixture
def accounts_with_tokens():
    made = []
    for _ in range(2):
        supplier = SupplierFactory(password="remote-secret")
        account = SupplierAccountFactory(supplier=supplier)
        accounts.token_issue(account)
        made.append(account)
    return made


def test_the_change_pages_still_show_whether_a_secret_is_set(client, boss, accounts_with_tokens):
    account = accounts_with_tokens[0]

    supplier_page = client.get(reverse("admin:procurement_supplier_change", args=[account.supplier.pk]))
    account_page = client.get(reverse("admin:procurement_supplieraccount_change", args=[account.pk]))

    assert "已设置（13 位）" in supplier_page.content.decode()  # remote-secret
    assert "已设置（32 位）" in account_page.content.decode()
    assert account.client_secret not in account_page.content.decode()


def test_checking_a_token_decrypts_nothing(decrypted):
    account = SupplierAccountFactory()
    raw, issued = accounts.token_issue(account)
    decrypted.clear()

    token = accounts.token_authenticate(raw)
    caller = Callers().authenticate(raw)

    assert decrypted == []
    assert issued.key_hash == accounts.token_hash(raw)
    assert (token.pk, caller.account_id, caller.supplier_code) == (issued.pk, account.pk, account.supplier.code)


def test_logging_in_decrypts_only_the_signing_secret(decrypted):
    account = SupplierAccountFactory()
    decrypted.clear()

    raw, _token = accounts.token_login(**login_params(account))

    assert decrypted == [account.client_secret]
    assert accounts.token_authenticate(raw).account_id == account.pk


@pytest.mark.parametrize("raw", [None, ""])
def test_a_missing_token_is_still_refused_as_missing(raw):
    with pytest.raises(WireError) as refused:
        Callers().authenticate(raw)

    assert (refused.value.code, refused.value.desc) == (ErrorCode.TOKEN_EXPIRED, "缺少token(token_expired)")
