"""A generated catalog for the sandbox suppliers of every protocol: what a supplier knows of each product.

Each protocol's sandbox renders these products in its own wire format (procurement/suppliers/<protocol>/sandbox.py).

Categories, parameters, brands and promises come from the mall's reference data
(procurement/demo/reference.json), so most products pass the mall's validation; `BREAKERS` spoil
chosen products so that each validation rule has a product that breaks it.
"""
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

REFERENCE_FILE = Path(__file__).resolve().parents[1] / "demo" / "reference.json"
SERIES = ["启天", "扬天", "擎云", "智云", "锐行", "星耀", "天逸", "博越", "睿智", "卓越", "劲速", "凌云"]
FEATURES = ["商用办公", "高性能", "节能环保", "国产化适配", "静音设计", "企业级", "经济实用", "耐用稳定"]


@dataclass
class Product:
    """Everything a sandbox supplier knows about one SKU.

    `detail` holds the descriptive fields (name, category, brand, model, unit, url, introduction, attachments)
    and `extra` the ones only some standards ask for (the mall standard's after-sales service, configuration,
    energy-saving / environmental / imported flags); `attributes` are {"attributeId", "value"} pairs, `images`
    {"url", "primary", "order"}; prices are the texts the supplier sends; `stock` is by the mall's area codes.
    """

    sku: str
    detail: dict
    attributes: list
    promises: list
    images: list
    price: str
    mall_price: str
    shelf: int = 1
    stock: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


class Reference:
    """The slice of the mall's reference data a supplier builds its products to."""

    def __init__(self, path=REFERENCE_FILE):
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        parents = {c.get("parentCode") for c in document["categories"]}
        self.leaves = [c for c in document["categories"] if c["code"] not in parents and c.get("params")]
        self.inner = [c for c in document["categories"] if c["code"] in parents]
        self.brands = document["brands"]
        self.promises = [p["code"] for p in document["promises"]]
        self.areas = [a["code"] for a in document["areas"]]
        # code, name, level (1 province, 2 city, 3 county) and parentCode: what a supplier's own area tree mirrors
        self.area_rows = document["areas"]


def generate(count, *, seed=7, base_url="https://mall.sandbox-supplier.cn", reference=None, broken=True,
             prefix="SB"):
    """`count` products keyed by SKU; with `broken`, every 25th one breaks a rule (in BREAKERS order)."""
    reference = reference or Reference()
    rng = random.Random(seed)
    products = {}
    for index in range(count):
        product = _product(f"{prefix}{index + 1:06d}", index, rng, reference, base_url)
        rule = broken_rule(index) if broken else None
        if rule:
            BREAKERS[rule](product, reference)
        products[product.sku] = product
    return products


