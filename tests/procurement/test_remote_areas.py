"""A test environment's area tree, matched in memory: our area code → the supplier's county, as the stored
mapping answers (a county only for itself; a city or province by the first county under it)."""
from types import SimpleNamespace

import pytest

from procurement.suppliers.remote_areas import AreaNotMapped, remote_area_in

SUPPLIER = SimpleNamespace(code="TEST-MALL")
MATCHED = {"120101": "r-heping", "120111": "r-xiqing", "510104": "r-jinjiang"}


@pytest.mark.parametrize("ours, theirs", [("120101", "r-heping"), ("120100", "r-heping"), ("120000", "r-heping"),
                                          ("510000", "r-jinjiang")])
def test_a_county_is_itself_and_a_city_or_province_its_first_county(ours, theirs):
    assert remote_area_in(MATCHED, SUPPLIER, ours) == theirs


@pytest.mark.parametrize("ours", ["120110", "500000", "120200"])
def test_an_unmatched_county_or_a_division_without_counties_is_not_a_neighbours(ours):
    with pytest.raises(AreaNotMapped, match=ours):
        remote_area_in(MATCHED, SUPPLIER, ours)
