"""Catalog cases both standards share: a sample validated as listing validates it, full batches, prices, stock."""
from django.conf import settings

from catalog.content import content_merge
from catalog.sync.links import links_reachable
from catalog.validation import check_content, parse_prices
from procurement.docking.cases import CaseFailed, expect
from procurement.kernel import http

PART_LABELS = {"detail": "商品详情", "attributes": "商品参数", "promises": "商品承诺", "shelf": "上下架状态",
               "images": "图片", "prices": "价格"}
CONTENT_PARTS = ("detail", "attributes", "promises", "images")
SHOWN = 5  # SKUs named in a reason; the rest counted


def named(items):
    items = sorted(items)
    more = f" 等 {len(items)} 个" if len(items) > SHOWN else ""
    return "、".join(items[:SHOWN]) + more


def offered(ctx, count):
    """The first `count` SKUs of the test environment; CaseFailed when it offers fewer."""
    skus = ctx.skus()
    expect(len(skus) >= count, f"测试环境只提供了 {len(skus)} 个商品，本用例需要至少 {count} 个：请在测试环境准备"
                               f"至少 {settings.DOCKING_MIN_SKUS} 个商品")
    return skus[:count]


def sample_listable(ctx):
    """The sample through the content interfaces, checked by the very rules the listing applies."""
    connector, sample = ctx.connector(), offered(ctx, ctx.sample_size)
    fetched = {part: connector.fetch(part, sample) for part in connector.add_parts if part in CONTENT_PARTS}
    problems = []
    for part, answered in fetched.items():
        missing = [sku for sku in sample if sku not in answered]
        if missing:
            problems.append(f"{PART_LABELS[part]}接口没有返回 {named(missing)}")
    rules, reachable = ctx.rules(), main_images_reachable(ctx, connector, fetched)
    for sku in sample:
        if any(sku not in answered for answered in fetched.values()):
            continue
        content = content_merge({}, **{part: fetched[part][sku] for part in fetched})
        for finding in check_content(content, rules, connector.content_profile, reachable):
            problems.append(f"{sku}：{finding.message}")
    expect(not problems, f"抽样的 {len(sample)} 个商品中有不符合上架校验的内容（与审核前的校验相同）："
                         + "；".join(problems[:10]) + ("…" if len(problems) > 10 else ""))
    return {"sample": len(sample)}


def main_images_reachable(ctx, connector, fetched):
    """Whether the sample's main images open, for protocols that ask for it: checked as the sync checks them."""
    key = connector.content_profile.main_image
    if not key:
        return {}
    return links_reachable([detail.extra.get(key, "") for detail in fetched.get("detail", {}).values()],
                           ctx.supplier.code)


def full_batches(ctx):
    """A batch of 100 through every product interface: one row per SKU, none missing, none extra."""
    connector, skus = ctx.connector(), offered(ctx, 100)
    problems = []
    for part in connector.add_parts:
        answered = connector.fetch(part, skus)
        missing = [sku for sku in skus if sku not in answered]
        extra = connector.unasked.get(part, set())
        twice = [sku for (of, sku) in connector.unanswered if of == part]
        if missing:
            problems.append(f"{PART_LABELS[part]}：缺少 {named(missing)}")
        if extra:
            problems.append(f"{PART_LABELS[part]}：多出未请求的 {named(extra)}")
        if twice:
            problems.append(f"{PART_LABELS[part]}：{named(twice)} 出现两条不同的数据")
    expect(not problems, "一次查询 100 个商品时，回复应每个商品恰好一条：" + "；".join(problems))
    return {"batch": len(skus), "parts": len(connector.add_parts)}


def over_batch_refused(ctx):
    """101 SKUs in one call: the contracts say it is answered with a failure (success false and a desc)."""
    skus = ctx.skus()
    codes = (skus[:101] + [f"DOCKING-NO-SUCH-{n}" for n in range(101)])[:101]
    connector = ctx.connector()
    connector.batch_size = 101
    try:
        answered = connector.prices(codes)
    except http.Refused:
        return {"batch": 101}
    raise CaseFailed(f"一次查询 101 个商品时价格接口返回了成功（{len(answered)} 条）：合同规定一次最多 100 个，"
                     "多于 100 个应返回失败报文")


def prices_valid(ctx):
    """Every price of the batch: > 0, at most two decimals, not above the market / mall price."""
    connector, skus = ctx.connector(), offered(ctx, 100)
    problems = [f"{sku}：{finding.message}" for sku, quote in connector.prices(skus).items()
                for finding in parse_prices(quote)[2]]
    expect(not problems, f"{len(problems)} 个价格不合规：" + "；".join(problems[:10]))
    return {"prices": len(skus)}


def stock_per_area(ctx):
    """Stock of the sample for each of our areas the mall asks: a non-negative number for every SKU."""
    connector, sample = ctx.connector(), offered(ctx, ctx.sample_size)
    problems = []
    for area in settings.DOCKING_STOCK_AREAS:
        levels = connector.stock(sample, area)
        missing = [sku for sku in sample if sku not in levels]
        unreadable = [f"{sku}（「{level.said}」）" for sku, level in levels.items() if level.quantity is None]
        if missing:
            problems.append(f"地区 {area}：没有返回 {named(missing)}")
        if unreadable:
            problems.append(f"地区 {area}：库存不是非负整数：{named(unreadable)}")
    expect(not problems, "库存接口：" + "；".join(problems))
    return {"areas": len(settings.DOCKING_STOCK_AREAS), "skus": len(sample)}
