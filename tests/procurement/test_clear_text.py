"""With DEBUG off, counterparties are reached over https (seed 000 §8.1): refused when saved, by the client, and
reported by check --deploy; the loopback and hosts the operator names are allowed in clear."""
import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError

from procurement.kernel import http
from procurement.kernel.clear_text import https_required
from procurement.models import OutboundAttempt, Supplier
from tests.guarantees.factories import GuarantorFactory
from tests.procurement.factories import SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.OUTBOUND_CLEAR_TEXT_HOSTS = ["bank.intranet.example"]
    return settings


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://mall.example.cn/api", True),
    ("http://mall.example.cn/api", False),
    ("http://127.0.0.1:8101", True),
    ("http://localhost:8101", True),
    ("http://bank.intranet.example/guarantee", True),
    ("http://BANK.intranet.example/guarantee", True),
])
def test_a_counterparty_url_must_be_https_outside_the_loopback_and_the_named_hosts(production, url, allowed):
    if allowed:
        https_required(url)
    else:
        with pytest.raises(ValidationError, match="https"):
            https_required(url)


def test_with_debug_on_clear_text_is_allowed_for_development(settings):
    settings.DEBUG = True
    https_required("http://mall.example.cn/api")


def test_a_supplier_saved_with_a_clear_text_url_is_refused(production):
    supplier = SupplierFactory.build(base_url="http://mall.example.cn/api")

    with pytest.raises(ValidationError) as refused:
        supplier.full_clean(exclude=["platforms"])

    assert "base_url" in refused.value.message_dict


def test_the_client_never_calls_a_clear_text_counterparty(production):
    party = http.Counterparty("supplier", "SUP-X", "http://mall.example.cn")

    with pytest.raises(http.ClientError, match="https"):
        http.call(party, "prices", "/api/product/prices", data={"sku": "1"})

    row = OutboundAttempt.objects.get(counterparty_code="SUP-X")
    assert row.outcome == "error" and "https" in row.error and row.http_status is None


def test_check_deploy_names_stored_counterparties_and_settings_in_clear_text(production):
    supplier = SupplierFactory()
    Supplier.objects.filter(pk=supplier.pk).update(base_url="http://mall.example.cn/api")
    GuarantorFactory(base_url="http://bank.elsewhere.example/")
    production.CUSTOMS_UPLOAD_URL = "http://customs.example.cn/realTimeDataUpload"

    found = {message.id: message.msg for message in run_checks(include_deployment_checks=True)
             if message.id in ("procurement.E001", "guarantees.E001", "customs.E002")}

    assert set(found) == {"procurement.E001", "guarantees.E001", "customs.E002"}
    assert "mall.example.cn" in found["procurement.E001"] and "bank.elsewhere.example" in found["guarantees.E001"]
