"""The validation rules one by one, on content built in memory (no supplier, no database)."""
from decimal import Decimal

import pytest

from catalog.models import Category, CategoryParam
from catalog.validation import Rules, check_content, parse_prices
from procurement.suppliers.emall.wire import FINDING_CODES
from procurement.suppliers.records import PriceQuote

Type = CategoryParam.ValueType


def rules():
    leaf = Category(pk=1, code="A0201060102", name="激光打印机", is_leaf=True, is_active=True)
    retired = Category(pk=2, code="A0201060103", name="旧品目", is_leaf=True, is_active=False)
    params = {attribute_id: CategoryParam(category=leaf, attribute_id=attribute_id, name=name, value_type=kind,
                                           allowed_values=values, required=required)
              for attribute_id, name, kind, values, required in [
                  ("1001", "品牌", Type.ENUM, ["惠普", "奔图"], True),
                  ("2102", "打印速度", Type.NUMBER, [], False),
                  ("2103", "上市日期", Type.DATE, [], False),
                  ("2104", "网络打印", Type.BOOLEAN, [], False),
                  ("2721", "功能", Type.MULTI_ENUM, ["打印", "复印", "扫描"], False),
              ]}
    return Rules({leaf.code: leaf, retired.code: retired}, {1: params}, {"hp"}, {"C001"})


def content(**changes):
    base = {"name": "惠普 激光打印机 M1", "category": "A0201060102", "brand": "hp", "model": "M1",
            "url": "https://mall.example.cn/item/1", "introduction": "介绍", "images": ["https://img.example.cn/1.jpg"],
            "attachments": [], "promises": ["C001"], "attributes": {"1001": "惠普"}}
    return {**base, **changes}


def found(**changes):
    return {(f.rule, FINDING_CODES.get(f.rule, "")) for f in check_content(content(**changes), rules())}


def test_sound_content_has_no_findings():
    assert found() == set()


@pytest.mark.parametrize("changes, finding", [
    ({"brand": "unknown-brand"}, ("brand_unknown", "")),
    ({"promises": ["C001", "X999"]}, ("promise_unknown", "")),
    ({"category": "A0201060103"}, ("category_inactive", "5007")),
    ({"attachments": [{"url": "ftp://files.example.cn/manual.pdf"}]}, ("document_link", "5014")),
    ({"attachments": [{"url": "https://files.example.cn/manual.exe"}]}, ("document_format", "5015")),
    ({"introduction": ""}, ("required", "5006")),
    ({"images": []}, ("required", "5006")),
    ({"attributes": {}}, ("attribute_required", "5006")),
])
def test_each_rule_is_found_with_its_code(changes, finding):
    assert finding in found(**changes)


@pytest.mark.parametrize("attribute_id, value, allowed", [
    ("2102", "35", True), ("2102", "35.5", True), ("2102", "三十五", False), ("2102", "３５", False),
    ("2103", "2026-11-23", True), ("2103", "2026/11/23", False), ("2103", "2026-1-3", False),
    ("2104", "是", True), ("2104", "yes", False),
    ("2721", "打印, 扫描", True), ("2721", "打印,传真", False),
])
def test_values_are_checked_by_their_type(attribute_id, value, allowed):
    findings = found(attributes={"1001": "惠普", attribute_id: value})

    assert (("attribute_value", "") not in findings) == allowed


@pytest.mark.parametrize("item, price, mall_price, rule", [
    ({"price": "99.00", "mall_price": "120.00"}, Decimal("99.00"), Decimal("120.00"), None),
    ({"price": "", "mall_price": "120.00"}, None, Decimal("120.00"), "price_missing"),
    ({"price": "99.999", "mall_price": "120.00"}, None, Decimal("120.00"), "price_format"),
    ({"price": "九十九", "mall_price": "120.00"}, None, Decimal("120.00"), "price_format"),
    ({"price": "0", "mall_price": "120.00"}, Decimal("0"), Decimal("120.00"), "price_not_positive"),
    ({"price": "130.00", "mall_price": "120.00"}, Decimal("130.00"), Decimal("120.00"), "price_above_mall"),
])
def test_prices_are_exact_amounts_and_the_protocol_price_never_above_the_mall_price(item, price, mall_price, rule):
    parsed_price, parsed_mall_price, findings = parse_prices(PriceQuote(sku="SB1", **item))

    assert (parsed_price, parsed_mall_price) == (price, mall_price)
    assert [f.rule for f in findings] == ([rule] if rule else [])
