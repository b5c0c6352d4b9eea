"""The mall sandbox's data for the optional (☆) interfaces, made deterministically from the seed.

Ratings for every SKU (§8); a few dozen accessories and services (§12) and links to them for about a
third of the SKUs (§14); extended warranty for devices (categories under A02) by SKU and county (§13);
group-buy and special offers (§15, §16) for some SKUs, some over, some not yet started, and in each list one
priced above the agreement price; tiered discount rates for about a fifth of the SKUs (§17).
Each SKU's data comes from its own random stream, so it does not depend on how many products there are.
"""
import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from procurement.kernel.wire import format_wire_date, format_wire_time

ACCESSORIES = ["原装硒鼓", "原装墨盒", "无线鼠标", "有线键盘", "电源适配器", "内存条", "固态硬盘", "扩展坞", "显示器支架",
               "超五类网线", "USB 集线器", "笔记本电脑包", "防窥膜", "触控笔", "备用电池", "HDMI 线", "投影幕布",
               "激光翻页笔", "散热底座", "移动硬盘", "读卡器", "色带架", "碎纸机润滑油", "空调遥控器"]
SERVICES = ["上门安装", "数据迁移", "系统安装", "操作培训", "上门巡检", "旧机回收", "驻场服务", "远程运维"]
WARRANTY_CATEGORY_PREFIX = "A02"
WARRANTY_YEARS = (1, 2, 3)
OFFER_WINDOWS = ("current", "current", "over", "not_started")  # cycled through each offer list
GROUP_BUY_EVERY, GROUP_BUY_AT = 12, 5  # the product at index i has a group buy when i % 12 == 5
SPECIAL_EVERY, SPECIAL_AT = 14, 9


def stream(seed, topic, key=""):
    return random.Random(f"{seed}:{topic}:{key}")


def tenths(value):
    return f"{value // 10}.{value % 10}"


def rating(seed, sku):
    """Contract §8: a 5-point score and good / general / poor rates adding up to 100."""
    rng = stream(seed, "rating", sku)
    poor, general = rng.randint(0, 30), rng.randint(0, 80)
    return {"sku": sku, "score": tenths(rng.randint(30, 50)), "goodRate": tenths(1000 - poor - general),
            "generalRate": tenths(general), "poorRate": tenths(poor)}


def accessories(seed):
    """Contract §12: every accessory and service the supplier offers (P… accessories, V… services)."""
    rng = stream(seed, "accessories")
    items = [{"id": f"P{n:03d}", "type": "accessory", "name": name, "params": f"{rng.choice('黑白灰银')}色 标准规格",
              "price": f"{rng.randint(20, 900)}.00"} for n, name in enumerate(ACCESSORIES, 1)]
    items += [{"id": f"V{n:03d}", "type": "service", "name": name, "params": f"{rng.randint(1, 8)} 小时内响应",
               "price": f"{rng.randint(50, 600)}.00"} for n, name in enumerate(SERVICES, 1)]
    return items


def accessory_links(seed, sku, items):
    """Contract §14: the accessories and services linked to `sku` (none for about two thirds of the SKUs)."""
    rng = stream(seed, "links", sku)
    if rng.random() >= 0.35:
        return []
    return [{"id": item["id"], "name": item["name"]} for item in rng.sample(items, k=rng.randint(1, 3))]


def warranty(seed, product, county_code):
    """Contract §13: extended warranty for devices; which years and at what price depends on the county."""
    if not product.detail.get("category", "").startswith(WARRANTY_CATEGORY_PREFIX):
        return []
    rng = stream(seed, "warranty", f"{product.sku}:{county_code}")
    base = max(Decimal(product.mall_price) * Decimal("0.04"), Decimal("30"))
    years = WARRANTY_YEARS[:rng.randint(1, len(WARRANTY_YEARS))]
    return [{"id": f"W{year}", "name": f"延保 {year} 年", "content": f"整机延长保修 {year} 年，含上门服务",
             "price": f"{base * year * Decimal(rng.randint(90, 110)) / 100:.2f}"} for year in years]


def tiers(seed, sku):
    """Contract §17: buy at least `quantity` for `rate`% off (none for about four fifths of the SKUs)."""
    rng = stream(seed, "tiers", sku)
    if rng.random() >= 0.2:
        return []
    rates = sorted(rng.sample(range(2, 15), k=rng.randint(2, 3)))
    return [{"quantity": quantity, "rate": f"{rate}.00"} for quantity, rate in zip((10, 50, 100), rates, strict=False)]


def offers(products, seed, started, kind):
    """Contract §15 (kind "group_buy") or §16 ("special") rows, dated around the day the sandbox started."""
    every, at, prefix = (GROUP_BUY_EVERY, GROUP_BUY_AT, "G") if kind == "group_buy" else (SPECIAL_EVERY, SPECIAL_AT, "S")
    chosen = [p for index, p in enumerate(products.values()) if index % every == at and Decimal(p.price) > 0]
    midnight = datetime.combine(started.date(), time(), tzinfo=started.tzinfo)
    return [_offer(f"{prefix}{n}", product, stream(seed, kind, product.sku), midnight, n, kind == "group_buy")
            for n, product in enumerate(chosen, 1)]


def _offer(offer_id, product, rng, midnight, n, group_buy):
    start, end = _window(OFFER_WINDOWS[(n - 1) % len(OFFER_WINDOWS)], rng, midnight)
    factor = Decimal("1.10") if n == 2 else Decimal(rng.randint(85, 97)) / 100  # the second is above the agreement
    row = {"id": offer_id, "sku": product.sku, "price": f"{Decimal(product.price) * factor:.2f}"}
    if group_buy:
        row["quantity"] = rng.choice((20, 50, 100, 200))
    row.update(applyDate=format_wire_date(start - timedelta(days=rng.randint(3, 7))),
               startTime=format_wire_time(start), endTime=format_wire_time(end))
    return row


def _window(which, rng, midnight):
    day = timedelta(days=1)
    if which == "over":
        return midnight - 40 * day, midnight - rng.randint(1, 10) * day
    if which == "not_started":
        return midnight + rng.randint(3, 10) * day, midnight + 40 * day
    return midnight - rng.randint(1, 10) * day, midnight + rng.randint(10, 40) * day
