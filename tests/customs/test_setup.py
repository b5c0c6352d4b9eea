"""What `make run` relies on: idempotent demo data, the sandbox that knows our demo certificate, strict settings."""
import io

import pytest
import requests
import yaml
from django.core.management import call_command

from customs.models import CrossBorderOrder, PaymentRecord, Upload
from customs.sandbox import UPLOAD_PATH, build_demo_sandbox
from procurement.sandboxes import SANDBOXES
from tests.procurement.test_settings import PRODUCTION, manage


@pytest.mark.django_db
def test_the_demo_loads_twice_to_the_same_records():
    for _ in range(2):
        call_command("load_demo", admin_password="Demo-Admin-2026", stdout=io.StringIO())

    assert PaymentRecord.objects.count() == 2
    assert set(CrossBorderOrder.objects.values_list("order_no", flat=True)) == {
        "DEMO-ORD-0001", "DEMO-ORD-0002", "DEMO-ORD-0003"}


@pytest.mark.django_db
def test_the_demo_sandbox_accepts_what_the_configured_signer_signs(sandbox_server, settings, customs_caller):
    settings.CUSTOMS_SIGNER = "sm2"
    settings.CUSTOMS_SM2_PRIVATE_KEY, settings.CUSTOMS_CERT_NO = settings.CUSTOMS_SANDBOX_DEMO_SM2_KEY, "DEMO-CERT"
    running = sandbox_server(build_demo_sandbox("http://127.0.0.1:8000"))
    settings.CUSTOMS_UPLOAD_URL = running.url + UPLOAD_PATH
    call_command("load_demo", admin_password="Demo-Admin-2026", stdout=io.StringIO())
    customs_caller.open("DEMO-ORD-0001", "demo-session")

    out = io.StringIO()
    call_command("customs_upload", "demo-session", stdout=out)

    assert "10000" in out.getvalue()
    assert Upload.objects.get().status == Upload.Status.DONE
    watched = requests.get(running.url + "/_sandbox/uploads", timeout=10).json()["accepted"]
    assert watched[0]["orderNos"] == ["DEMO-ORD-0001", "DEMO-ORD-0002"] and watched[0]["totalAmount"] == "2988.5"


def test_make_run_starts_the_customs_sandbox_on_its_port():
    assert SANDBOXES["customs.sandbox"] == 8103


@pytest.mark.slow
def test_an_unknown_signer_stops_the_start():
    result = manage("check", **{**PRODUCTION, "CUSTOMS_SIGNER": "hsm"})

    assert result.returncode != 0
    assert "CUSTOMS_SIGNER must be sm2 or ukey" in result.stderr


@pytest.mark.slow
def test_upload_url_names_resolve_to_the_seed_urls():
    script = "from django.conf import settings; print(settings.CUSTOMS_UPLOAD_URL)"
    production = manage("shell", "-c", script, **{**PRODUCTION, "CUSTOMS_UPLOAD_URL": "production"})
    default = manage("shell", "-c", script, **PRODUCTION)
    broken = manage("check", **{**PRODUCTION, "CUSTOMS_UPLOAD_URL": "customs.example"})

    assert production.stdout.strip().splitlines()[-1] == "https://customs.chinaport.gov.cn/ceb2grab/grab/realTimeDataUpload"
    assert default.stdout.strip().splitlines()[-1] == "https://swapptest.singlewindow.cn/ceb2grab/grab/realTimeDataUpload"
    assert broken.returncode != 0 and "CUSTOMS_UPLOAD_URL" in broken.stderr


@pytest.mark.django_db
def test_platdataopen_and_the_payments_api_are_in_the_published_document(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)

    operation = schema["paths"]["/customs/platDataOpen"]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/x-www-form-urlencoded", "application/json"}
    assert set(schema["paths"]["/api/staff/payments"]) == {"get", "post"}
