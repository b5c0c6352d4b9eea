"""Jobs run by a real django-q2 cluster process, on the configured broker (ORM, or Redis in CI's second run)."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule, Success
from django_q.tasks import async_task

from procurement.models import AccessToken
from procurement.services.accounts import token_issue
from tests.procurement.factories import SupplierAccountFactory
from tests.support.cluster import wait_until


@pytest.mark.slow
def test_the_cluster_runs_an_enqueued_job_on_the_test_database(job_cluster):
    account = SupplierAccountFactory()
    _, live = token_issue(account)
    _, stale = token_issue(account)
    AccessToken.objects.filter(pk=stale.pk).update(expires_at=timezone.now() - timedelta(days=8))

    async_task("procurement.jobs.purge_tokens", task_name="purge-test")
    job_cluster.start()

    wait_until(lambda: Success.objects.filter(name="purge-test").exists(), message="the purge job")
    assert list(AccessToken.objects.values_list("pk", flat=True)) == [live.pk]


@pytest.mark.django_db
def test_setup_schedules_writes_each_schedule_once_by_name():
    call_command("setup_schedules", verbosity=0)
    Schedule.objects.filter(name="清理过期令牌").update(func="stale.value")
    call_command("setup_schedules", verbosity=0)

    schedule = Schedule.objects.get(name="清理过期令牌")
    assert schedule.func == "procurement.jobs.purge_tokens"
    assert schedule.schedule_type == Schedule.DAILY
