"""§7.1.4, §7.1.6, §7.1.7: promises, areas and brands as suppliers read them."""
import pytest

from procurement.models import Area, Promise
from tests.procurement.factories import BrandFactory, PromiseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tianjin():
    city = Area.objects.create(code="120000", name="天津市", level=1)
    urban = Area.objects.create(code="120100", name="天津市市辖区", level=2, parent=city)
    for code, name in [("120101", "和平区"), ("120116", "滨海新区")]:
        Area.objects.create(code=code, name=name, level=3, parent=urban)
    Area.objects.create(code="110000", name="北京市", level=1)
    return city


def test_areas_without_parent_are_the_first_level(emall, token, tianjin):
    result = emall.post("/getAreas", {"token": token})["result"]

    assert result["areas"] == [
        {"code": "110000", "name": "北京市", "level": 1, "parentCode": None},
        {"code": "120000", "name": "天津市", "level": 1, "parentCode": None},
    ]


def test_areas_of_a_parent_are_its_children(emall, token, tianjin):
    result = emall.post("/getAreas", {"token": token, "parentCode": "120100"})["result"]

    assert [(a["name"], a["level"], a["parentCode"]) for a in result["areas"]] == [
        ("和平区", 3, "120100"), ("滨海新区", 3, "120100"),
    ]


def test_areas_of_an_unknown_parent_is_an_error(emall, token):
    reply = emall.post("/getAreas", {"token": token, "parentCode": "999999"})

    assert reply["success"] is False
    assert reply["code"] == "5099"


def test_brands_page_and_search_in_both_names(emall, token):
    BrandFactory(code="lenovo", name="联想", english_name="Lenovo")
    BrandFactory(code="huawei", name="华为", english_name="HUAWEI")
    BrandFactory(code="hp", name="惠普", english_name="HP", is_active=False)

    everything = emall.post("/brands", {"token": token})["result"]
    by_english = emall.post("/brands", {"token": token, "name": "lenov"})["result"]
    by_chinese = emall.post("/brands", {"token": token, "name": "华"})["result"]
    second_page = emall.post("/brands", {"token": token, "pageNo": 2, "pageSize": 1})["result"]

    assert everything["total"] == 2
    assert by_english["brands"] == [{"code": "lenovo", "name": "联想", "englishName": "Lenovo"}]
    assert [b["code"] for b in by_chinese["brands"]] == ["huawei"]
    assert [b["code"] for b in second_page["brands"]] == ["lenovo"]


@pytest.mark.parametrize("page_size", [0, 1001, "many"])
def test_brands_with_an_unusable_page_size_is_refused(emall, token, page_size):
    reply = emall.post("/brands", {"token": token, "pageSize": page_size})

    assert reply["success"] is False
    assert reply["code"] == "5099"
    assert "pageSize" in reply["desc"]


def test_promises_cover_the_three_kinds(emall, token):
    PromiseFactory(code="C001", kind=Promise.Kind.COMMITMENT, name="正品保障承诺")
    PromiseFactory(code="R001", kind=Promise.Kind.CERTIFICATION, name="中国节能产品认证")
    PromiseFactory(code="S001", kind=Promise.Kind.SEVEN_DAY_RETURN, name="支持七天无理由退货")

    everything = emall.post("/gyssc/platform/getRegionPromise", {"token": token})["result"]["promises"]
    certifications = emall.post("/gyssc/platform/getRegionPromise",
                                {"token": token, "kind": "certification"})["result"]["promises"]

    assert {(p["code"], p["kindName"]) for p in everything} == {
        ("C001", "商品承诺"), ("R001", "产品认证"), ("S001", "七天无理由退货"),
    }
    assert [p["code"] for p in certifications] == ["R001"]


def test_promises_for_an_area_include_those_of_its_ancestors_and_the_national_ones(emall, token, tianjin):
    national = PromiseFactory(code="C001")
    tianjin_only = PromiseFactory(code="C003")
    tianjin_only.areas.add(tianjin)
    beijing_only = PromiseFactory(code="C004")
    beijing_only.areas.add(Area.objects.get(code="110000"))

    promises = emall.post("/gyssc/platform/getRegionPromise",
                          {"token": token, "areaCode": "120116"})["result"]["promises"]

    assert sorted(p["code"] for p in promises) == [national.code, tianjin_only.code]
    assert next(p for p in promises if p["code"] == "C003")["areaCodes"] == ["120000"]


def test_a_page_number_beyond_any_catalog_is_refused_not_a_crash(emall, token):
    reply = emall.post("/brands", {"token": token, "pageNo": 10**30})

    assert reply["code"] == "5099"
    assert "pageNo" in reply["desc"]
