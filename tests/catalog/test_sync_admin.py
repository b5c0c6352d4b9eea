"""What docking staff see per supplier: last poll, applied and failed messages, outbound calls; re-run a message."""
import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from catalog.models import SupplierMessage
from catalog.sync.passes import sync_pass

pytestmark = pytest.mark.django_db


@pytest.fixture
def docking(client):
    user = User.objects.create_user("docking", password="pw-12345678", is_staff=True)
    user.groups.set(Group.objects.filter(name="对接管理"))
    client.force_login(user)
    return client


@pytest.fixture
def synced(supplier_platform, settings):
    settings.CATALOG_MESSAGE_MAX_ATTEMPTS = 1
    sandbox, _, supplier = supplier_platform(10)
    sandbox.faults.update(omit_skus="SB000004")
    sync_pass(supplier.pk)
    return sandbox, supplier


def test_the_sync_state_page_shows_counts_failures_and_the_call_log_link(docking, synced):
    _, supplier = synced

    page = docking.get(reverse("admin:catalog_suppliersync_changelist"))

    row = page.context["cl"].result_list[0]
    assert (row.applied, row.failed) == (9, 1) and row.last_success_at is not None
    assert "调用记录" in page.content.decode()
    calls = docking.get(reverse("admin:procurement_outboundattempt_changelist"), {"q": supplier.code})
    assert {a.interface for a in calls.context["cl"].result_list} >= {"getMessagePool", "detail_standard"}


def test_failed_messages_show_their_reason_and_staff_rerun_them(docking, synced):
    sandbox, supplier = synced
    failed = docking.get(reverse("admin:catalog_suppliermessage_changelist"), {"status__exact": "failed"})
    assert "电商未返回该商品" in failed.content.decode()

    sandbox.faults.update(omit_skus="")
    message = SupplierMessage.objects.get(status="failed")
    docking.post(reverse("admin:catalog_suppliermessage_changelist"),
                 {"action": "rerun", "_selected_action": [message.pk]}, follow=True)

    message.refresh_from_db()
    assert message.status == "received" and message.attempts == 0
    sync_pass(supplier.pk)
    message.refresh_from_db()
    assert message.status == "applied" and sandbox.pending == {}


def test_sync_runs_are_listed_read_only(docking, synced):
    page = docking.get(reverse("admin:catalog_syncrun_changelist"))
    assert page.status_code == 200 and page.context["cl"].result_list[0].applied == 9
    assert not page.context["has_add_permission"]
