"""The order side of the e-mall sandbox: docs/supplier-contract.md §14–§22 (submit and confirm, and the
suggested cancel, select, track, check, payment, payment_state and invoice select) over the shared order book.

A mixin for EmallSupplierSandbox (procurement/suppliers/emall/sandbox.py): the same token check, envelope and
switches as its catalog interfaces. Orders carry our area codes (province, city, county; §7.1.6) and lines
name their SKU as `sku` (`skuId`, the mall standard's spelling, is accepted too). Refusals: 5006 for a
missing parameter, 5099 for every other (the contract's code), `desc` naming the field or line and why.
Order ids: E + the day + a running number (E202611240001); split children add -1, -2….

Switch of its own: lose_submit_reply=1 — a submit that creates an order answers HTTP 502 (the gateway's page)
instead of the reply; a repeat submit of that thirdOrder answers the order. The order book's switches are
listed in procurement/suppliers/sandbox_orders.py.
"""
from datetime import datetime

from procurement.kernel.wire import SHANGHAI
from procurement.suppliers.emall.wire import EMALL_STATE_ON, ErrorCode
from procurement.suppliers.sandbox_catalog import Reference
from procurement.suppliers.sandbox_order_interfaces import OrderInterfaces
from procurement.suppliers.sandbox_order_records import (
    DeliveryArea,
    OrderRefusal,
    Refused,
    ReplyLost,
    require,
    switch_list,
)
from procurement.suppliers.sandbox_orders import OrderBook

ORDER_PREFIX = "E"
COUNTY_LEVEL = 3


class EmallOrderInterfaces(OrderInterfaces):
    SKU_KEYS = ("sku", "skuId")
    PAGE_SIZE = (100, 1000)

    def _set_up_orders(self):
        self.area_rows = {row["code"]: row for row in Reference().area_rows}
        self.order_book = OrderBook(self.products, lock=self.state_lock, clock=lambda: datetime.now(tz=SHANGHAI),
                                    faults=self.faults, prefix=ORDER_PREFIX, on_sale=self._on_sale,
                                    move_price=self.set_price)

    def order_routes(self):
        handlers = {"/api/order/submit": self.order_submit, "/api/order/confirm": self.order_confirm,
                    "/api/order/cancel": self.order_cancel, "/api/order/select": self.order_select,
                    "/api/order/track": self.order_track, "/api/order/check": self.order_check,
                    "/api/order/payment": self.order_payment, "/api/order/payment_state": self.order_payment_state,
                    "/api/invoice/select": self.invoice_select}
        return {path: self._order_route(handler) for path, handler in handlers.items()}

    def area_out_of_stock(self, code):
        """Whether out_of_stock names this area code or one it lies in (the stock interface answers 0 there)."""
        names = set()
        while code and code not in names:
            names.add(code)
            code = self.area_rows.get(code, {}).get("parentCode")
        return bool(names & switch_list(self.faults, "out_of_stock"))

    def _order_route(self, handler):
        def route(request):
            try:
                params = request.params()
            except ValueError:
                return self._reply_fail(ErrorCode.OTHER, "请求体无法解析：应为表单或 JSON 对象")
            refused = self._check_token(request)
            if refused:
                return refused
            with self.state_lock:
                self.order_book.advance_due()
                try:
                    return self._reply_ok(handler(params, f"http://{request.headers.get('host', '')}"))
                except OrderRefusal as refusal:
                    code = ErrorCode.MISSING_PARAMETER if refusal.kind == Refused.MISSING else ErrorCode.OTHER
                    return self._reply_fail(code, refusal.desc)
                except ReplyLost as lost:
                    return lost.response
        return route

    def _delivery_area(self, params):
        province, city, county = (require(params, name) for name in ("province", "city", "county"))
        row = self.area_rows.get(county)
        if row is None or row["level"] != COUNTY_LEVEL:
            raise OrderRefusal(Refused.AREA, f"county：{county} 不是卖场的区县编码（§7.1.6），该地区不配送")
        if row.get("parentCode") != city:
            raise OrderRefusal(Refused.AREA, f"city：{city} 不是区县 {county}（{row['name']}）所在的市 "
                                             f"{row.get('parentCode')}")
        if self.area_rows[city].get("parentCode") != province:
            raise OrderRefusal(Refused.AREA, f"province：{province} 不是市 {city} 所在的省 "
                                             f"{self.area_rows[city].get('parentCode')}")
        return DeliveryArea(county, (county, city, province), frozenset((county, city, province)), row["name"])

    def _on_sale(self, sku):
        return sku in self.pool and self.products[sku].shelf == EMALL_STATE_ON
