"""The docking test cases of the mall standard (seed 001 §2, docs/mall-supplier-contract.md), in report order:
the required interfaces first, the 非必需 (☆) ones after (a ☆ failure is listed but does not fail the run, unless
staff mark that case required for the supplier).

CONTRACT_VERSION is the version docs/mall-supplier-contract.md states under its title (合同版本): change both
together; a run of another version cannot earn the trust mark.
"""
from django.conf import settings

from catalog.sync.pools import pool_problems
from procurement.docking import checks_catalog as catalog
from procurement.docking import checks_orders as orders
from procurement.docking import checks_robust as robust
from procurement.docking import checks_token as token
from procurement.docking.cases import Case, expect
from procurement.suppliers.base import Capability
from procurement.suppliers.mall import wire
from procurement.suppliers.remote_areas import remote_areas_match

CONTRACT_VERSION = "mall-1.0"


def offered_skus(ctx, connector):
    """SKUs of the test environment's pools (§2.3, §2.4), pool by pool, until enough for every case."""
    found = {}
    for pool, _name in wire.read_pools(connector.authorised("pools", {})):
        page, page_count = 1, 1
        while page <= page_count and len(found) < settings.DOCKING_MIN_SKUS:
            result = connector.authorised("skus", {"pool": pool, "pageNo": str(page), "pageSize": str(wire.PAGE_MAX)})
            skus, page_count = wire.read_sku_page(result if isinstance(result, dict) else {})
            found.update(dict.fromkeys(skus))
            page += 1
    return list(found)


def prepare_connector(ctx, connector):
    """Stock, warranty and orders are asked with the supplier's own county ids: the test environment's tree (§2.10),
    matched by name in memory (the supplier's stored mapping is production's)."""
    connector.area_ids = ctx.shared("area_ids", lambda: _area_ids(ctx))


def _area_ids(ctx):
    return remote_areas_match(ctx.supplier, ctx.connector(prepared=False).areas())


def pools_ours(ctx):
    pools = wire.read_pools(ctx.connector().authorised("pools", {}))
    expect(pools, "品目池接口（§2.3）没有返回任何品目池")
    problems = pool_problems(pools, ctx.rules())
    expect(not problems, "；".join(problems) + "（品目池 id 须为商城的末级品目编码）")
    return {"pools": len(pools)}


def areas_mapped(ctx):
    from procurement.models import Area

    matched = remote_areas_match(ctx.supplier, ctx.connector(prepared=False).areas())
    counties = dict(Area.objects.filter(level=Area.Level.COUNTY).values_list("code", "name"))
    unmatched = [f"{name}（{code}）" for code, name in sorted(counties.items()) if code not in matched]
    expect(not unmatched, f"地址接口（§2.10）的区县与商城的区县按名称对应不上：{catalog.named(unmatched)}；"
                          "请使用标准的区县中文名称")
    return {"counties": len(matched)}


def _first_sku(ctx):
    skus = ctx.skus()
    expect(skus, "测试环境的品目池中没有商品")
    return {"sku": skus[0]}


def _pools_call(ctx, connector):
    connector.authorised("pools", {})


def _answers(method):
    """A ☆ interface answers (for the sample where it takes SKUs)."""
    def check(ctx):
        connector = ctx.connector()
        sample = catalog.offered(ctx, ctx.sample_size)
        found = method(connector, sample)
        return {"items": len(found)}
    return check


def _reconciliation(connector, sample):
    from django.utils import timezone

    return connector.reconciliation(timezone.localdate()).rows


def optional(name, title, clause, method, capability):
    return Case(name, title, clause, _answers(method), required=False, capability=capability)


CASES = [
    Case("token_obtain", "获取令牌", "§2.2", token.token_obtained),
    Case("token_wrong_password", "错误密码被拒绝", "§2.2、合同 §20", token.wrong_password_refused(wire.CREDENTIALS_REFUSED_CODE)),
    Case("token_stale", "失效令牌答 token_expired", "§2.1、合同 §1", token.stale_token_expired("pools", lambda ctx: {})),
    Case("token_reused", "令牌可重复使用", "§2.2", token.token_reused(_pools_call)),
    Case("pools", "品目池属于商城品目", "§2.3", pools_ours),
    Case("areas", "地址与商城区县对应", "§2.10", areas_mapped),
    Case("sample_listable", "抽样商品符合上架校验", "§2.4–§2.7、合同 §21", catalog.sample_listable),
    Case("batch_full", "100 个一批每个商品一条", "§2.5–§2.9、合同 §1", catalog.full_batches),
    Case("batch_over", "101 个一批被拒绝", "合同 §1", catalog.over_batch_refused),
    Case("prices", "价格合规", "§2.9", catalog.prices_valid),
    Case("stock", "各地区库存", "§2.11", catalog.stock_per_area),
    Case("order_confirm", "预下单、查询、确认", "§2.12.1–§2.12.2、§2.13", orders.submit_query_confirm),
    Case("order_cancel", "确认前取消", "§2.12.3", orders.cancel_before_confirm),
    Case("order_cancel_confirmed", "确认后取消被拒绝", "§2.12.3", orders.cancel_after_confirm_refused,
         after=("order_confirm",)),
    Case("order_duplicate", "同一订单号重复提交不新建", "§2.12.1、合同 §23", orders.duplicate_submit),
    Case("order_logistics", "物流", "§2.15", orders.logistics(with_invoice=False)),
    Case("malformed", "参数有误时答失败报文", "§2.1、合同 §20", robust.malformed_answered((
        ("detail", {}, "缺少 sku"), ("prices", {"sku": ""}, "sku 为空"),
        ("skus", {"pool": "DOCKING-NO-SUCH-POOL"}, "不存在的品目池")))),
    Case("one_line", "回复为一行 JSON", "§2.1、合同 §1", robust.one_line_replies((
        ("pools", {}), ("prices", _first_sku), ("detail", _first_sku)))),
    Case("latency", "各接口响应时间", "合同 §32", robust.latency_within_threshold, runs_last=True),
    optional("ratings", "☆ 商品好评度", "§2.8", lambda c, skus: c.ratings(skus), Capability.RATINGS),
    optional("accessories", "☆ 配件服务", "§2.17", lambda c, skus: c.accessories(), Capability.ACCESSORIES),
    optional("warranty", "☆ 延保服务", "§2.19", lambda c, skus: c.warranty(skus, settings.DOCKING_ORDER_AREA_PATH[-1]),
             Capability.WARRANTY),
    optional("accessory_links", "☆ 配件服务关联", "§2.20.1", lambda c, skus: c.accessory_links(skus),
             Capability.ACCESSORY_LINKS),
    optional("group_buys", "☆ 团购商品", "§2.20.2", lambda c, skus: c.group_buys(), Capability.GROUP_BUYS),
    optional("specials", "☆ 特惠商品", "§2.20.3", lambda c, skus: c.specials(), Capability.SPECIALS),
    optional("tiers", "☆ 阶梯优惠率", "§2.20.4", lambda c, skus: c.tiers(skus), Capability.TIERS),
    optional("reconciliation", "☆ 对账", "§2.16", _reconciliation, Capability.RECONCILIATION),
    Case("invoice", "☆ 电子发票", "§2.21", orders.invoice_answers, required=False,
         capability=Capability.INVOICES),
]
