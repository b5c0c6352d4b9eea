"""A supplier's sync as docking staff see it: stopped shown as stopped with its cause in words and no next poll,
cleared once resumed; 立即同步 leads to the run it starts, which refreshes while it runs."""
import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from catalog.models import SupplierSync, SyncRun
from tests.procurement.factories import SupplierFactory
from tests.support.jobs import QueueWatch

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:catalog_suppliersync_changelist"


@pytest.fixture
def docking(client):
    user = User.objects.create_user("docking", password="pw-12345678", is_staff=True)
    user.groups.set(Group.objects.filter(name="对接管理"))
    client.force_login(user)
    return client


@pytest.fixture
def stopped():
    supplier = SupplierFactory(code="SUP-STOP")
    return SupplierSync.objects.create(
        supplier=supplier, failures=6, next_poll_at=timezone.now(), last_error="ServerError: HTTP 502 Bad Gateway",
        halted_reason="连续 6 次失败，已停止自动同步：ServerError: HTTP 502 Bad Gateway")


def row_of(page, code):
    return page.split(code, 1)[1].split("</tr>", 1)[0]


def test_a_stopped_sync_says_so_in_words_and_shows_no_next_poll(docking, stopped):
    page = docking.get(reverse(CHANGELIST), {"state": "stopped"}).content.decode()

    row = row_of(page, "SUP-STOP")
    assert "已停止" in row and "—（已停止，恢复后立即拉取）" in row
    assert "对方服务器出错：HTTP 502" in row and "ServerError" not in row
    assert timezone.localtime(stopped.next_poll_at).strftime("%Y-%m-%d %H:%M:%S") not in row


def test_resuming_clears_the_cause_it_showed(docking, stopped):
    docking.post(reverse(CHANGELIST), {"action": "resume", "_selected_action": [stopped.pk]})

    page = docking.get(reverse("admin:catalog_suppliersync_change", args=[stopped.pk])).content.decode()

    assert "已停止" not in page and "HTTP 502" not in page
    assert SupplierSync.objects.get(pk=stopped.pk).halted_reason == ""


def test_sync_now_links_to_the_run_it_starts(docking, stopped):
    queue = QueueWatch()
    done = docking.post(reverse(CHANGELIST), {"action": "sync_now", "_selected_action": [stopped.pk]},
                        follow=True).content.decode()
    assert queue.new("catalog.jobs.sync_supplier") == [(stopped.supplier_id, "admin")]
    follow = _follow_link(done, stopped.supplier_id)

    waiting = docking.get(follow)
    assert waiting.status_code == 200 and "等待任务开始" in waiting.content.decode()
    run = SyncRun.objects.create(supplier=stopped.supplier, trigger="admin", calls={"getMessagePool": 2})
    started = docking.get(follow)

    assert started["Location"] == reverse("admin:catalog_syncrun_change", args=[run.pk])
    page = docking.get(started["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page and "进行中" in page
    assert "人工（立即同步）" in page and "<td><code>getMessagePool</code></td><td>2</td>" in page


def _follow_link(page, supplier_id):
    from html import unescape

    marker = reverse("admin:catalog_syncrun_follow", args=[supplier_id])
    start = page.index(marker)
    return unescape(page[start:page.index('"', start)])


def test_a_finished_run_does_not_refresh(docking, stopped):
    run = SyncRun.objects.create(supplier=stopped.supplier, trigger="schedule", outcome=SyncRun.Outcome.DONE,
                                 finished_at=timezone.now())

    page = docking.get(reverse("admin:catalog_syncrun_change", args=[run.pk])).content.decode()

    assert 'http-equiv="refresh"' not in page and "定时" in page
