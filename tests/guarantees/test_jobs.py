"""Guarantee jobs run by a real django-q2 cluster process: the dispatcher sends, the bank answers over HTTP."""
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.tasks import async_task

from guarantees.models import Guarantee, OutboundMessage, Section
from guarantees.services.guarantees import guarantee_apply
from procurement.kernel.delivery import Delivery
from procurement.kernel.statemachine import by_source
from tests.guarantees.factories import SectionFactory
from tests.support.cluster import wait_until


@pytest.mark.slow
def test_the_cluster_sends_the_application_and_at_opening_the_restore(bank, job_cluster):
    section = SectionFactory()
    guarantee = guarantee_apply(section=section, guarantor=bank.row, bidder_name="天津示例建设工程有限公司",
                                bidder_code="91120000MA05DEM21Q", basic_account_no="12050188000000001234",
                                actor=by_source("test"))
    job_cluster.start()

    wait_until(lambda: Guarantee.objects.get(pk=guarantee.pk).status == Guarantee.Status.ISSUED, timeout=60,
               message="the guarantee issued through the cluster")
    Section.objects.filter(pk=section.pk).update(opening_time=timezone.now() - timedelta(seconds=1))
    async_task("guarantees.jobs.dispatch")

    wait_until(lambda: Guarantee.objects.get(pk=guarantee.pk).status == Guarantee.Status.RESTORED, timeout=60,
               message="the guarantee restored through the cluster")
    # The bank's restorenotice may be applied before the worker has recorded the baohanrestore reply.
    in_flight = [Delivery.Status.PENDING, Delivery.Status.SENDING]
    wait_until(lambda: not OutboundMessage.objects.filter(status__in=in_flight).exists(), timeout=30,
               message="the restore message's reply recorded")
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {Delivery.Status.DONE}
