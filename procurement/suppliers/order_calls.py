"""The order interfaces both supplier contracts share (docs/supplier-contract.md §14–22, docs/mall-supplier-contract.md
§22–31): JD VOP's family of shapes, which the two standards follow with two differences a connector sets:
`order_sku_key` (the key of a SKU in an order's lines: e-mall "sku", mall "skuId") and `order_area(request)`
(our area codes for the e-mall, the supplier's own county id for the mall).

Read into protocol-neutral records here; the calls go through the connector's EnvelopeCalls.
"""
import abc
import json

from procurement.kernel import http
from procurement.kernel.wire import parse_wire_time
from procurement.suppliers.calls import as_list, as_object
from procurement.suppliers.records import (
    Delivery,
    InvoiceInfo,
    OrderState,
    Package,
    PaymentCheck,
    PaymentState,
    ReconciliationList,
    ReconciliationRow,
    ReturnProgress,
    ReturnState,
    SupplierOrder,
    SupplierOrderLine,
    TrackStep,
    flag,
    text,
)
from procurement.suppliers.records import (
    as_list as listed,
)

ORDER_PATHS = {
    "order_submit": "/api/order/submit",
    "order_confirm": "/api/order/confirm",
    "order_cancel": "/api/order/cancel",
    "order_select": "/api/order/select",
    "order_track": "/api/order/track",
    "order_check": "/api/order/check",
    "order_payment": "/api/order/payment",
    "order_payment_state": "/api/order/payment_state",
    "invoice_select": "/api/invoice/select",
    "after_sale_apply": "/api/afterSale/apply",
    "after_sale_select": "/api/afterSale/select",
}
INVOICE_ITEMISED = "2"  # every order is itemised-invoice (seed 001 §2.12.1)
PAGE_SIZE = 100


