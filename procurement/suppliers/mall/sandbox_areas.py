"""The mall sandbox's own area tree (contract §10): our provinces, cities and counties under the supplier's ids.

A supplier numbers its areas its own way (JD-like running numbers: provinces from 1, cities from 100,
counties from 2800) and the mall matches them to its own by the county's Chinese name. With
`unmatched=True` some county names are spelled as a supplier might ("和平区" sent as "和平") and the last
county is sent under another name entirely, so a name match fails for those.
"""
from dataclasses import dataclass

FIRST_ID = {1: 1, 2: 100, 3: 2800}
SHORTENED_EVERY = 4  # every 4th county (in our code order) loses its 区/县 suffix when unmatched


@dataclass(frozen=True)
class SupplierArea:
    id: str
    name: str
    level: int  # 1 province, 2 city, 3 county
    parent_id: str  # "" for a province
    code: str  # our area code it stands for


class AreaTree:
    def __init__(self, area_rows):
        rows = sorted(area_rows, key=lambda row: (row["level"], row["code"]))
        ids = _supplier_ids(rows)
        self.areas = [SupplierArea(ids[row["code"]], row["name"], row["level"], ids.get(row.get("parentCode"), ""),
                                   row["code"]) for row in rows]
        self.by_id = {area.id: area for area in self.areas}
        self.id_by_code = {area.code: area.id for area in self.areas}
        self.unmatched_names = _unmatched_names([area for area in self.areas if area.level == 3])

    def children(self, parent_id, unmatched=False):
        """The §10 rows under `parent_id` ("" for the provinces); KeyError for an id the tree lacks."""
        if parent_id and parent_id not in self.by_id:
            raise KeyError(parent_id)
        return [{"id": area.id, "name": self.name(area, unmatched), "level": area.level}
                for area in self.areas if area.parent_id == parent_id]

    def name(self, area, unmatched=False):
        return self.unmatched_names.get(area.code, area.name) if unmatched else area.name

    def county(self, area_id):
        """The county behind a supplier id, or None (unknown id, or a province or city)."""
        area = self.by_id.get(area_id)
        return area if area is not None and area.level == 3 else None


def _supplier_ids(rows):
    ids, next_id = {}, dict(FIRST_ID)
    for row in rows:
        ids[row["code"]] = str(next_id[row["level"]])
        next_id[row["level"]] += 1
    return ids


def _unmatched_names(counties):
    """Our county code → the name sent with unmatched areas on: a few shortened, the last one renamed."""
    names = {county.code: county.name[:-1] for index, county in enumerate(counties)
             if index % SHORTENED_EVERY == 0 and len(county.name) > 2 and county.name[-1] in "区县"}
    if counties:
        last = counties[-1]
        names[last.code] = f"{last.name[0]}县" if not last.name.endswith("县") else f"{last.name[0]}新区"
    return names
