"""The mall standard's wire format (seed 001, docs/mall-supplier-contract.md): paths, field names, what they mean.

Replies are read into protocol-neutral records here and nowhere else. Where the contract and the seed's text or
the JD VOP family differ in a spelling, both are accepted (marketPrice / market_price / mall_price, attributeID /
attributeId, yes/no flags as 是/否, 1/0 or true/false).
"""
from datetime import datetime

from procurement.kernel.wire import SHANGHAI, parse_wire_date, parse_wire_time
from procurement.suppliers.records import (
    Accessory,
    AccessoryLinks,
    Attachment,
    Offer,
    PriceQuote,
    ProductAttributes,
    ProductDetail,
    ProductImages,
    Rating,
    RemoteArea,
    ShelfState,
    StockLevel,
    TierDiscount,
    WarrantyOffer,
    as_list,
    flag,
    text,
)

CONTRACT_VERSION = "mall-1.0"
LIST_SEPARATOR = ","
BATCH_MAX = 100
PAGE_MAX = 1000
TOKEN_EXPIRED_MARK = "token_expired"
CREDENTIALS_REFUSED_CODE = "1003"  # contract §20: a wrong account or password

PATHS = {
    "access_token": "/api/auth/access_token",
    "pools": "/api/product/pools",
    "skus": "/api/product/skus",
    "detail": "/api/product/detail",
    "shelf_states": "/api/product/shelf_states",
    "images": "/api/product/images",
    "ratings": "/api/product/ratings",
    "prices": "/api/product/prices",
    "areas": "/api/area/children",
    "stock": "/api/product/stock",
    "accessories": "/api/product/accessories",
    "warranty": "/api/product/warranty",
    "accessory_links": "/api/product/accessory_links",
    "group_buys": "/api/promotion/group_buys",
    "specials": "/api/promotion/specials",
    "tiers": "/api/promotion/tiers",
    "new_skus": "/api/product/new_skus",
    "modified_skus": "/api/product/modified_skus",
}

MARKET_PRICE_KEYS = ("marketPrice", "market_price", "mall_price")
# §2.5's flags, as the content keys they are stored under.
FLAG_FIELDS = {"energySaving": "energy_saving", "environmental": "environmental", "imported": "imported"}
SHELF_ON, SHELF_OFF = 1, 0


def token_expired(document):
    return TOKEN_EXPIRED_MARK in text(document.get("desc")) or text(document.get("code")) == "1004"


def read_pools(result):
    """[(pool id, name)] of §2.3."""
    return [(text(item.get("id")), text(item.get("name"))) for item in as_list(result)
            if isinstance(item, dict) and text(item.get("id"))]


def read_sku_page(result):
    """(SKU codes, page count) of one §2.4 page."""
    skus = [text(sku) for sku in as_list(result.get("skus")) if text(sku)]
    return skus, _integer(result.get("pageCount")) or 1


def read_listed_page(result):
    """([(sku, time)], page count) of one §2.22 / §2.23 page."""
    listed = []
    for item in as_list(result.get("skus")):
        sku = text(item.get("sku")) if isinstance(item, dict) else text(item)
        if sku:
            listed.append((sku, parse_time(item.get("time")) if isinstance(item, dict) else None))
    return listed, _integer(result.get("pageCount")) or 1


def read_detail(item):
    flags = {ours: _flag_text(item.get(theirs)) for theirs, ours in FLAG_FIELDS.items()}
    return ProductDetail(
        sku=text(item.get("sku")), name=text(item.get("name")), category=text(item.get("category")),
        brand=text(item.get("brand")), model=text(item.get("model")), unit=text(item.get("unit")),
        url=text(item.get("url")), introduction=text(item.get("introduction")),
        attachments=tuple(Attachment(text(a.get("name")), text(a.get("url")))
                          for a in as_list(item.get("attachments")) if isinstance(a, dict)),
        extra={"main_image": text(item.get("image")), "service": text(item.get("service")),
               "config": text(item.get("config")), **flags},
        attributes=ProductAttributes.read(item.get("sku"), item["params"]) if "params" in item else None,
    )


