"""Validation of incoming products: every broken rule becomes a Finding, in words and with its §6.2 code.

`Rules.load()` reads the reference data once (categories with their parameters, brands, promises),
so a page of a thousand SKUs is checked without a query per SKU.
"""
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.conf import settings

from catalog.content import LABELS
from catalog.models import Category, CategoryParam, Sku
from procurement.models import Brand, Promise

REQUIRED_FIELDS = ("name", "category", "brand", "model", "url", "introduction")
PRICE_RULES = frozenset({"price_missing", "price_format", "price_not_positive", "price_above_mall"})
_NUMBER_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # ASCII digits only: \d also takes full-width ones
_CENTS = Decimal("0.01")
_PRICE_MAX = Decimal("999999999999.99")
Type = CategoryParam.ValueType


@dataclass(frozen=True)
class Finding:
    """A broken rule, in words, with the field it concerns. (A protocol may have its own error code for a rule:
    the connector's `finding_codes` gives it, and the SKU's finding row keeps it.)"""

    rule: str
    message: str
    field: str = ""


class Rules:
    """The reference data products are checked against, read in three queries."""

    def __init__(self, categories, params, brands, promises):
        self.categories, self.params, self.brands, self.promises = categories, params, brands, promises

    @classmethod
    def load(cls):
        params = {}
        for param in CategoryParam.objects.all():
            params.setdefault(param.category_id, {})[param.attribute_id] = param
        categories = {c.code: c for c in Category.objects.all()}
        brands = set(Brand.objects.filter(is_active=True).values_list("code", flat=True))
        promises = set(Promise.objects.filter(is_active=True).values_list("code", flat=True))
        return cls(categories, params, brands, promises)

    def category(self, code):
        return self.categories.get(code)


def check_content(content, rules, profile=None, reachable=None):
    """Findings for a version's content (empty when it may be offered for review).

    `profile` (the connector's ContentProfile) adds its protocol's required and yes/no fields and a main image;
    `reachable` says which links opened ({url: (ok, detail)}, from catalog.sync.links).
    """
    findings = [_missing(name) for name in REQUIRED_FIELDS if not content.get(name)]
    findings += _check_lengths(content)
    if profile is not None:
        findings += _check_profile(content, profile, reachable or {})
    if not content.get("images"):
        findings.append(_missing("images"))
    findings += _check_category(content, rules)
    if content.get("brand") and content["brand"] not in rules.brands:
        findings.append(Finding("brand_unknown", f"品牌编码「{content['brand']}」不在电子卖场品牌库中", "brand"))
    findings += [
        Finding("promise_unknown", f"承诺/认证编码「{code}」不存在", "promises")
        for code in content.get("promises", []) if code not in rules.promises
    ]
    findings += [Finding("attribute_unreadable", problem, "attributes")
                 for problem in content.get("unreadable_attributes", [])]
    findings += _check_links(content)
    return findings


NAME_MAX = Sku._meta.get_field("name").max_length
ATTRIBUTE_ID_MAX = CategoryParam._meta.get_field("attribute_id").max_length


def _check_lengths(content):
    """What would not fit the columns it is kept in (on any database: SQLite would not say)."""
    findings = []
    if len(content.get("name", "")) > NAME_MAX:
        findings.append(Finding("too_long", f"商品名称超过 {NAME_MAX} 个字符（{len(content['name'])} 个）", "name"))
    for attribute_id in content.get("attributes") or {}:
        if len(attribute_id) > ATTRIBUTE_ID_MAX:
            findings.append(Finding("too_long", f"参数项 ID「{attribute_id[:20]}…」超过 {ATTRIBUTE_ID_MAX} 个字符"
                                                f"（{len(attribute_id)} 个）", "attributes"))
    return findings


def _check_profile(content, profile, reachable):
    labels = dict(profile.required)
    findings = [Finding("required", f"缺少必填项：{label}", key) for key, label in profile.required
                if not content.get(key)]
    findings += [Finding("flag_value", f"{labels.get(key, key)}应为 是 或 否，实为「{content[key]}」", key)
                 for key in profile.flags if content.get(key) and content[key] not in ("是", "否")]
    image = content.get(profile.main_image, "") if profile.main_image else ""
    if image and not is_web_url(image):
        findings.append(Finding("image_link", f"主图地址「{image}」不是合法的 http(s) 地址", profile.main_image))
    elif image and reachable.get(image, (True, ""))[0] is False:
        findings.append(Finding("main_image_unreachable",
                                f"主图「{image}」无法打开（{reachable[image][1]}）", profile.main_image))
    return findings


def _missing(name):
    return Finding("required", f"缺少必填项：{LABELS.get(name, name)}", name)


