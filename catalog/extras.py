"""The optional data of a supplier (ratings, accessories and their links, extended warranty, offers, tiered
discounts) and its area tree, refreshed on a schedule: the only code that changes them.

Each kind is read only if the supplier's connector has that interface (and staff did not switch it off), and
replaced whole in its own transaction, so one failing interface leaves the others (and its own last data)
as they were. Amounts that are not amounts are kept as None and counted.
"""
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import (
    Accessory,
    AccessoryLink,
    Offer,
    Sku,
    SkuRating,
    SupplierSync,
    TierDiscount,
    WarrantyService,
)
from procurement.kernel.http import OutboundError
from procurement.models import Supplier
from procurement.suppliers.base import Capability
from procurement.suppliers.registry import connector_for
from procurement.suppliers.remote_areas import AreaNotMapped, remote_areas_store


@dataclass
class ExtrasReport:
    stored: dict = field(default_factory=dict)  # kind → rows kept
    failed: dict = field(default_factory=dict)  # kind → why it could not be refreshed


def extras_refresh(supplier_id):
    """Refresh every optional kind the supplier has; returns an ExtrasReport."""
    supplier = Supplier.objects.get(pk=supplier_id)
    connector = connector_for(supplier)
    report = ExtrasReport()
    skus = list(Sku.objects.filter(supplier=supplier).exclude(status=Sku.Status.REMOVED)
                .order_by("sku_code").values_list("sku_code", flat=True))
    for capability, refresh in REFRESHERS:
        if not connector.can(capability):
            continue
        try:
            with transaction.atomic():
                report.stored[capability.value] = refresh(supplier, connector, skus)
        except (OutboundError, AreaNotMapped) as error:
            report.failed[capability.value] = str(error)
    SupplierSync.objects.update_or_create(supplier=supplier, defaults={"extras_refreshed_at": timezone.now()})
    return report


def _areas(supplier, connector, skus):
    return remote_areas_store(supplier, connector.areas())[0]


def _ratings(supplier, connector, skus):
    rows = [SkuRating(supplier=supplier, sku_code=r.sku, score=amount(r.score), good=amount(r.good),
                      neutral=amount(r.neutral), bad=amount(r.bad)) for r in connector.ratings(skus).values()]
    return _replace(SkuRating, supplier, rows)


def _accessories(supplier, connector, skus):
    seen = {a.id: a for a in connector.accessories() if a.id}
    rows = [Accessory(supplier=supplier, remote_id=a.id[:64], is_service=a.is_service, name=a.name[:200],
                      params=a.params, price=amount(a.price)) for a in seen.values()]
    return _replace(Accessory, supplier, rows)


def _links(supplier, connector, skus):
    rows = {(link.sku, accessory_id): AccessoryLink(supplier=supplier, sku_code=link.sku[:64],
                                                    accessory_remote_id=accessory_id[:64])
            for link in connector.accessory_links().values() for accessory_id in link.accessory_ids}
    return _replace(AccessoryLink, supplier, list(rows.values()))


def _warranty(supplier, connector, skus):
    rows = {}
    for area_code in settings.CATALOG_STOCK_AREAS:
        for offers in connector.warranty(skus, area_code).values():
            for w in offers:
                rows[(w.sku, w.area, w.id)] = WarrantyService(
                    supplier=supplier, sku_code=w.sku[:64], area_code=w.area, remote_id=w.id[:64], name=w.name[:200],
                    content=w.content, price=amount(w.price))
    return _replace(WarrantyService, supplier, list(rows.values()))


def _offers(kind, fetch):
    def refresh(supplier, connector, skus):
        rows = {o.id: Offer(supplier=supplier, kind=kind, remote_id=o.id[:64], sku_code=o.sku[:64],
                            price=amount(o.price), quantity=o.quantity, applied_on=o.applied_on,
                            starts_at=o.starts_at, ends_at=o.ends_at)
                for o in getattr(connector, fetch)() if o.id}
        return _replace(Offer, supplier, list(rows.values()), kind=kind)
    return refresh


def _tiers(supplier, connector, skus):
    rows = {(t.sku, t.quantity): TierDiscount(supplier=supplier, sku_code=t.sku[:64], quantity=t.quantity,
                                              rate=amount(t.rate))
            for tiers in connector.tiers(skus).values() for t in tiers if t.quantity and amount(t.rate) is not None}
    return _replace(TierDiscount, supplier, list(rows.values()))


def _replace(model, supplier, rows, **scope):
    model.objects.filter(supplier=supplier, **scope).delete()
    model.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def amount(text):
    """A Decimal of up to two decimals from the text sent, or None when it is not one."""
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or abs(value) >= Decimal("1e12") or value != value.quantize(Decimal("0.01")):
        return None
    return value


REFRESHERS = [
    (Capability.AREAS, _areas),
    (Capability.RATINGS, _ratings),
    (Capability.ACCESSORIES, _accessories),
    (Capability.ACCESSORY_LINKS, _links),
    (Capability.WARRANTY, _warranty),
    (Capability.GROUP_BUYS, _offers(Offer.Kind.GROUP_BUY, "group_buys")),
    (Capability.SPECIALS, _offers(Offer.Kind.SPECIAL, "specials")),
    (Capability.TIERS, _tiers),
]
