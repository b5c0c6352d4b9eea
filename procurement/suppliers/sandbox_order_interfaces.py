"""The order interfaces both sandbox suppliers serve over their order book, and the controls a test (or the
demo) drives the supplier's side of an order with.

`OrderInterfaces` is a mixin for each protocol's order mixin (procurement/suppliers/<protocol>/sandbox_orders.py),
which sets `order_book`, `SKU_KEYS` (the contract's spelling of a line's SKU key first, the other standard's
accepted too), `PAGE_SIZE` (default, largest) and `_delivery_area(params)`, and wraps each
`handler(params, base_url)` in its own token check, envelope and codes.
"""
from procurement.suppliers import sandbox_order_rows as rows
from procurement.suppliers.sandbox_order_records import (
    OrderRefusal,
    Refused,
    ReplyLost,
    parse_lines,
    parse_money,
    read_day,
    read_page,
    read_payment,
    read_receiver,
    read_third_order,
    require,
    switch_on,
)
from procurement.suppliers.sandbox_order_settlement import INVOICE_PATH

RETURN_KINDS = ("1", "2")  # return, exchange


class OrderControls:
    """The supplier side of a sandbox's orders (needs `order_book`, `state_lock`)."""

    @property
    def orders(self):
        """thirdOrder → SupplierOrder, auto-progress applied first."""
        self.order_book.advance_due()
        return self.order_book.orders

    @property
    def orders_created(self):
        return self.order_book.created

    @property
    def after_sales(self):
        """serviceId → AfterSale."""
        return self.order_book.services

    def ship(self, third_order, order_id=None):
        return self.order_book.ship(third_order, order_id)

    def deliver(self, third_order, order_id=None):
        return self.order_book.deliver(third_order, order_id)

    def refuse_delivery(self, third_order, order_id=None):
        return self.order_book.refuse_delivery(third_order, order_id)

    def issue_invoice(self, third_order):
        return self.order_book.issue_invoice(third_order)

    def check_payments(self, third_order=None):
        return self.order_book.check_payments(third_order)

    def advance_return(self, service_id):
        return self.order_book.advance_return(service_id)

    def reject_return(self, service_id, desc="不符合退换货条件"):
        return self.order_book.reject_return(service_id, desc)

    def advance_all(self):
        return self.order_book.advance_all()

    def handle(self, request):
        """GET /invoice/<orderId>.pdf: an issued invoice's PDF (counted, and as slow and flaky as the rest)."""
        if not request.path.startswith(INVOICE_PATH):
            return super().handle(request)
        with self.lock:
            self.calls[INVOICE_PATH] += 1
        injected = self._injected_fault()
        if injected is not None:
            return injected
        with self.state_lock:
            return self.order_book.invoice_file(request.path)


class OrderInterfaces(OrderControls):
    SKU_KEYS = ("sku", "skuId")
    PAGE_SIZE = (100, 1000)

    def order_submit(self, params, base_url):
        """A pre-order (the order book answers a thirdOrder seen before with its order); with lose_submit_reply
        on, a new order's reply is lost (HTTP 502 from the gateway)."""
        third_order = read_third_order(params)
        receiver = read_receiver(params)
        lines = parse_lines(params.get("sku"), self.SKU_KEYS)
        order_price = parse_money(require(params, "orderPrice"), "orderPrice")
        order, created = self.order_book.submit(third_order, lines, self._delivery_area(params), order_price, receiver)
        if created and switch_on(self.faults, "lose_submit_reply"):
            raise ReplyLost
        return rows.submitted(order)

    def order_confirm(self, params, base_url):
        order = self.order_book.confirm(self._named_order(params))
        return {"orderId": order.order_id, "state": order.state}

    def order_cancel(self, params, base_url):
        order = self.order_book.cancel(self._named_order(params))
        return {"orderId": order.order_id, "state": order.state}

    def order_select(self, params, base_url):
        return rows.order_row(self._named_order(params), self.SKU_KEYS[0])

    def order_track(self, params, base_url):
        if switch_on(self.faults, "order_track_broken"):  # breaks the docking tool's logistics case
            raise OrderRefusal(Refused.OTHER, "物流系统维护中")
        return rows.package_rows(self.order_book.track(self._named_order(params)), self.SKU_KEYS[0])

    def order_check(self, params, base_url):
        if switch_on(self.faults, "reconciliation_broken"):
            raise OrderRefusal(Refused.OTHER, "对账服务维护中")
        day, page = read_day(params), read_page(params, *self.PAGE_SIZE)
        return rows.check_page(self.order_book.check_rows(day), *page)

    def order_payment(self, params, base_url):
        return rows.receipt(self.order_book.pay(self._named_order(params), **read_payment(params)))

    def order_payment_state(self, params, base_url):
        state, desc = self.order_book.payment_state(self._named_order(params))
        return {"state": state, "desc": desc}

    def invoice_select(self, params, base_url):
        if switch_on(self.faults, "invoice_broken"):
            raise OrderRefusal(Refused.OTHER, "发票服务维护中")
        order = self._named_order(params)
        return rows.invoice_row(order, self.order_book.invoice_select(order), base_url)

    def after_sale_apply(self, params, base_url):
        """A return or exchange; the same serviceNo again answers the service it made, whatever else is sent."""
        order, service_no = self._named_order(params), require(params, "serviceNo")
        kind = require(params, "type")
        if kind not in RETURN_KINDS:
            raise OrderRefusal(Refused.PARAMETER, "type：应为 1（退货）或 2（换货）")
        known = self.order_book.service_nos.get(service_no)
        lines = [] if known else parse_lines(params.get("sku"), self.SKU_KEYS, with_price=False)
        service = self.order_book.apply_return(order, service_no, int(kind), lines, str(params.get("reason") or ""))
        return {"serviceId": service.service_id, "state": service.state}

    def after_sale_select(self, params, base_url):
        return rows.after_sale_row(self.order_book.after_sale(require(params, "serviceId")))

    def _named_order(self, params):
        return self.order_book.find(str(params.get("thirdOrder") or "").strip(), str(params.get("orderId") or "").strip())