def _check_category(content, rules):
    code = content.get("category")
    if not code:
        return []
    category = rules.category(code)
    if category is None:
        return [Finding("category_unknown", f"品目「{code}」不存在", "category")]
    if not category.is_leaf:
        return [Finding("category_not_leaf", f"品目「{code} {category.name}」不是末级品目", "category")]
    if not category.is_active:
        return [Finding("category_inactive", f"品目「{code} {category.name}」已停用", "category")]
    return _check_attributes(content.get("attributes") or {}, rules.params.get(category.pk, {}))


def _check_attributes(attributes, params):
    findings = []
    for attribute_id, value in attributes.items():
        param = params.get(attribute_id)
        if param is None and len(attribute_id) <= ATTRIBUTE_ID_MAX:
            findings.append(Finding("attribute_unknown", f"参数项「{attribute_id}」不是该品目的标准参数项",
                                    f"attributes.{attribute_id}"))
        elif param is not None and value and not _value_allowed(param, value):
            findings.append(Finding("attribute_value", f"参数「{param.name}」的值「{value}」{_expected(param)}",
                                    f"attributes.{attribute_id}"))
    for attribute_id, param in params.items():
        if param.required and not attributes.get(attribute_id):
            findings.append(Finding("attribute_required", f"缺少必填参数「{param.name}」（{attribute_id}）",
                                    f"attributes.{attribute_id}"))
    return findings


def _value_allowed(param, value):
    kind = param.value_type
    if kind == Type.ENUM:
        return value in param.allowed_values
    if kind == Type.MULTI_ENUM:
        return all(part.strip() in param.allowed_values for part in value.split(","))
    if kind == Type.BOOLEAN:
        return value in ("是", "否")
    if kind == Type.NUMBER:
        return bool(_NUMBER_RE.fullmatch(value))
    if kind == Type.DATE:
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return len(value) == 10
    return not param.allowed_values or value in param.allowed_values


def _expected(param):
    if param.value_type in CategoryParam.CHOICE_TYPES or param.allowed_values:
        return "不在可选值内：" + "、".join(param.allowed_values)
    return {Type.BOOLEAN: "应为 是 或 否", Type.NUMBER: "应为数值", Type.DATE: "应为 yyyy-MM-dd 日期"}.get(
        param.value_type, "不合规"
    )


def _check_links(content):
    findings = []
    if content.get("url") and not is_web_url(content["url"]):
        findings.append(Finding("product_link", f"商品链接「{content['url']}」不是合法的 http(s) 地址", "url"))
    for url in content.get("images", []):
        if not is_web_url(url):
            findings.append(Finding("image_link", f"图片链接「{url}」不是合法的 http(s) 地址", "images"))
        elif _extension(url) not in settings.CATALOG_IMAGE_FORMATS:
            findings.append(Finding("image_format", f"图片「{url}」格式不允许（允许："
                                    f"{'、'.join(settings.CATALOG_IMAGE_FORMATS)}）", "images"))
    for document in content.get("attachments", []):
        url = document.get("url", "")
        if not is_web_url(url):
            findings.append(Finding("document_link", f"文档链接「{url}」不是合法的 http(s) 地址", "attachments"))
        elif _extension(url) not in settings.CATALOG_DOCUMENT_FORMATS:
            findings.append(Finding("document_format", f"文档「{url}」格式不允许（允许："
                                    f"{'、'.join(settings.CATALOG_DOCUMENT_FORMATS)}）", "attachments"))
    return findings


_WHITESPACE = re.compile(r"\s")


def is_web_url(text):
    if not isinstance(text, str) or len(text) > 500 or _WHITESPACE.search(text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _extension(url):
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def parse_prices(quote):
    """(price, mall_price, findings) from a PriceQuote; an unusable amount is None with its finding."""
    price, price_problem = _amount(quote.price, "协议价")
    mall_price, mall_problem = _amount(quote.mall_price, "商城售价（市场价）")
    findings = [problem for problem in (price_problem, mall_problem) if problem]
    findings += check_prices(price, mall_price)
    return price, mall_price, findings


def check_prices(price, mall_price):
    if price is not None and price <= 0:
        return [Finding("price_not_positive", f"协议价 {price} 必须大于 0", "price")]
    if price is not None and mall_price is not None and price > mall_price:
        return [Finding("price_above_mall", f"协议价 {price} 高于商城售价 {mall_price}", "price")]
    return []


def _amount(text, label):
    if not text:
        return None, Finding("price_missing", f"缺少{label}", "price")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None, Finding("price_format", f"{label}「{text}」不是金额", "price")
    if not amount.is_finite() or abs(amount) > _PRICE_MAX or amount != amount.quantize(_CENTS):
        return None, Finding("price_format", f"{label}「{text}」不是最多两位小数的金额", "price")
    return amount, None
