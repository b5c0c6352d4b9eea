"""The admin as staff use it: guarantors with write-only secrets, sections, the review page, file download, resubmit."""
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guarantees.models import CheckRun, Guarantee, Guarantor, OutboundMessage, Section
from guarantees.services.messages import SEND_TASK
from guarantees.services.reconciliation import RUN_TASK
from procurement.kernel.delivery import Delivery
from tests.guarantees.factories import (
    GuaranteeFactory,
    GuarantorFactory,
    IssuedGuaranteeFactory,
    SectionFactory,
)
from tests.support.jobs import QueueWatch

pytestmark = pytest.mark.django_db


def staff(*groups, superuser=False):
    user = User.objects.create_user(f"staff{User.objects.count()}", password="x", is_staff=True,
                                    is_superuser=superuser)
    user.groups.add(*[Group.objects.get(name=name) for name in groups])
    client = Client()
    client.force_login(user)
    return client


def action(client, model, name, objects, **extra):
    url = reverse(f"admin:guarantees_{model}_changelist")
    return client.post(url, {"action": name, "_selected_action": [o.pk for o in objects], **extra}, follow=True)


def test_a_new_guarantor_gets_an_appkey_and_secret_shown_once_and_stored_encrypted():
    client = staff("保函管理")

    response = client.post(reverse("admin:guarantees_guarantor_add"),
                           {"name": "某银行", "base_url": "https://bank.example/gp", "enabled": "on"}, follow=True)

    guarantor = Guarantor.objects.get(name="某银行")
    assert guarantor.appsecret in response.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT appsecret FROM guarantees_guarantor WHERE id = %s", [guarantor.pk])
        assert guarantor.appsecret not in cursor.fetchone()[0]
    page = client.get(reverse("admin:guarantees_guarantor_change", args=[guarantor.pk])).content.decode()
    assert guarantor.appsecret not in page and "已设置（32 位）" in page


def test_a_section_added_in_the_admin_gets_its_own_key():
    client = staff("保函管理")
    opening = timezone.localtime() + timedelta(days=2)

    client.post(reverse("admin:guarantees_section_add"), {
        "project_no": "P1", "project_name": "项目", "section_no": "P1-01", "section_name": "一标段",
        "tenderer": "某局", "tenderer_code": "", "deposit_amount": "5000.00",
        "opening_time_0": opening.strftime("%Y-%m-%d"), "opening_time_1": opening.strftime("%H:%M:%S"),
        "remark": "", "handling_result": "", "notice_title": "",
        "sectionstatuschange_set-TOTAL_FORMS": "0", "sectionstatuschange_set-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0",
    })

    section = Section.objects.get(section_no="P1-01")
    assert len(section.sm4_key) == 32


def test_marking_a_section_as_failed_is_an_action_with_history():
    section = SectionFactory()

    client = staff("保函管理")
    asked = action(client, "section", "move_to_1", [section])
    section.refresh_from_db()
    assert section.status == Section.Status.NORMAL and "标记为流标原因" in asked.content.decode()

    action(client, "section", "move_to_1", [section], reason="投标人不足三家")

    section.refresh_from_db()
    assert section.status == Section.Status.FAILED
    assert section.status_changes.get().to_state == "1" and section.status_changes.get().reason == "投标人不足三家"


def test_the_guarantee_page_shows_the_checks_the_file_link_and_the_timeline():
    guarantee = IssuedGuaranteeFactory(payer_name="某代付公司")

    page = staff("保函管理").get(reverse("admin:guarantees_guarantee_change", args=[guarantee.pk])).content.decode()

    assert "✘ 付保费户名与投标企业一致（基本户支付）" in page
    assert "✔ 已记录付保费账户户名和账号" in page
    assert reverse("admin:guarantees_guarantee_file", args=[guarantee.pk, "cipher"]) in page


def test_accepting_a_guarantee_that_fails_a_check_is_refused_with_the_reason():
    guarantee = IssuedGuaranteeFactory(payer_account="")

    response = action(staff("保函管理"), "guarantee", "move_to_accepted", [guarantee])

    guarantee.refresh_from_db()
    assert guarantee.review == Guarantee.Review.PENDING
    assert "已记录付保费账户户名和账号" in response.content.decode()


def test_staff_accept_a_guarantee_and_the_timeline_names_them():
    guarantee = IssuedGuaranteeFactory()
    client = staff("保函管理")

    action(client, "guarantee", "move_to_accepted", [guarantee])

    guarantee.refresh_from_db()
    assert guarantee.review == Guarantee.Review.ACCEPTED
    page = client.get(reverse("admin:guarantees_guarantee_change", args=[guarantee.pk])).content.decode()
    assert "审核通过" in page and "待审核" in page