def broken_rule(index):
    """The rule the product at `index` breaks (as `generate` spoils it), or None."""
    if index % 25 != 24:
        return None
    return list(BREAKERS)[(index // 25) % len(BREAKERS)]


def leaf_for(index, reference):
    """The leaf category `generate` gives the product at `index` (before any breaker spoils it)."""
    return reference.leaves[index % len(reference.leaves)]


def _product(sku, index, rng, reference, base_url):
    category = leaf_for(index, reference)
    brand = rng.choice(reference.brands)
    model = f"{rng.choice(SERIES)}{rng.choice('ABEMSXZ')}{rng.randint(100, 990)}"
    attributes = [_attribute(param, brand, model, rng) for param in category["params"]]
    mall_price = Decimal(rng.randint(3000, 2_000_000)) / 100
    price = (mall_price * Decimal(rng.randint(85, 99)) / 100).quantize(Decimal("0.01"))
    return Product(
        sku=sku,
        detail={
            "name": f"{brand['name']}（{brand.get('englishName') or brand['code']}）{category['name']} {model} "
                    f"{rng.choice(FEATURES)}",
            "category": category["code"],
            "brand": brand["code"],
            "model": model,
            "unit": "台" if category["code"].startswith("A02") else "件",
            "url": f"{base_url}/item/{sku}.html",
            "introduction": f"<p>{brand['name']}{category['name']}，型号 {model}，{rng.choice(FEATURES)}。</p>",
            "attachments": [{"name": "产品说明书", "url": f"{base_url}/docs/{sku}.pdf"}],
        },
        attributes=attributes,
        promises=sorted(rng.sample(reference.promises, k=min(2, len(reference.promises)))),
        images=[{"url": f"{base_url}/img/{sku}_{n}.jpg", "primary": 1 if n == 1 else 0, "order": n}
                for n in range(1, 4)],
        price=f"{price:.2f}",
        mall_price=f"{mall_price:.2f}",
        stock={area: rng.randint(0, 500) for area in reference.areas},
        extra={"service": "全国联保，整机保修三年，上门服务", "config": f"{model} 标准配置",
               "energySaving": rng.choice(["是", "否"]), "environmental": rng.choice(["是", "否"]),
               "imported": "否"},
    )


def _attribute(param, brand, model, rng):
    kind, values = param.get("valueType", "text"), param.get("values") or []
    if param["name"] == "品牌" and brand["name"] in values:
        value = brand["name"]
    elif kind == "enum":
        value = rng.choice(values)
    elif kind == "multi_enum":
        value = ",".join(rng.sample(values, k=min(2, len(values))))
    elif kind == "boolean":
        value = rng.choice(["是", "否"])
    elif kind == "number":
        value = str(rng.randint(1, 100))
    elif kind == "date":
        value = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    else:
        value = model if "型号" in param["name"] else f"{param['name']}{rng.randint(1, 9)}"
    return {"attributeId": param["attributeId"], "value": value}


def _first_required(product, reference, kinds=("enum",)):
    category = next(c for c in reference.leaves if c["code"] == product.detail["category"])
    return next(p for p in category["params"] if p.get("required") and p.get("valueType") in kinds)


def _missing_name(product, reference):
    product.detail["name"] = ""


def _inner_category(product, reference):
    product.detail["category"] = reference.inner[0]["code"]


def _unknown_category(product, reference):
    product.detail["category"] = "Z99999"


def _unknown_attribute(product, reference):
    product.attributes.append({"attributeId": "999999", "value": "任意"})


def _value_not_allowed(product, reference):
    param = _first_required(product, reference)
    for attribute in product.attributes:
        if attribute["attributeId"] == param["attributeId"]:
            attribute["value"] = "不在可选范围内的值"


def _required_missing(product, reference):
    param = _first_required(product, reference)
    product.attributes = [a for a in product.attributes if a["attributeId"] != param["attributeId"]]


def _price_not_positive(product, reference):
    product.price = "0.00"


def _price_above_mall(product, reference):
    product.price = f"{Decimal(product.mall_price) + Decimal('10.00'):.2f}"


def _bad_product_link(product, reference):
    product.detail["url"] = "javascript:alert(1)"


def _bad_image_link(product, reference):
    product.images[0]["url"] = "//img.example/no-scheme.jpg"


def _bad_image_format(product, reference):
    product.images[1]["url"] = product.images[1]["url"].rsplit(".", 1)[0] + ".tiff"


def _bad_document_format(product, reference):
    product.detail["attachments"][0]["url"] = product.detail["attachments"][0]["url"].rsplit(".", 1)[0] + ".exe"


# validation rule the product then breaks → how to spoil it
BREAKERS = {
    "required": _missing_name,
    "category_not_leaf": _inner_category,
    "category_unknown": _unknown_category,
    "attribute_unknown": _unknown_attribute,
    "attribute_value": _value_not_allowed,
    "attribute_required": _required_missing,
    "price_not_positive": _price_not_positive,
    "price_above_mall": _price_above_mall,
    "product_link": _bad_product_link,
    "image_link": _bad_image_link,
    "image_format": _bad_image_format,
    "document_format": _bad_document_format,
}
