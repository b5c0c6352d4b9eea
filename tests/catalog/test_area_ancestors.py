"""§7.1.4 for an area: its ancestors come with it in one query, not one query per level."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.api import queries
from procurement.models import Area
from tests.procurement.factories import PromiseFactory

pytestmark = pytest.mark.django_db


def test_a_county_and_its_ancestors_are_read_in_one_query():
    province = Area.objects.create(code="120000", name="天津市", level=1)
    city = Area.objects.create(code="120100", name="天津市市辖区", level=2, parent=province)
    Area.objects.create(code="120116", name="滨海新区", level=3, parent=city)
    PromiseFactory(code="C003").areas.add(province)

    with CaptureQueriesContext(connection) as captured:
        result = queries.promises(kind="", area_code="120116")

    area_reads = [q["sql"] for q in captured.captured_queries
                  if 'FROM "procurement_area"' in q["sql"] and "promise_areas" not in q["sql"]]  # not the prefetch
    assert len(area_reads) == 1
    assert [p["code"] for p in result["promises"]] == ["C003"]
