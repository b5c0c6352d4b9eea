"""django-q2 task functions of the catalog: take row ids, call a service, nothing else."""
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from catalog.extras import extras_refresh
from catalog.models import SupplierSync
from catalog.stock import stock_refresh
from catalog.sync.passes import sync_pass
from procurement.kernel.queue import enqueue
from procurement.models import Supplier
from procurement.suppliers.registry import PROTOCOLS


def sync_supplier(supplier_id, trigger="schedule"):
    run = sync_pass(supplier_id, trigger=trigger)
    return run.pk if run else None


def refresh_stock(supplier_id, sku_ids=None):
    return stock_refresh(supplier_id, sku_ids)


def sync_due():
    """Every minute: enqueue a pass for each active supplier whose poll interval has passed."""

    def claim(row, supplier):
        now = timezone.now()
        return row.filter(halted_reason="", next_poll_at__lte=now).update(
            next_poll_at=now + timedelta(minutes=supplier.poll_interval_minutes))

    return _enqueue_claimed("catalog.jobs.sync_supplier", "sync", claim)


def refresh_stock_due():
    """On its own schedule: refresh the stock of every active supplier's listed SKUs, every interval."""
    now = timezone.now()
    stale = Q(stock_refreshed_at__isnull=True) | Q(stock_refreshed_at__lte=now - timedelta(
        minutes=settings.CATALOG_STOCK_INTERVAL_MINUTES))
    # The job stamps stock_refreshed_at again when done.
    return _enqueue_claimed("catalog.jobs.refresh_stock", "stock",
                            lambda row, supplier: row.filter(stale).update(stock_refreshed_at=now))


def refresh_extras(supplier_id):
    report = extras_refresh(supplier_id)
    return {"stored": report.stored, "failed": report.failed}


def refresh_extras_due():
    """On its own schedule: the optional data and area tree of every supplier whose refresh interval has passed."""
    now = timezone.now()
    stale = Q(extras_refreshed_at__isnull=True) | Q(extras_refreshed_at__lte=now - timedelta(
        hours=settings.CATALOG_EXTRAS_REFRESH_HOURS))
    return _enqueue_claimed("catalog.jobs.refresh_extras", "extras",
                            lambda row, supplier: row.filter(stale).update(extras_refreshed_at=now))


def _enqueue_claimed(job, prefix, claim):
    """Enqueue `job` for each pollable supplier that claim(its SupplierSync row, supplier) takes.

    The claim is a conditional update made before enqueueing, so a slow queue never gets a second copy.
    Returns the codes of the suppliers queued.
    """
    queued = []
    for supplier in pollable_suppliers():
        state, _ = SupplierSync.objects.get_or_create(supplier=supplier)
        if claim(SupplierSync.objects.filter(pk=state.pk), supplier):
            enqueue(job, supplier.pk, task_name=f"{prefix}-{supplier.code}")
            queued.append(supplier.code)
    return queued


def pollable_suppliers():
    return Supplier.objects.filter(sync_enabled=True, protocol__in=list(PROTOCOLS)).exclude(
        docking_status=Supplier.DockingStatus.SUSPENDED)
