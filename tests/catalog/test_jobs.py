"""The schedule: which suppliers are polled, back-off and stop on failure, resume, and the real job cluster."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from catalog.jobs import sync_due
from catalog.models import Sku, SupplierSync, SyncRun
from catalog.sync.passes import sync_pass, sync_resume
from procurement.models import Supplier
from tests.procurement.factories import SupplierFactory
from tests.support.cluster import wait_until


@pytest.mark.django_db
def test_setup_schedules_writes_the_catalog_schedules():
    call_command("setup_schedules", verbosity=0)

    assert Schedule.objects.get(name="拉取电商商品消息").func == "catalog.jobs.sync_due"
    assert Schedule.objects.get(name="刷新上架商品库存").func == "catalog.jobs.refresh_stock_due"


@pytest.mark.django_db
def test_transient_failures_back_off_then_stop_and_staff_resume(settings):
    settings.CATALOG_CALL_ATTEMPTS, settings.CATALOG_SYNC_MAX_FAILURES = 1, 2
    supplier = SupplierFactory(base_url="http://127.0.0.1:9")

    first = sync_pass(supplier.pk)
    state = SupplierSync.objects.get(supplier=supplier)
    assert first.outcome == "failed" and "CallConnectionError" in first.error
    assert state.failures == 1 and state.halted_reason == "" and state.next_poll_at > timezone.now()

    sync_pass(supplier.pk)
    state.refresh_from_db()
    assert state.failures == 2 and "连续 2 次失败" in state.halted_reason
    assert sync_due() == []

    sync_resume(supplier)
    state.refresh_from_db()
    assert (state.failures, state.halted_reason) == (0, "")


@pytest.mark.django_db
def test_a_permanent_refusal_stops_at_once(supplier_platform):
    _, _, supplier = supplier_platform(3)
    Supplier.objects.filter(pk=supplier.pk).update(secret_parameters={"password": "wrong"})

    run = sync_pass(supplier.pk)

    assert run.outcome == "failed" and "5003" in run.error
    assert "永久性错误" in SupplierSync.objects.get(supplier=supplier).halted_reason


@pytest.mark.django_db
def test_a_second_pass_while_one_holds_the_supplier_does_nothing(supplier_platform):
    _, _, supplier = supplier_platform(3)
    SupplierSync.objects.create(supplier=supplier, lease_owner="someone",
                                lease_until=timezone.now() + timedelta(minutes=1))

    assert sync_pass(supplier.pk) is None
    assert not Sku.objects.exists()


@pytest.mark.slow
def test_the_schedule_polls_every_active_supplier_and_a_failing_one_stalls_none(job_cluster, supplier_platform):
    _, _, good = supplier_platform(20)
    dead = SupplierFactory(base_url="http://127.0.0.1:9")
    suspended = SupplierFactory(docking_status=Supplier.DockingStatus.SUSPENDED)
    paused = SupplierFactory(sync_enabled=False)
    job_cluster.start(CATALOG_CALL_ATTEMPTS=1)

    assert sorted(sync_due()) == sorted([good.code, dead.code])
    assert sync_due() == []  # claimed: not queued twice

    wait_until(lambda: SyncRun.objects.filter(supplier=good, outcome="done").exists(), timeout=60, message="good pass")
    wait_until(lambda: SyncRun.objects.filter(supplier=dead, outcome="failed").exists(), timeout=60, message="dead pass")
    assert Sku.objects.filter(supplier=good).count() == 20
    assert not SyncRun.objects.filter(supplier__in=[suspended, paused]).exists()
    assert Supplier.objects.get(pk=good.pk).last_polled_at is not None


@pytest.mark.django_db
def test_stock_refresh_is_queued_once_per_interval_per_supplier():
    from catalog.jobs import refresh_stock_due

    supplier = SupplierFactory()

    assert refresh_stock_due() == [supplier.code]
    assert refresh_stock_due() == []