def _flag_text(value):
    """是 / 否 for a readable yes/no; otherwise the text as sent, for validation to name."""
    meaning = flag(value)
    return text(value) if meaning is None else ("是" if meaning else "否")


def read_shelf(item):
    said = text(item.get("state"))
    return ShelfState(sku=text(item.get("sku")), on={str(SHELF_ON): True, str(SHELF_OFF): False}.get(said), said=said)


def read_images(item):
    entries = []
    for position, image in enumerate(as_list(item.get("images"))):
        if isinstance(image, dict):
            order = image.get("order") if isinstance(image.get("order"), int) else position
            entries.append((0 if text(image.get("primary")) == "1" else 1, order, text(image.get("url"))))
        else:
            entries.append((1, position, text(image)))
    return ProductImages(sku=text(item.get("sku")), urls=tuple(url for _main, _order, url in sorted(entries)))


def read_price(item):
    market = next((item[key] for key in MARKET_PRICE_KEYS if key in item), None)
    return PriceQuote(sku=text(item.get("sku")), price=text(item.get("price")), mall_price=text(market))


def read_rating(item):
    return Rating(sku=text(item.get("sku")), score=text(item.get("score")), good=text(item.get("goodRate")),
                  neutral=text(item.get("generalRate")), bad=text(item.get("poorRate")))


def read_area(item, parent_id=""):
    return RemoteArea(id=text(item.get("id")), name=text(item.get("name")), level=_integer(item.get("level")) or 0,
                      parent_id=parent_id)


def read_stock(item, our_area):
    said = text(item.get("num"))
    return StockLevel(sku=text(item.get("sku")), area=our_area, quantity=int(said) if said.isdigit() else None,
                      said=said or text(item.get("state")))


def read_accessory(item):
    return Accessory(id=text(item.get("id")), is_service=text(item.get("type")).lower() == "service",
                     name=text(item.get("name")), params=text(item.get("params")), price=text(item.get("price")))


def read_links(item):
    ids = tuple(text(a.get("id")) if isinstance(a, dict) else text(a) for a in as_list(item.get("accessories")))
    return AccessoryLinks(sku=text(item.get("sku")), accessory_ids=tuple(i for i in ids if i))


def read_warranty(item, our_area):
    return [WarrantyOffer(sku=text(item.get("sku")), area=our_area, id=text(service.get("id")),
                          name=text(service.get("name")), content=text(service.get("content")),
                          price=text(service.get("price")))
            for service in as_list(item.get("services")) if isinstance(service, dict)]


def read_offer(kind, item):
    return Offer(kind=kind, id=text(item.get("id")), sku=text(item.get("sku")), price=text(item.get("price")),
                 quantity=_integer(item.get("quantity")), applied_on=_date(item.get("applyDate")),
                 starts_at=parse_time(item.get("startTime")), ends_at=parse_time(item.get("endTime")))


def read_tiers(item):
    return [TierDiscount(sku=text(item.get("sku")), quantity=_integer(tier.get("quantity")) or 0,
                         rate=text(tier.get("rate")))
            for tier in as_list(item.get("tiers")) if isinstance(tier, dict)]


def format_time(moment):
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def compact_time(moment):
    """`yyyyMMddHHmmss`, for ids the connector derives from a list entry's time."""
    return moment.astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S") if moment else ""


def parse_time(value):
    try:
        return parse_wire_time(text(value))
    except ValueError:
        return None


def _date(value):
    try:
        return parse_wire_date(text(value)[:10])
    except ValueError:
        return None


def _integer(value):
    try:
        return int(text(value))
    except ValueError:
        return None


def page_items(result):
    """(items, page count) of a paged object `{"items": [...], "pageCount": n}`."""
    return as_list(result.get("items")), _integer(result.get("pageCount")) or 1


def now_text():
    return format_time(datetime.now(tz=SHANGHAI))
