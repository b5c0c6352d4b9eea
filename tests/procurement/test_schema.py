"""The published OpenAPI document: every served §7.1 interface, with fields that match what we really send."""
import pytest
import yaml

from catalog.api import serializers as catalog_s
from procurement.api import serializers as s
from tests.catalog.factories import CategoryFactory, CategoryParamFactory
from tests.procurement.factories import AreaFactory, BrandFactory, PromiseFactory, SupplierAccountFactory

pytestmark = pytest.mark.django_db

SERVED = ["/gyssc/token", "/gyssc/platform/info", "/gyssc/platform/catalogs", "/gyssc/platform/getRegionPromise",
          "/catalogsParam", "/getAreas", "/brands"]


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_every_served_interface_is_documented_as_post_with_both_encodings(schema):
    for path in SERVED:
        operation = schema["paths"][path]["post"]
        assert set(operation["requestBody"]["content"]) == {"application/x-www-form-urlencoded", "application/json"}
        assert set(schema["paths"][path]) == {"post"}


def test_the_browsable_documentation_page_serves_its_assets_locally(client):
    page = client.get("/api/docs/").content.decode()

    assert "swagger-ui" in page
    assert "cdn." not in page


def fields(serializer_class):
    return set(serializer_class().fields)


def test_the_replies_carry_exactly_the_documented_fields(emall):
    account = SupplierAccountFactory()
    token = emall.token_for(account)
    leaf = CategoryFactory(interface_code="IT_LASER")
    CategoryParamFactory(category=leaf)
    AreaFactory()
    BrandFactory()
    PromiseFactory()

    def result(path, **extra):
        return emall.post(path, {"token": token, **extra})["result"]

    info = result("/gyssc/platform/info")
    catalogs = result("/gyssc/platform/catalogs", platformCode="TJ-DZMC")
    params = result("/catalogsParam", interfaceCode="IT_LASER")
    promises = result("/gyssc/platform/getRegionPromise")
    areas = result("/getAreas")
    brands = result("/brands")

    assert set(info) == fields(s.PlatformInfoResult) and set(info["platforms"][0]) == fields(s.PlatformItem)
    assert set(catalogs) == fields(catalog_s.CatalogsResult) and set(catalogs["catalogs"][0]) == fields(catalog_s.CatalogItem)
    assert set(params) == fields(catalog_s.CatalogsParamResult) and set(params["params"][0]) == fields(catalog_s.ParamItem)
    assert set(promises) == fields(catalog_s.PromiseResult) and set(promises["promises"][0]) == fields(catalog_s.PromiseItem)
    assert set(areas) == fields(catalog_s.AreasResult) and set(areas["areas"][0]) == fields(catalog_s.AreaItem)
    assert set(brands) == fields(catalog_s.BrandsResult) and set(brands["brands"][0]) == fields(catalog_s.BrandItem)
