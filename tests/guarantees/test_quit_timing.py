"""quitapply goes out only before the opening: checked when it is sent and on every retry, not only when filed."""
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from guarantees.models import Guarantee, OutboundMessage
from guarantees.services.guarantees import guarantee_quit
from guarantees.services.messages import message_send
from guarantees.services.restore import restores_due
from procurement.kernel.delivery import Delivery
from procurement.kernel.statemachine import by_source
from procurement.models import OutboundAttempt
from tests.guarantees.conftest import send_due
from tests.guarantees.factories import IssuedGuaranteeFactory, SectionFactory
from tests.guarantees.test_admin import staff
from tests.guarantees.test_lifecycle import issued, open_section

STAFF = by_source("测试")
Status = Guarantee.Status


def quit_message(guarantee):
    return OutboundMessage.objects.get(guarantee=guarantee, interface=OutboundMessage.Interface.QUIT)


@pytest.mark.django_db
def test_a_withdrawal_still_queued_at_the_opening_is_not_sent_and_the_guarantee_stays_in_force():
    guarantee = IssuedGuaranteeFactory(section=SectionFactory(opening_time=timezone.now() + timedelta(minutes=5)))
    guarantee_quit(guarantee, reason="投标人放弃投标", actor=STAFF)

    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        outcome = message_send(quit_message(guarantee).pk)

    message = quit_message(guarantee)
    assert outcome == Delivery.Status.FAILED
    assert message.last_error.startswith("已开标，不能退保：开标时间") and "退保申请不再发送" in message.last_error
    assert not OutboundAttempt.objects.exists()  # nothing left for the guarantor
    guarantee.refresh_from_db()
    assert guarantee.status == Status.ISSUED
    assert guarantee.events.order_by("-id").first().reason == "退保申请未发出（已开标，不能退保），保函继续有效"


@pytest.mark.django_db
def test_staff_see_the_refused_withdrawal_and_its_reason_on_the_guarantee_page():
    guarantee = IssuedGuaranteeFactory(section=SectionFactory(opening_time=timezone.now() + timedelta(minutes=5)))
    guarantee_quit(guarantee, reason="投标人放弃投标", actor=STAFF)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        message_send(quit_message(guarantee).pk)

    page = staff("保函管理").get(reverse("admin:guarantees_guarantee_change", args=[guarantee.pk])).content.decode()

    assert "失败待处理" in page and "退保申请不再发送" in page and "保函继续有效" in page


@pytest.mark.slow
def test_a_retry_after_the_opening_is_not_sent_and_the_restore_still_runs(bank):
    guarantee = issued(bank)
    guarantee_quit(guarantee, reason="投标人放弃投标", actor=STAFF)
    bank.sandbox.faults.update(error_rate=1.0)
    assert send_due() == [Delivery.Status.RETRYING]  # the bank was down before the opening
    bank.sandbox.faults.update(error_rate=0.0)
    open_section(guarantee.section)
    OutboundMessage.objects.update(next_attempt_at=timezone.now())

    assert send_due() == [Delivery.Status.FAILED]

    assert bank.received("quitapply") == []
    assert "退保申请不再发送" in quit_message(guarantee).last_error
    guarantee.refresh_from_db()
    assert guarantee.status == Status.ISSUED
    assert "如金融机构已办理退保请人工核实" in guarantee.events.order_by("-id").first().reason
    assert restores_due() == 1
