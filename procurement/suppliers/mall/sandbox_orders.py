"""The order side of the mall sandbox: docs/mall-supplier-contract.md §22–§31 (submit, confirm, cancel, select,
afterSale apply / select, track, check, payment, payment_state, invoice select) over the shared order book.

A mixin for MallSupplierSandbox (procurement/suppliers/mall/sandbox.py), like its CatalogInterfaces: each handler
goes through the sandbox's `_route` (token, §1 envelope, switches). Orders carry the supplier's own county id
(`area`, the sandbox's AreaTree) and lines name their SKU as `skuId` (`sku`, the e-mall standard's spelling, is
accepted too). Refusals carry the §20 codes (1001, 1002, 2001–2005, 3001, 3002, 9999). Order ids: M + the day
+ a running number (M202611240001); split children add -1, -2….

Switch of its own: lose_submit_reply=1 — a submit that creates an order answers HTTP 502 (the gateway's page)
instead of the reply; a repeat submit of that thirdOrder answers the order. out_of_stock takes the supplier's
county id or our area code. The order book's switches are listed in procurement/suppliers/sandbox_orders.py.
"""
from procurement.suppliers.mall.sandbox_protocol import Code, Refusal
from procurement.suppliers.sandbox_order_interfaces import OrderInterfaces
from procurement.suppliers.sandbox_order_records import (
    DeliveryArea,
    OrderRefusal,
    Refused,
    require,
    switch_list,
)
from procurement.suppliers.sandbox_orders import OrderBook

ORDER_PREFIX = "M"
CODES = {Refused.MISSING: Code.PARAMETER, Refused.PARAMETER: Code.PARAMETER, Refused.LIMIT: Code.LIMIT,
         Refused.PRODUCT: Code.PRODUCT, Refused.AREA: Code.AREA, Refused.STOCK: Code.STOCK, Refused.PRICE: Code.PRICE,
         Refused.NOT_FOUND: Code.ORDER_NOT_FOUND, Refused.CONFIRMED: Code.ORDER_CONFIRMED,
         Refused.AFTER_SALE: Code.AFTER_SALE, Refused.OTHER: Code.OTHER}


class MallOrderInterfaces(OrderInterfaces):
    SKU_KEYS = ("skuId", "sku")
    PAGE_SIZE = (1000, 1000)

    def _set_up_orders(self):
        self.order_book = OrderBook(self.products, lock=self.state_lock, clock=self.now, faults=self.faults,
                                    prefix=ORDER_PREFIX, on_sale=self._on_sale, move_price=self.set_price)

    def order_routes(self):
        handlers = {"/api/order/submit": self.order_submit, "/api/order/confirm": self.order_confirm,
                    "/api/order/cancel": self.order_cancel, "/api/order/select": self.order_select,
                    "/api/afterSale/apply": self.after_sale_apply, "/api/afterSale/select": self.after_sale_select,
                    "/api/order/track": self.order_track, "/api/order/check": self.order_check,
                    "/api/order/payment": self.order_payment, "/api/order/payment_state": self.order_payment_state,
                    "/api/invoice/select": self.invoice_select}
        return {path: self._route(self._order_handler(handler)) for path, handler in handlers.items()}

    def area_out_of_stock(self, county):
        """Whether out_of_stock names this county or an area it lies in (the stock interface answers 0 there)."""
        return bool(self._area_names(county) & switch_list(self.faults, "out_of_stock"))

    def _order_handler(self, handler):
        def run(call):
            self.order_book.advance_due()
            try:
                return handler(call.params, call.base_url)
            except OrderRefusal as refusal:
                raise Refusal(CODES[refusal.kind], refusal.desc) from None
        return run

    def _delivery_area(self, params):
        area_id = require(params, "area")
        county = self.areas.county(area_id)
        if county is None:
            raise OrderRefusal(Refused.AREA, f"area：地区 {area_id} 不存在或不是区县（应为电商的区县 id），该地区不配送")
        city = self.areas.by_id[county.parent_id]
        province = self.areas.by_id[city.parent_id]
        return DeliveryArea(county.code, (county.code, city.code, province.code), self._area_names(county),
                            county.name)

    def _area_names(self, county):
        """The county and the city and province it lies in, each by the supplier's id and by our code."""
        names, area = set(), county
        while area is not None:
            names |= {area.id, area.code}
            area = self.areas.by_id.get(area.parent_id)
        return frozenset(names)

    def _on_sale(self, sku):
        return self.products[sku].shelf == 1 and any(sku in members for members in self.visible_pools().values())
