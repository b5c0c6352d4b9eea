"""django-q2 task functions of the catalog: take row ids, call a service, nothing else."""
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task

from catalog.models import SupplierSync
from catalog.stock import stock_refresh
from catalog.sync.passes import sync_pass
from procurement.connectors.base import PROTOCOLS
from procurement.models import Supplier


def sync_supplier(supplier_id, trigger="schedule"):
    run = sync_pass(supplier_id, trigger=trigger)
    return run.pk if run else None


def refresh_stock(supplier_id, sku_ids=None):
    return stock_refresh(supplier_id, sku_ids)


def sync_due():
    """Every minute: enqueue a pass for each active supplier whose poll interval has passed."""
    queued = []
    for supplier in pollable_suppliers():
        state, _ = SupplierSync.objects.get_or_create(supplier=supplier)
        now = timezone.now()
        wait = timedelta(minutes=supplier.poll_interval_minutes)
        # Pushing next_poll_at forward before enqueueing makes the claim: a slow queue never gets a second copy.
        claimed = SupplierSync.objects.filter(pk=state.pk, halted_reason="", next_poll_at__lte=now).update(
            next_poll_at=now + wait)
        if claimed:
            async_task("catalog.jobs.sync_supplier", supplier.pk, task_name=f"sync-{supplier.code}")
            queued.append(supplier.code)
    return queued


def refresh_stock_due():
    """On its own schedule: refresh the stock of every active supplier's listed SKUs, every interval."""
    now = timezone.now()
    stale = Q(stock_refreshed_at__isnull=True) | Q(stock_refreshed_at__lte=now - timedelta(
        minutes=settings.CATALOG_STOCK_INTERVAL_MINUTES))
    queued = []
    for supplier in pollable_suppliers():
        state, _ = SupplierSync.objects.get_or_create(supplier=supplier)
        # Stamped when queued, so a slow queue never gets a second copy; the job stamps it again when done.
        if SupplierSync.objects.filter(stale, pk=state.pk).update(stock_refreshed_at=now):
            async_task("catalog.jobs.refresh_stock", supplier.pk, task_name=f"stock-{supplier.code}")
            queued.append(supplier.code)
    return queued


def pollable_suppliers():
    return Supplier.objects.filter(sync_enabled=True, protocol__in=list(PROTOCOLS)).exclude(
        docking_status=Supplier.DockingStatus.SUSPENDED)
