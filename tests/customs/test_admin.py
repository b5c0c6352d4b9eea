"""Staff in the admin: every request and upload with status, timing and the exact signed text; resubmission by action."""
import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils.html import escape

from customs.models import DataRequest, Upload
from customs.services import upload_resubmit
from customs.upload import upload_send
from tests.customs.payment_factories import paid_order
from tests.support.jobs import QueueWatch

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:customs_upload_changelist"


@pytest.fixture
def boss(client):
    client.force_login(User.objects.create_superuser("boss", "boss@example.cn", "pw-Boss-2026"))


@pytest.fixture
def uploads(customs, customs_caller):
    """One upload done, one failed on the §1.6.3 check, one refused request."""
    paid_order("ord-done", goods=("奶粉",))
    paid_order("ord-bad", goods=())
    customs_caller.open("ord-done", "session-done")
    customs_caller.open("ord-bad", "session-bad")
    customs_caller.open("ord-missing", "session-missing")
    for upload in Upload.objects.all():
        upload_send(upload.pk)
    return {u.request.session_id: u for u in Upload.objects.select_related("request")}


def test_requests_and_uploads_are_listed_with_status_and_timing(client, boss, uploads):
    requests_page = client.get(reverse("admin:customs_datarequest_changelist")).content.decode()
    uploads_page = client.get(reverse(CHANGELIST)).content.decode()

    for session in ("session-done", "session-bad", "session-missing"):
        assert session in requests_page
    assert "订单不存在：ord-missing" in requests_page and "未受理" in requests_page
    assert "已完成" in uploads_page and "失败待处理" in uploads_page
    assert "毫秒" in uploads_page or " 秒" in uploads_page


def test_an_upload_shows_the_exact_signed_text_and_payload(client, boss, uploads):
    done = uploads["session-done"]
    page = client.get(reverse("admin:customs_upload_change", args=[done.pk])).content.decode()

    assert escape(done.sign_source) in page
    assert escape(done.pay_ex_info_str) in page
    assert "上传成功" in page
    assert "?reference=session-done" in page


def test_a_failed_upload_shows_which_field_and_why(client, boss, uploads):
    bad = uploads["session-bad"]
    page = client.get(reverse("admin:customs_upload_change", args=[bad.pk])).content.decode()

    assert "payExchangeInfoLists[0].goodsInfo" in page
    assert "至少一件商品" in page


def test_an_upload_page_lists_every_guid_sent_and_customs_answer_to_each(client, boss, customs, customs_caller,
                                                                       django_assert_max_num_queries):
    paid_order("ord-history")
    customs_caller.open("ord-history", "session-history")
    upload = Upload.objects.get()
    customs.sandbox.faults.update(reject="收款账号与备案不符")
    for _ in range(3):  # refused by customs, corrected by staff, refused again, then accepted
        upload_send(upload.pk)
        upload_resubmit(upload)
    customs.sandbox.faults.update(reject="")
    upload_send(upload.pk)
    sends = list(upload.sends.order_by("id"))

    with django_assert_max_num_queries(20):
        page = client.get(reverse("admin:customs_upload_change", args=[upload.pk])).content.decode()

    assert len({send.guid for send in sends}) == 4
    for send in sends:
        assert send.guid in page and str(send.service_time) in page
    assert page.count("收款账号与备案不符") >= 3 and "上传成功" in page and "20000" in page
    assert reverse("admin:procurement_outboundattempt_change", args=[sends[0].attempt_id]) in page


def test_resubmit_moves_failed_uploads_back_to_pending_and_enqueues_them(client, boss, uploads,
                                                                        django_capture_on_commit_callbacks):
    selected = [uploads["session-bad"].pk, uploads["session-done"].pk]
    queue = QueueWatch()

    asked = client.post(reverse(CHANGELIST), {"action": "resubmit", "_selected_action": selected}).content.decode()
    assert "确认重新提交上传（2 条）" in asked and queue.new("customs.jobs.upload_send") == []
    assert Upload.objects.get(pk=uploads["session-bad"].pk).status == Upload.Status.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse(CHANGELIST), {"action": "resubmit", "_selected_action": selected,
                                                 "_confirmed": "1"}, follow=True).content.decode()

    assert "已重新提交 1 条" in page
    assert "session-done（已完成）" in page
    assert Upload.objects.get(pk=uploads["session-bad"].pk).status == Upload.Status.PENDING
    assert Upload.objects.get(pk=uploads["session-done"].pk).status == Upload.Status.DONE
    assert queue.new("customs.jobs.upload_send") == [(uploads["session-bad"].pk,)]


def test_the_customs_group_may_view_and_resubmit_but_not_edit(client, uploads):
    clerk = User.objects.create_user("clerk", password="pw-Clerk-2026", is_staff=True)
    clerk.groups.add(Group.objects.get(name="海关数据"))
    client.force_login(clerk)
    bad = uploads["session-bad"]
    done = uploads["session-done"]

    assert "发送记录（每次发送的 guid 与海关应答）" in client.get(
        reverse("admin:customs_upload_change", args=[done.pk])).content.decode()
    assert client.get(reverse(CHANGELIST)).status_code == 200
    assert client.get(reverse("admin:customs_paymentrecord_changelist")).status_code == 200
    client.post(reverse(CHANGELIST), {"action": "resubmit", "_selected_action": [bad.pk]})
    assert Upload.objects.get(pk=bad.pk).status == Upload.Status.PENDING
    assert client.get(reverse("admin:customs_datarequest_add")).status_code == 403
    assert client.post(reverse("admin:customs_upload_delete", args=[bad.pk])).status_code == 403


def test_staff_outside_the_group_see_nothing(client, uploads):
    client.force_login(User.objects.create_user("other", password="pw-Other-2026", is_staff=True))

    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(reverse("admin:customs_datarequest_changelist")).status_code == 403


def test_the_lists_do_not_query_per_row(client, boss, customs_caller, django_assert_max_num_queries):
    for n in range(30):
        paid_order(f"ord-many-{n}")
        customs_caller.open(f"ord-many-{n}", f"session-many-{n}")

    with django_assert_max_num_queries(12):
        assert client.get(reverse(CHANGELIST)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:customs_datarequest_changelist")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:customs_paymentrecord_changelist")).status_code == 200
    assert DataRequest.objects.count() == 30
