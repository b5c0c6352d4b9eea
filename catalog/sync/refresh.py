"""Prices and shelf states of a supplier's listed SKUs, refreshed in full batches on their own interval.

For protocols whose feed carries no price or shelf changes (the mall standard): a listed SKU must never
show a price above the market price for longer than CATALOG_PRICE_REFRESH_MINUTES. Delisted SKUs taken
off by price or shelf are refreshed too, so they come back when the cause is gone.
"""
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from catalog.models import Sku, SupplierSync
from catalog.sync.plan import SkuPlan

PARTS = {"prices", "shelf"}
CHUNK = 1000


def refresh_due(supplier, connector):
    if not connector.polls_prices:
        return False
    refreshed = SupplierSync.objects.filter(supplier=supplier).values_list("prices_refreshed_at", flat=True).first()
    return refreshed is None or timezone.now() - refreshed >= timedelta(minutes=settings.CATALOG_PRICE_REFRESH_MINUTES)


def refresh_plans(supplier):
    """Plans (in chunks of CHUNK) asking for the prices and shelf states of the SKUs on sale or taken off by them."""
    watched = Q(status=Sku.Status.LISTED) | Q(status=Sku.Status.DELISTED, delist_cause__in=[
        Sku.DelistCause.PRICE, Sku.DelistCause.SHELF_OFF])
    codes = list(Sku.objects.filter(watched, supplier=supplier).order_by("sku_code").values_list("sku_code", flat=True))
    for start in range(0, len(codes), CHUNK):
        yield [SkuPlan(code, parts=set(PARTS)) for code in codes[start:start + CHUNK]]


def refresh_done(supplier, at):
    SupplierSync.objects.filter(supplier=supplier).update(prices_refreshed_at=at)
