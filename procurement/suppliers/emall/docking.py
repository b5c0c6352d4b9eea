"""The docking test cases of the e-mall standard (seed 000 §7.2, docs/supplier-contract.md), in report order.

CONTRACT_VERSION is the version docs/supplier-contract.md states under its title (合同版本): change both together;
a run of another version cannot earn the trust mark.
"""
from procurement.docking import checks_catalog as catalog
from procurement.docking import checks_orders as orders
from procurement.docking import checks_robust as robust
from procurement.docking import checks_token as token
from procurement.docking.cases import Case, CaseFailed, expect
from procurement.suppliers.base import Capability
from procurement.suppliers.emall.wire import ErrorCode
from procurement.suppliers.records import ChangeKind

CONTRACT_VERSION = "emall-1.0"
POOL_READ = 1000  # getMessagePool's largest page (§3)


def offered_skus(ctx, connector):
    """The SKUs the test environment announces in its message pool (type 6 added first), in pool order."""
    page = connector.changes("", POOL_READ)
    added = [event.sku for event in page.events if event.kind is ChangeKind.ADDED]
    return list(dict.fromkeys(added + [event.sku for event in page.events]))


def _one_message(ctx):
    return {"size": "1"}


def _first_sku(ctx):
    skus = ctx.skus()
    expect(skus, "测试环境的消息池中没有商品")
    return {"sku": skus[0]}


def _pool_call(ctx, connector):
    connector.authorised("getMessagePool", {"size": "1"})


def messages_well_formed(ctx):
    page = ctx.connector().changes("", POOL_READ)
    expect(page.events or page.unreadable, "消息池为空：请在测试环境准备商品（每个商品一条 type 6 消息）后再测")
    expect(not page.unreadable, f"{page.unreadable} 条消息缺少可用的 id、type 或 sku（§3：每条消息须有这三项）")
    odd = [f"{event.id}（{event.problem}）" for event in page.events if event.problem]
    odd += [f"{event.id}（缺少或无法识别 time）" for event in page.events if event.time is None]
    expect(not odd, "消息内容不合规：" + "；".join(odd[:5]))
    return {"messages": len(page.events)}


def delete_idempotent(ctx):
    connector = ctx.connector()
    events = connector.changes("", POOL_READ).events
    expect(events, "消息池为空，无法测试删除消息")
    chosen = events[-1].id
    connector.acknowledge([chosen])
    try:
        connector.acknowledge([chosen])
    except Exception as error:  # noqa: BLE001 - any failure of the second delete is the finding
        raise CaseFailed(f"再次删除已删除的消息 {chosen} 返回了失败（{error}）：§4 规定删除已删除的 id 不是错误") from None
    back = [event.id for event in connector.changes("", POOL_READ).events if event.id == chosen]
    expect(not back, f"消息 {chosen} 已删除（delMessagePool 返回成功），再次读取消息池时它又出现了")
    return {"deleted": chosen}


def unknown_id_accepted(ctx):
    connector = ctx.connector()
    unknown = f"DOCKING-UNKNOWN-{ctx.run.pk}"
    try:
        connector.acknowledge([unknown])
    except Exception as error:  # noqa: BLE001
        raise CaseFailed(f"删除不存在的消息 id「{unknown}」返回了失败（{error}）：§4 规定删除不存在的 id 不是错误，"
                         "应返回成功（deleted 为 0）") from None
    return {}


CASES = [
    Case("token_obtain", "获取令牌", "§7.2.1", token.token_obtained),
    Case("token_wrong_password", "错误密码被拒绝", "§7.2.1、§6.2", token.wrong_password_refused(ErrorCode.WRONG_PASSWORD.value)),
    Case("token_stale", "失效令牌答 token_expired", "§6.1、合同 §1", token.stale_token_expired("getMessagePool", _one_message)),
    Case("token_reused", "令牌可重复使用", "§7.2.1", token.token_reused(_pool_call)),
    Case("messages_format", "消息格式", "§7.2.2", messages_well_formed),
    Case("messages_delete", "删除消息（幂等、不再出现）", "§7.2.10", delete_idempotent),
    Case("messages_unknown_id", "删除不存在的消息", "§7.2.10", unknown_id_accepted),
    Case("sample_listable", "抽样商品符合上架校验", "§7.2.3–§7.2.5、§6.2", catalog.sample_listable),
    Case("batch_full", "100 个一批每个商品一条", "§7.2.3–§7.2.9、合同 §1", catalog.full_batches),
    Case("batch_over", "101 个一批被拒绝", "合同 §1", catalog.over_batch_refused),
    Case("prices", "价格合规", "§7.2.9", catalog.prices_valid),
    Case("stock", "各地区库存", "§7.2.7", catalog.stock_per_area),
    Case("order_confirm", "预下单、查询、确认", "§7.2.11–§7.2.12、合同 §18", orders.submit_query_confirm),
    Case("order_cancel", "确认前取消", "合同 §17", orders.cancel_before_confirm,
         capability=Capability.ORDER_CANCEL),
    Case("order_cancel_confirmed", "确认后取消被拒绝", "合同 §17", orders.cancel_after_confirm_refused,
         after=("order_confirm",), capability=Capability.ORDER_CANCEL),
    Case("order_duplicate", "同一订单号重复提交不新建", "§7.2.11、合同 §15", orders.duplicate_submit),
    Case("order_logistics_invoice", "物流与发票", "合同 §19、§22", orders.logistics(with_invoice=True),
         capability=Capability.ORDER_TRACK),
    Case("malformed", "参数有误时答失败报文", "§6.1、§6.2", robust.malformed_answered((
        ("detail_standard", {}, "缺少 sku"), ("prices", {"sku": ""}, "sku 为空"),
        ("delMessagePool", {}, "缺少 id")))),
    Case("one_line", "回复为一行 JSON", "§6.1 注", robust.one_line_replies((
        ("getMessagePool", _one_message), ("prices", _first_sku), ("detail_standard", _first_sku)))),
    Case("latency", "各接口响应时间", "合同 §25", robust.latency_within_threshold, runs_last=True),
]
