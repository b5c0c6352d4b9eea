"""Safe guarantee actions: a rejection needs a reason and is not undone with one click, several rows are confirmed
first, records of exchanges cannot be deleted, and 立即对账 includes today."""
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guarantees.errors import NotAllowed
from guarantees.models import CheckRun, Guarantee
from guarantees.services.guarantees import guarantee_review
from guarantees.services.reconciliation import check_runs_create
from procurement.kernel.statemachine import IllegalTransition, by_source
from tests.guarantees.factories import GuaranteeFactory, GuarantorFactory, IssuedGuaranteeFactory

pytestmark = pytest.mark.django_db
STAFF = by_source("test")
Review = Guarantee.Review


def manager():
    user = User.objects.create_user(f"m{User.objects.count()}", password="pw-12345678", is_staff=True)
    user.groups.set(Group.objects.filter(name="保函管理"))
    client = Client()
    client.force_login(user)
    return client


def act(client, name, guarantees, **extra):
    return client.post(reverse("admin:guarantees_guarantee_changelist"),
                       {"action": name, "_selected_action": [g.pk for g in guarantees], **extra}, follow=True)


def review_of(guarantee):
    return Guarantee.objects.get(pk=guarantee.pk).review


def test_a_rejected_guarantee_is_accepted_again_only_after_a_new_review():
    guarantee = IssuedGuaranteeFactory()
    guarantee_review(guarantee, Review.REJECTED, actor=STAFF, reason="付保费账户不符")

    with pytest.raises(IllegalTransition, match="不允许从「审核驳回」变为「审核通过」"):
        guarantee_review(guarantee, Review.ACCEPTED, actor=STAFF)
    guarantee_review(guarantee, Review.PENDING, actor=STAFF, reason="金融机构已更正")
    guarantee_review(guarantee, Review.ACCEPTED, actor=STAFF)

    assert review_of(guarantee) == Review.ACCEPTED
    assert list(guarantee.events.filter(to_state__in=Review.values).order_by("id").values_list(
        "to_state", "reason")) == [("rejected", "付保费账户不符"), ("review_pending", "金融机构已更正"),
                                   ("accepted", "")]


def test_rejecting_or_reopening_needs_a_reason():
    guarantee = IssuedGuaranteeFactory()
    with pytest.raises(NotAllowed, match="原因"):
        guarantee_review(guarantee, Review.REJECTED, actor=STAFF, reason=" ")


def test_the_admin_rejection_asks_for_the_reason_and_the_accept_action_then_says_why_not():
    guarantee = IssuedGuaranteeFactory()
    client = manager()

    asked = act(client, "move_to_rejected", [guarantee]).content.decode()
    assert "审核驳回原因" in asked and review_of(guarantee) == Review.PENDING
    act(client, "move_to_rejected", [guarantee], reason="非基本户支付")
    refused = act(client, "move_to_accepted", [guarantee]).content.decode()

    assert review_of(guarantee) == Review.REJECTED
    assert "不允许从「审核驳回」变为「审核通过」" in refused and "现为「审核驳回」" in refused


def test_acting_on_several_guarantees_asks_for_confirmation_first():
    guarantees = [IssuedGuaranteeFactory() for _ in range(2)]
    client = manager()

    asked = act(client, "move_to_accepted", guarantees).content.decode()
    assert "确认审核通过（2 条）" in asked and all(review_of(g) == Review.PENDING for g in guarantees)
    act(client, "move_to_accepted", guarantees, _confirmed="1")

    assert all(review_of(g) == Review.ACCEPTED for g in guarantees)


def test_guarantees_and_guarantors_with_history_cannot_be_deleted():
    guarantee = GuaranteeFactory()
    unused = GuarantorFactory()
    boss = Client()
    boss.force_login(User.objects.create_superuser("boss", "b@example.cn", "pw-Boss-2026"))

    assert boss.get(reverse("admin:guarantees_guarantee_delete", args=[guarantee.pk])).status_code == 403
    assert boss.get(reverse("admin:guarantees_guarantor_delete", args=[guarantee.guarantor_id])).status_code == 403
    assert boss.get(reverse("admin:guarantees_guarantor_delete", args=[unused.pk])).status_code == 200
    listing = boss.get(reverse("admin:guarantees_guarantor_changelist")).content.decode()
    assert "delete_selected" not in listing
    assert "delete_selected" not in boss.get(reverse("admin:guarantees_guarantee_changelist")).content.decode()


def test_reconciling_now_includes_todays_guarantees():
    guarantor = GuarantorFactory()
    today = timezone.localdate()

    daily = check_runs_create([guarantor], today=today)[0]
    now = check_runs_create([guarantor], today=today, include_today=True)[0]
    client = manager()
    client.post(reverse("admin:guarantees_guarantor_changelist"),
                {"action": "check_now", "_selected_action": [guarantor.pk]})

    assert daily.end_date == today - timedelta(days=1) and now.end_date == today
    assert CheckRun.objects.order_by("-id").first().end_date == today