def test_the_file_is_downloaded_by_staff_with_the_right_only():
    guarantee = IssuedGuaranteeFactory()
    url = reverse("admin:guarantees_guarantee_file", args=[guarantee.pk, "cipher"])

    allowed = staff("保函管理").get(url)
    refused = staff().get(url)
    anonymous = Client().get(url)

    assert allowed.status_code == 200 and b"".join(allowed.streaming_content).startswith(b"%PDF-")
    assert allowed["Content-Disposition"].startswith("attachment")
    assert refused.status_code == 403
    assert anonymous.status_code == 302
    assert staff("保函管理").get(reverse("admin:guarantees_guarantee_file", args=[guarantee.pk, "plain"])).status_code == 404


def test_guarantee_files_are_not_served_publicly():
    guarantee = IssuedGuaranteeFactory()

    response = Client().get(f"/media/{guarantee.cipher_file.name}")

    assert response["Content-Type"].startswith("application/json")
    assert b"%PDF" not in response.content


def test_restore_now_is_refused_before_opening():
    guarantee = IssuedGuaranteeFactory()

    response = action(staff("保函管理"), "guarantee", "move_to_restoring", [guarantee])

    assert "开标前不能还原保函" in response.content.decode()
    assert not OutboundMessage.objects.exists()


def test_an_application_made_in_the_admin_queues_baohanapply():
    section, guarantor = SectionFactory(), GuarantorFactory()

    staff("保函管理").post(reverse("admin:guarantees_guarantee_add"), {
        "section": section.pk, "guarantor": guarantor.pk, "bidder_name": "某公司", "bidder_code": "91120000MA05DEM21Q",
        "basic_account_no": "12050188000000001234", "basic_account_bank": "某银行天津分行", "deposit_amount": ""})

    guarantee = Guarantee.objects.get()
    assert guarantee.deposit_amount == section.deposit_amount
    assert guarantee.events.get().reason == "创建投保申请"
    assert OutboundMessage.objects.get().interface == "baohanapply"


def test_a_failed_message_is_resubmitted_by_staff():
    message = OutboundMessage.objects.create(interface="baohanapply", guarantee=GuaranteeFactory(),
                                             status=Delivery.Status.FAILED, attempts=6, last_error="对方拒绝")

    response = action(staff("保函管理"), "outboundmessage", "resubmit", [message])

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Delivery.Status.PENDING, 0)
    assert "已重新排队 1 条保函报文" in response.content.decode()


def test_a_resubmitted_message_is_queued_at_once(django_capture_on_commit_callbacks):
    failed, done = (OutboundMessage.objects.create(interface="baohanapply", guarantee=GuaranteeFactory(),
                                                   status=status, attempts=6)
                    for status in (Delivery.Status.FAILED, Delivery.Status.DONE))
    queue = QueueWatch()

    with django_capture_on_commit_callbacks(execute=True):
        response = action(staff("保函管理"), "outboundmessage", "resubmit", [failed, done], _confirmed="1")

    assert "已重新排队 1 条保函报文" in response.content.decode()
    assert queue.new(SEND_TASK) == [(failed.pk,)]  # not left for the dispatcher's pending grace
    assert OutboundMessage.objects.get(pk=done.pk).status == Delivery.Status.DONE


def test_a_resubmitted_check_run_is_queued_at_once(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    failed, pending = (CheckRun.objects.create(guarantor=GuarantorFactory(), start_date=today, end_date=today,
                                               status=status)
                       for status in (Delivery.Status.FAILED, Delivery.Status.PENDING))
    queue = QueueWatch()

    with django_capture_on_commit_callbacks(execute=True):
        response = action(staff("保函管理"), "checkrun", "resubmit", [failed, pending], _confirmed="1")

    assert "已重新排队 1 条对账" in response.content.decode()
    assert queue.new(RUN_TASK) == [(failed.pk,)]
    assert CheckRun.objects.get(pk=failed.pk).status == Delivery.Status.PENDING


@pytest.mark.parametrize("model", ["guarantor", "section", "guarantee", "invoicerequest", "claim", "outboundmessage",
                                   "inboundnotice", "checkrun", "checkmismatch"])
def test_every_changelist_renders(model):
    IssuedGuaranteeFactory()

    assert staff(superuser=True).get(reverse(f"admin:guarantees_{model}_changelist")).status_code == 200


def test_an_illegal_transition_is_refused_with_a_clear_message():
    applied = GuaranteeFactory(section=SectionFactory(opening_time=timezone.now() - timedelta(hours=1)))

    response = action(staff("保函管理"), "guarantee", "move_to_cancelling", [applied])

    assert "不允许从「已投保申请」变为「注销中」" in response.content.decode()
    applied.refresh_from_db()
    assert applied.status == Guarantee.Status.APPLIED
