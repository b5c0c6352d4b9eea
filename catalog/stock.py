"""Stock of SKUs by delivery area (e-mall §7.2.7, mall §2.11): refreshed for the configured areas on a schedule,
and asked live for any area when a staff member or an order needs it."""
from django.conf import settings
from django.utils import timezone

from catalog.models import Sku, SkuStock, SupplierSync
from procurement.models import Supplier
from procurement.suppliers.base import Capability
from procurement.suppliers.registry import connector_for


class StockUnavailable(Exception):
    """The supplier has no stock interface (or staff switched it off), or cannot be asked for this area."""


def stock_check(supplier, skus, area_code):
    """Ask the supplier now: {sku code: quantity or None (not answered)} for `skus` (Sku rows) in `area_code`,
    and keep what it said."""
    connector = connector_for(supplier)
    if not connector.can(Capability.STOCK):
        raise StockUnavailable(f"电商 {supplier.code} 没有库存接口")
    try:
        levels = connector.stock([sku.sku_code for sku in skus], area_code) if skus else {}
    except LookupError as error:  # e.g. an area of ours the supplier's tree does not map to yet
        raise StockUnavailable(str(error)) from error
    now = timezone.now()
    kept = [SkuStock(sku=sku, area_code=area_code, quantity=levels[sku.sku_code].quantity, checked_at=now)
            for sku in skus if sku.sku_code in levels and levels[sku.sku_code].quantity is not None]
    SkuStock.objects.bulk_create(kept, update_conflicts=True, unique_fields=["sku", "area_code"],
                                 update_fields=["quantity", "checked_at"])
    answered = {row.sku.sku_code: row.quantity for row in kept}
    return {sku.sku_code: answered.get(sku.sku_code) for sku in skus}


def stock_refresh(supplier_id, sku_ids=None, area_codes=None):
    """The stock of the supplier's listed SKUs (or of `sku_ids`) in every configured area; returns how many
    levels were kept. Areas the supplier cannot be asked for are skipped (the others still refreshed)."""
    supplier = Supplier.objects.get(pk=supplier_id)
    skus = Sku.objects.filter(supplier=supplier)
    skus = skus.filter(pk__in=sku_ids) if sku_ids is not None else skus.filter(status=Sku.Status.LISTED)
    skus = list(skus.only("pk", "sku_code"))
    kept = 0
    for area_code in area_codes or settings.CATALOG_STOCK_AREAS:
        try:
            kept += sum(1 for quantity in stock_check(supplier, skus, area_code).values() if quantity is not None)
        except StockUnavailable:
            continue
    SupplierSync.objects.update_or_create(supplier=supplier, defaults={"stock_refreshed_at": timezone.now()})
    return kept
