"""A supplier's own area tree, mapped onto ours (seed 001 §2.10: 根据区县中文名做匹配): the only code that changes it.

Names are compared without their administrative suffix (天津市 / 天津, 和平区 / 和平), a county within its
province, and within its city where both sides have that city. Staff map by hand what did not match; their
mapping is kept when the tree is read again.
"""
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from procurement.models import Area, SupplierArea

Mapping = SupplierArea.Mapping
# Longest first: only one suffix is taken off a name.
SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "市辖区",
            "地区", "省", "市", "区", "县", "旗", "盟")


class AreaNotMapped(LookupError):
    """No area of the supplier's stands for this area of ours yet: staff map it in the admin."""


def plain_name(name):
    name = "".join(str(name).split())
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def remote_areas_store(supplier, remote_areas):
    """Store the tree the supplier sent and map what is not yet mapped; returns (stored, mapped, unmapped)."""
    now = timezone.now()
    with transaction.atomic():
        existing = {row.remote_id: row for row in
                    SupplierArea.objects.filter(supplier=supplier).select_related("area__parent__parent")}
        rows = []
        for remote in remote_areas:
            row = existing.get(remote.id) or SupplierArea(supplier=supplier, remote_id=remote.id)
            row.name, row.level, row.parent_remote_id, row.seen_at = remote.name[:100], remote.level, remote.parent_id, now
            rows.append(row)
        _map_by_name(rows)
        SupplierArea.objects.bulk_create([r for r in rows if r.pk is None])
        SupplierArea.objects.bulk_update([r for r in rows if r.pk is not None],
                                         ["name", "level", "parent_remote_id", "seen_at", "area", "mapped_by"])
    mapped = sum(1 for r in rows if r.area_id)
    return len(rows), mapped, len(rows) - mapped


def remote_areas_match(supplier, remote_areas):
    """{our area code: the supplier's county id} for a tree the supplier sent, matched by name as stored trees are,
    but kept in memory (the docking test tool's test environment; nothing is stored)."""
    rows = [SupplierArea(supplier=supplier, remote_id=r.id, name=r.name[:100], level=r.level, parent_remote_id=r.parent_id)
            for r in remote_areas]
    _map_by_name(rows)
    return {row.area.code: row.remote_id for row in rows if row.area is not None and row.level == Area.Level.COUNTY}


def remote_area_in(area_ids, supplier, area_code):
    """remote_area_id() over an in-memory match (remote_areas_match): the county, or the first county under it."""
    if area_code in area_ids:
        return area_ids[area_code]
    prefix = _division_prefix(area_code)
    under = sorted(code for code in area_ids if prefix and code.startswith(prefix))
    if under:
        return area_ids[under[0]]
    raise AreaNotMapped(f"电商 {supplier.code} 的地址中没有与卖场地区 {area_code} 对应的项")


def _division_prefix(area_code):
    """The part of a 6-digit division code (GB/T 2260) its counties share: 2 digits for a province (XX0000),
    4 for a city (XXXX00); '' for a county, which stands only for itself."""
    if area_code.endswith("0000"):
        return area_code[:2]
    if area_code.endswith("00"):
        return area_code[:4]
    return ""


def _map_by_name(rows):
    ours = {(a.level, a.parent_id, plain_name(a.name)): a for a in Area.objects.select_related("parent__parent")}
    by_parent_name = {}
    for area in ours.values():
        by_parent_name.setdefault((area.level, plain_name(area.name)), []).append(area)
    mapped = {}  # remote id → our Area, as the tree is walked from the top
    for row in sorted(rows, key=lambda r: r.level):
        if row.mapped_by == Mapping.STAFF:
            mapped[row.remote_id] = row.area
            continue
        parent = mapped.get(row.parent_remote_id)
        area = _match(row, parent, ours, by_parent_name)
        row.area, row.mapped_by = area, Mapping.AUTO if area else Mapping.NONE
        mapped[row.remote_id] = area


def _match(row, parent, ours, by_parent_name):
    """Our area of `row`'s level and name: under its mapped parent, else (counties) anywhere in the parent's
    province when the name is unique there, else (provinces) by name alone."""
    name = plain_name(row.name)
    if parent is not None:
        direct = ours.get((row.level, parent.pk, name))
        if direct is not None:
            return direct
    candidates = by_parent_name.get((row.level, name), [])
    if row.level == Area.Level.PROVINCE and len(candidates) == 1:
        return candidates[0]
    province = _province_of(parent)
    within = [a for a in candidates if province is not None and _province_of(a) == province]
    return within[0] if len(within) == 1 else None


def _province_of(area):
    while area is not None and area.level > Area.Level.PROVINCE:
        area = area.parent
    return area


def remote_area_map(row, area):
    """Staff say which area of ours a supplier's area stands for (None: not mapped)."""
    SupplierArea.objects.filter(pk=row.pk).update(area=area, mapped_by=Mapping.STAFF if area else Mapping.NONE)


def remote_area_id(supplier, area_code):
    """The supplier's county id for our area `area_code` (stock, warranty and orders are asked per county, §2.10):
    the county it maps to, or for a province or city the first mapped county under it."""
    counties = SupplierArea.objects.filter(supplier=supplier, area__isnull=False, level=Area.Level.COUNTY)
    under = Q(area__code=area_code) | Q(area__parent__code=area_code) | Q(area__parent__parent__code=area_code)
    found = counties.filter(under).order_by("area__code").values_list("remote_id", flat=True).first()
    if found:
        return found
    raise AreaNotMapped(f"电商 {supplier.code} 的地址中没有与卖场地区 {area_code} 对应的项：请在「电商地址对应」中对应")
