"""The docking admin: every run in a list of constant queries, a run's cases with links to their calls and the
report, a run started from the supplier list."""
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procurement.docking.models import DockingRun
from tests.docking.helpers import run_to_end
from tests.procurement.factories import SupplierFactory


@pytest.fixture
def boss(db, client):
    user = User.objects.create_superuser("boss", "boss@example.cn", "pw-Boss-2026")
    client.force_login(user)
    return user


def _runs(count, user):
    supplier = SupplierFactory()
    for n in range(count):
        DockingRun.objects.create(supplier=supplier, protocol="emall", contract_version="emall-1.0",
                                  base_url="http://127.0.0.1:9/", status="failed" if n % 2 else "passed",
                                  started_via="staff", started_by=user, duration_ms=1200 + n)


def test_the_run_list_costs_the_same_queries_whatever_the_number_of_runs(client, boss):
    url = reverse("admin:procurement_dockingrun_changelist")
    _runs(2, boss)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _runs(20, boss)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(many) == len(few)
    text = page.content.decode()
    assert "emall-1.0" in text and "工作人员 boss" in text and "1.2 秒" in text


def test_a_runs_page_shows_its_cases_their_calls_and_the_report(test_environment, client, boss):
    _sandbox, supplier = test_environment("emall", batch_limit="200")
    run = run_to_end(supplier)
    page = client.get(reverse("admin:procurement_dockingrun_change", args=[run.pk])).content.decode()
    assert "101 个一批被拒绝" in page and "未通过" in page and "合同 §1" in page
    assert "purpose_case=batch_over" in page and f"purpose_id={run.pk}" in page
    assert reverse("docking:staff_report", args=[run.pk]) in page
    calls = client.get(reverse("admin:procurement_outboundattempt_changelist"),
                       {"purpose_kind": "procurement.dockingrun", "purpose_id": run.pk, "purpose_case": "batch_over"})
    assert calls.status_code == 200 and "prices" in calls.content.decode()


def test_staff_start_a_run_from_the_supplier_list(test_environment, client, boss,
                                                   django_capture_on_commit_callbacks):
    _sandbox, supplier = test_environment("emall")
    changelist = reverse("admin:procurement_supplier_changelist")
    with django_capture_on_commit_callbacks(execute=False):
        page = client.post(changelist, {"action": "start_run", "_selected_action": [supplier.pk]}, follow=True)
    assert "已为 1 个电商发起对接测试" in page.content.decode()
    run = DockingRun.objects.get(supplier=supplier)
    assert (run.started_via, run.started_by, run.status) == ("staff", boss, "queued")

    again = client.post(changelist, {"action": "start_run", "_selected_action": [supplier.pk]}, follow=True)
    assert "尚未结束" in again.content.decode() and DockingRun.objects.filter(supplier=supplier).count() == 1


def test_a_supplier_without_a_test_environment_is_named_in_the_refusal(client, boss):
    supplier = SupplierFactory()
    page = client.post(reverse("admin:procurement_supplier_changelist"),
                       {"action": "start_run", "_selected_action": [supplier.pk]}, follow=True)
    assert "尚未填写测试环境" in page.content.decode() and not DockingRun.objects.exists()


def test_staff_require_an_optional_case_of_a_supplier(test_environment, client, boss):
    _sandbox, supplier = test_environment("mall")
    url = reverse("admin:procurement_testendpoint_change", args=[supplier.test_endpoint.pk])
    refused = client.post(url, {"required_cases": '["token_obtain"]'})
    assert "不是非必需接口的用例" in refused.content.decode()

    client.post(url, {"required_cases": '["ratings"]'})

    supplier.test_endpoint.refresh_from_db()
    assert supplier.test_endpoint.required_cases == ["ratings"]
    assert supplier.test_endpoint.secret_parameters == {"password": "sandbox-password"}  # untouched
    page = client.get(url).content.decode()
    assert "sandbox-password" not in page
