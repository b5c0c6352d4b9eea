"""A sandbox product as each batch interface of docs/mall-supplier-contract.md sends it, one row per SKU."""
from decimal import Decimal, InvalidOperation

from procurement.suppliers.mall.sandbox_files import absolute


def detail(product, base_url):
    """Contract §5, every field in the order the table gives them; parameters under the seed's `attributeID`."""
    facts, extra = product.detail, product.extra
    return {
        "sku": product.sku, "url": absolute(base_url, facts.get("url", "")), "model": facts.get("model", ""),
        "image": absolute(base_url, main_image(product)), "brand": facts.get("brand", ""),
        "name": facts.get("name", ""), "unit": facts.get("unit", ""), "category": facts.get("category", ""),
        "service": extra.get("service", ""), "introduction": facts.get("introduction", ""),
        "config": extra.get("config", ""), "energySaving": extra.get("energySaving", ""),
        "environmental": extra.get("environmental", ""), "imported": extra.get("imported", ""),
        "params": [{"attributeID": a["attributeId"], "value": a["value"]} for a in product.attributes],
        "attachments": [{"name": a.get("name", ""), "url": absolute(base_url, a.get("url", ""))}
                        for a in facts.get("attachments", [])],
    }


def main_image(product):
    """The primary image's address (the first by order when none is marked primary), "" without images."""
    ordered = sorted(product.images, key=lambda image: (image.get("primary") != 1, image.get("order", 0)))
    return ordered[0]["url"] if ordered else ""


def shelf(product):
    return {"sku": product.sku, "state": product.shelf}


def images(product, base_url):
    return {"sku": product.sku, "images": [{**image, "url": absolute(base_url, image["url"])}
                                           for image in product.images]}


def prices(product):
    return {"sku": product.sku, "price": product.price, "marketPrice": product.mall_price}


def stock(product, county, empty=False):
    """Contract §11 in a supplier county; `empty`: out of stock there whatever the product's figure."""
    num = 0 if empty else max(0, int(product.stock.get(county.code, 0)))
    return {"sku": product.sku, "area": county.id, "num": num, "state": "有货" if num else "无货"}


def money_plus_one(value):
    try:
        return f"{Decimal(value) + 1:.2f}"
    except (InvalidOperation, TypeError):
        return f"{value}9"


# How the second row of a conflicting SKU differs from the first: the first key of these the row has.
SCALAR_CONFLICTS = {
    "name": lambda value: f"{value}（另一版本）",
    "price": money_plus_one,
    "num": lambda value: value + 1,
    "state": lambda value: 1 - value if isinstance(value, int) else "无货" if value == "有货" else "有货",
    "score": lambda value: "1.0" if value != "1.0" else "5.0",
}
LIST_FILLERS = {
    "images": {"url": "", "primary": 0, "order": 1},
    "services": {"id": "W0", "name": "延保", "content": "", "price": "1.00"},
    "accessories": {"id": "P000", "name": "配件"},
    "tiers": {"quantity": 1, "rate": "1.00"},
}


def conflicting(row):
    """The same SKU's row with another value: what an ambiguous batch reply holds."""
    for key, change in SCALAR_CONFLICTS.items():
        if key in row:
            return {**row, key: change(row[key])}
    for key, filler in LIST_FILLERS.items():
        if key in row:
            return {**row, key: row[key][:-1] if row[key] else [filler]}
    return dict(row)
