"""Stock (§7.2.7) of listed SKUs, refreshed in batches on a schedule and on demand from the admin."""
from django.conf import settings
from django.utils import timezone

from catalog.models import Sku, SupplierSync
from catalog.sync.bulk import bulk_set
from procurement.models import Supplier
from procurement.suppliers.base import Capability
from procurement.suppliers.registry import connector_for


def stock_refresh(supplier_id, sku_ids=None, area_code=None):
    """Ask the supplier for the stock of its listed SKUs (or of `sku_ids`); returns how many were updated."""
    supplier = Supplier.objects.get(pk=supplier_id)
    connector = connector_for(supplier)
    if not connector.can(Capability.STOCK):
        return 0
    skus = Sku.objects.filter(supplier=supplier)
    skus = skus.filter(pk__in=sku_ids) if sku_ids is not None else skus.filter(status=Sku.Status.LISTED)
    skus = list(skus.only("pk", "sku_code"))
    area = area_code or settings.CATALOG_STOCK_AREA
    answered = connector.stock([sku.sku_code for sku in skus], area) if skus else {}
    now = timezone.now()
    updated = [sku for sku in skus if _set_stock(sku, answered.get(sku.sku_code), area, now)]
    bulk_set(updated, ["stock", "stock_area", "stock_at"])
    SupplierSync.objects.update_or_create(supplier=supplier, defaults={"stock_refreshed_at": now})
    return len(updated)


def _set_stock(sku, level, area, now):
    if level is None or level.quantity is None:
        return False
    sku.stock, sku.stock_area, sku.stock_at = level.quantity, area, now
    return True
