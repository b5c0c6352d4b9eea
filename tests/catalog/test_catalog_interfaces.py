"""§7.1.2, §7.1.3, §7.1.5: platform info, the category tree and the standard parameters, with versions."""
import pytest
from django.db import DatabaseError

from catalog.models import Category, CategoryParam
from catalog.services import category_bump_versions
from procurement.models import Platform
from tests.catalog.factories import CategoryFactory, CategoryParamFactory
from tests.procurement.factories import PlatformFactory, SupplierAccountFactory, SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def laser_printer():
    root = CategoryFactory(code="A02", interface_code="EQUIP", name="设备")
    leaf = CategoryFactory(code="A0201060102", interface_code="IT_LASER", name="激光打印机", parent=root)
    CategoryParamFactory(category=leaf, attribute_id="1001", name="品牌", allowed_values=["惠普", "奔图"], order=1)
    CategoryParamFactory(category=leaf, attribute_id="2102", name="打印速度", value_type="number",
                         allowed_values=[], unit="页/分钟", required=False, order=2)
    return leaf


def test_platform_info_names_the_platforms_the_supplier_is_admitted_to(emall):
    other = Platform.objects.create(code="BH-DZMC", name="滨海新区电子卖场")
    account = SupplierAccountFactory(supplier=SupplierFactory(platforms=[PlatformFactory(), other]))

    result = emall.post("/gyssc/platform/info", {"token": emall.token_for(account)})["result"]

    assert result["supplierCode"] == account.supplier.code
    assert result["platforms"] == [
        {"platformCode": "BH-DZMC", "platformName": "滨海新区电子卖场"},
        {"platformCode": "TJ-DZMC", "platformName": "天津市政府采购电子卖场"},
    ]


def test_catalogs_lists_the_tree_with_each_category_version(emall, token, laser_printer):
    result = emall.post("/gyssc/platform/catalogs", {"token": token, "platformCode": "TJ-DZMC"})["result"]

    assert result["total"] == 2
    assert result["catalogs"] == [
        {"id": laser_printer.parent_id, "code": "A02", "interfaceCode": "EQUIP", "name": "设备", "parentCode": None,
         "level": 1, "isLeaf": False, "version": 1},
        {"id": laser_printer.pk, "code": "A0201060102", "interfaceCode": "IT_LASER", "name": "激光打印机",
         "parentCode": "A02", "level": 2, "isLeaf": True, "version": 1},
    ]


def test_catalogs_pages_and_filters_by_parent(emall, token):
    root = CategoryFactory(code="B01")
    for n in range(5):
        CategoryFactory(code=f"B01{n:02d}", parent=root)

    page = emall.post("/gyssc/platform/catalogs",
                      {"token": token, "platformCode": "TJ-DZMC", "parentCode": "B01", "pageNo": 2, "pageSize": 2})

    assert page["result"]["total"] == 5
    assert [c["code"] for c in page["result"]["catalogs"]] == ["B0102", "B0103"]


def test_catalogs_leaves_out_disabled_categories(emall, token, laser_printer):
    Category.objects.filter(pk=laser_printer.pk).update(is_active=False)

    result = emall.post("/gyssc/platform/catalogs", {"token": token, "platformCode": "TJ-DZMC"})["result"]

    assert [c["code"] for c in result["catalogs"]] == ["A02"]


def test_catalogs_without_platform_code_is_5006(emall, token):
    assert emall.post("/gyssc/platform/catalogs", {"token": token})["code"] == "5006"


@pytest.mark.parametrize("platform_code", ["NOPE", "BH-DZMC"], ids=["unknown", "not-admitted"])
def test_catalogs_for_a_platform_the_supplier_is_not_in_is_5013(emall, token, platform_code):
    Platform.objects.create(code="BH-DZMC", name="滨海新区电子卖场")

    reply = emall.post("/gyssc/platform/catalogs", {"token": token, "platformCode": platform_code})

    assert reply["code"] == "5013"


def test_catalogs_with_an_unknown_parent_is_5007(emall, token):
    reply = emall.post("/gyssc/platform/catalogs", {"token": token, "platformCode": "TJ-DZMC", "parentCode": "Z9"})

    assert reply["code"] == "5007"


@pytest.mark.parametrize("lookup", ["catalogId", "interfaceCode"])
def test_catalogs_param_gives_the_standard_parameters_in_order(emall, token, laser_printer, lookup):
    value = laser_printer.pk if lookup == "catalogId" else "IT_LASER"

    result = emall.post("/catalogsParam", {"token": token, lookup: value})["result"]

    assert result["catalogId"] == laser_printer.pk
    assert result["version"] == 1
    assert result["params"] == [
        {"attributeID": "1001", "attributeName": "品牌", "required": True, "valueType": "enum",
         "values": ["惠普", "奔图"], "unit": "", "order": 1},
        {"attributeID": "2102", "attributeName": "打印速度", "required": False, "valueType": "number",
         "values": [], "unit": "页/分钟", "order": 2},
    ]


def test_catalogs_param_without_id_or_interface_code_is_5008(emall, token):
    assert emall.post("/catalogsParam", {"token": token})["code"] == "5008"


@pytest.mark.parametrize("params", [{"catalogId": "999999"}, {"catalogId": "abc"}, {"interfaceCode": "NOPE"}])
def test_catalogs_param_for_an_unknown_category_is_5007(emall, token, params):
    assert emall.post("/catalogsParam", {"token": token, **params})["code"] == "5007"


def test_catalogs_param_for_a_disabled_category_is_5007(emall, token, laser_printer):
    Category.objects.filter(pk=laser_printer.pk).update(is_active=False)

    assert emall.post("/catalogsParam", {"token": token, "interfaceCode": "IT_LASER"})["code"] == "5007"


def test_catalogs_param_for_a_stale_version_is_5010(emall, token, laser_printer):
    category_bump_versions([laser_printer.pk])

    stale = emall.post("/catalogsParam", {"token": token, "interfaceCode": "IT_LASER", "version": 1})
    current = emall.post("/catalogsParam", {"token": token, "interfaceCode": "IT_LASER", "version": 2})

    assert stale["code"] == "5010"
    assert current["result"]["version"] == 2


def test_catalogs_param_for_a_category_without_parameters_is_5011(emall, token, laser_printer):
    assert emall.post("/catalogsParam", {"token": token, "interfaceCode": "EQUIP"})["code"] == "5011"


def test_catalogs_param_with_a_broken_definition_is_5012(emall, token, laser_printer):
    CategoryParam.objects.filter(attribute_id="1001").update(allowed_values=[])

    reply = emall.post("/catalogsParam", {"token": token, "interfaceCode": "IT_LASER"})

    assert reply["code"] == "5012"
    assert "1001" in reply["desc"]


def test_catalogs_param_when_the_parameter_store_fails_is_5012(emall, token, laser_printer, monkeypatch):
    def failing_filter(*args, **kwargs):
        raise DatabaseError("relation is locked")

    monkeypatch.setattr(CategoryParam.objects, "filter", failing_filter)

    assert emall.post("/catalogsParam", {"token": token, "interfaceCode": "IT_LASER"})["code"] == "5012"