class OrderCalls:
    order_sku_key = "sku"

    @abc.abstractmethod
    def order_area(self, request):
        """The delivery area's parameters as this protocol sends them with an order."""

    def order_submit(self, request):
        lines = [{self.order_sku_key: line.sku, "num": line.quantity, "price": line.price} for line in request.lines]
        params = {"thirdOrder": request.number, "sku": json.dumps(lines, ensure_ascii=False),
                  "orderPrice": request.total, "name": request.receiver, "mobile": request.mobile,
                  "address": request.address, "paymentType": "2" if request.credit_terms else "1",
                  "invoiceType": INVOICE_ITEMISED, "invoiceTitle": request.invoice_title,
                  "invoiceTaxNo": request.invoice_tax_no, "remark": request.remark, **self.order_area(request)}
        # Sent once: a pre-order whose reply was lost is looked up (order_query) before it is sent again.
        return self._order(as_object(self.authorised("order_submit", params, reference=request.number, once=True)))

    def order_confirm(self, our_number, supplier_number):
        return self._state("order_confirm", our_number, supplier_number)

    def order_cancel(self, our_number, supplier_number):
        return self._state("order_cancel", our_number, supplier_number)

    def order_query(self, our_number):
        try:
            result = self.authorised("order_select", {"thirdOrder": our_number}, reference=our_number)
        except http.Refused:  # the contracts: an order the supplier does not hold is a refusal
            return None
        return self._order(as_object(result))

    def order_track(self, our_number, supplier_number):
        result = self.authorised("order_track", {"thirdOrder": our_number, "orderId": supplier_number},
                                 reference=our_number)
        return [self._package(item) for item in as_list(result) if isinstance(item, dict)]

    def return_apply(self, our_number, supplier_number, service_number, exchange, lines, reason):
        items = [{self.order_sku_key: sku, "num": quantity} for sku, quantity in lines]
        result = as_object(self.authorised("after_sale_apply", {
            "thirdOrder": our_number, "orderId": supplier_number, "serviceNo": service_number,
            "type": "2" if exchange else "1", "sku": json.dumps(items, ensure_ascii=False), "reason": reason,
        }, reference=our_number))
        return text(result.get("serviceId"))

    def return_query(self, service_id):
        result = as_object(self.authorised("after_sale_select", {"serviceId": service_id}, reference=service_id))
        return ReturnProgress(service_id, _enum(ReturnState, result.get("state")), text(result.get("desc")))

    def reconciliation(self, day):
        rows, page, page_count, total_amount, count = [], 1, 1, "", None
        while page <= page_count:
            result = as_object(self.authorised("order_check", {"date": day.isoformat(), "pageNo": str(page),
                                                               "pageSize": str(PAGE_SIZE)}, reference=day.isoformat()))
            rows += [self._reconciliation_row(item) for item in listed(result.get("items")) if isinstance(item, dict)]
            page_count = _integer(result.get("pageCount")) or 1
            total_amount, count = text(result.get("totalAmount")), _integer(result.get("total"))
            page += 1
        return ReconciliationList(tuple(rows), total_amount, count)

    def payment_push(self, our_number, supplier_number, payment):
        result = as_object(self.authorised("order_payment", {
            "thirdOrder": our_number, "orderId": supplier_number, "serialNo": payment.serial, "amount": payment.amount,
            "payTime": payment.paid_at, "bankName": payment.bank, "bankAccount": payment.account,
        }, reference=our_number))
        return text(result.get("receiptId"))

    def payment_check(self, our_number):
        result = as_object(self.authorised("order_payment_state", {"thirdOrder": our_number}, reference=our_number))
        return PaymentCheck(_enum(PaymentState, result.get("state")), text(result.get("desc")))

    def invoice_query(self, our_number, supplier_number):
        result = as_object(self.authorised("invoice_select", {"thirdOrder": our_number, "orderId": supplier_number},
                                           reference=our_number))
        return InvoiceInfo(issued=text(result.get("state")) == "1", code=text(result.get("invoiceCode")),
                           number=text(result.get("invoiceNo")), amount=text(result.get("amount")),
                           issued_at=_time(result.get("issuedAt")), url=text(result.get("url")))

    # --- reading ----------------------------------------------------------------------------------

    def _state(self, interface, our_number, supplier_number):
        result = self.authorised(interface, {"thirdOrder": our_number, "orderId": supplier_number},
                                 reference=our_number)
        return _enum(OrderState, result.get("state") if isinstance(result, dict) else None)

    def _order(self, result):
        children = tuple(self._order(child) for child in listed(result.get("children")) if isinstance(child, dict))
        return SupplierOrder(
            number=text(result.get("orderId")), our_number=text(result.get("thirdOrder")),
            state=_enum(OrderState, result.get("state")), amount=text(result.get("orderPrice")),
            freight=text(result.get("freight")), lines=tuple(self._lines(result.get("sku"))), children=children)

    def _lines(self, items):
        return [SupplierOrderLine(text(item.get(self.order_sku_key) or item.get("skuId") or item.get("sku")),
                                  _integer(item.get("num")) or 0, text(item.get("price")))
                for item in listed(items) if isinstance(item, dict)]

    def _package(self, item):
        lines = tuple((text(line.get(self.order_sku_key) or line.get("skuId") or line.get("sku")),
                       text(line.get("name")), _integer(line.get("num")) or 0)
                      for line in listed(item.get("sku")) if isinstance(line, dict))
        steps = tuple(TrackStep(_time(step.get("time")), text(step.get("content")), text(step.get("operator")))
                      for step in listed(item.get("steps")) if isinstance(step, dict))
        return Package(text(item.get("orderId")), text(item.get("carrier")), text(item.get("waybillNo")),
                       text(item.get("dispatchNo")), lines, steps)

    @staticmethod
    def _reconciliation_row(item):
        return ReconciliationRow(text(item.get("orderId")), text(item.get("thirdOrder")),
                                 _enum(Delivery, item.get("deliveryState")), flag(item.get("invoiceState")),
                                 text(item.get("orderPrice")))


def _enum(kind, value):
    number = _integer(value)
    try:
        return kind(number)
    except ValueError:
        return kind.UNKNOWN


def _integer(value):
    try:
        return int(text(value))
    except ValueError:
        return None


def _time(value):
    try:
        return parse_wire_time(text(value))
    except ValueError:
        return None
