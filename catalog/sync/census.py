"""The end of a census (a full walk of a supplier's pools): the SKUs it did not find left every pool.

A census that found nothing at all while the mall holds SKUs removes nothing: that is a supplier's fault
(an empty pool list, a broken page) far more often than a supplier emptying its whole range, and staff
are told instead.
"""
from catalog.models import Sku, SupplierMessage
from catalog.sync.inbox import messages_stop
from catalog.sync.plan import census_removals

Kind = SupplierMessage.Kind


def census_end_plans(supplier, ends):
    """(removal plans, the census ends they apply) for census-end events due now."""
    plans, applied = [], []
    for end in ends:
        present = set(SupplierMessage.objects.filter(supplier=supplier, census=end.census, kind=Kind.PRESENT)
                      .values_list("sku_code", flat=True))
        held = {s.sku_code: s for s in Sku.objects.filter(supplier=supplier).exclude(status=Sku.Status.REMOVED)
                .only("pk", "sku_code", "status", "pool_event_at", "created_at")}
        if not present and held:
            messages_stop([end], f"全量核对未在任何品目池中找到商品，未移出卖场已有的 {len(held)} 个商品："
                                 "请核实电商的品目池与商品编号接口")
            continue
        plans += census_removals(end, present, held)
        applied.append(end)
    return plans, applied
