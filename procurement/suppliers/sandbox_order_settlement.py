"""After delivery, on the sandbox suppliers' side: e-invoices, credit-term payments, returns and the daily
reconciliation list (docs/supplier-contract.md §20–§22, docs/mall-supplier-contract.md §27, §29–§31).

A mixin for OrderBook (procurement/suppliers/sandbox_orders.py), which holds the orders, the lock, the clock
and the fault switches these read. Callers hold the book's lock.
"""
from collections import Counter
from decimal import Decimal

from procurement.kernel.sandbox import SandboxResponse
from procurement.suppliers.sandbox_order_records import (
    AfterSale,
    Invoice,
    OrderRefusal,
    OrderStepError,
    Payment,
    Refused,
    State,
    switch_count,
    switch_on,
)

INVOICE_PATH = "/invoice/"
INVOICE_CODE = "012002600111"  # a Tianjin 增值税电子普通发票 code
RETURN_DESCS = {1: "申请中，等待电商审核", 2: "已同意，请寄回商品", 3: "电商已收到退回商品", 4: "退换货已完成"}
DISAGREEING_AMOUNT = Decimal("10.00")
NOT_FOUND_PAGE = b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"


class Settlement:
    # --- e-invoices -------------------------------------------------------------------------------

    def issue_invoice(self, third_order):
        """The order's e-invoice (one per order, over what was delivered), issued now unless it already is."""
        with self.lock:
            order = self.order(third_order)
            if order.state in (State.SUBMITTED, State.CANCELLED, State.REFUSED):
                raise OrderStepError(f"{third_order} 状态为 {State.LABELS[order.state]}，不能开票")
            if order.invoice is None:
                self.invoices_issued += 1
                order.invoice = Invoice(INVOICE_CODE, f"{self.invoices_issued:08d}", self.amount_due(order),
                                        self.clock())
            return order.invoice

    def invoice_select(self, order):
        """What an invoice select answers: the invoice, or None. A delivered order's invoice comes with its
        delivery, or with invoice_late=N on the N-th select after it."""
        if order.state == State.COMPLETED and order.invoice is None:
            order.invoice_selects += 1
            if order.invoice_selects >= switch_count(self.faults, "invoice_late"):
                self.issue_invoice(order.third_order)
        return order.invoice

    def invoice_file(self, path):
        """GET /invoice/<orderId>.pdf: the PDF of an issued invoice, 404 otherwise."""
        order_id = path[len(INVOICE_PATH):].removesuffix(".pdf")
        order = self._ids.get(order_id)
        if order is None or order.order_id != order_id or order.invoice is None or not path.endswith(".pdf"):
            return SandboxResponse(404, NOT_FOUND_PAGE, "text/html; charset=utf-8")
        return SandboxResponse(200, invoice_pdf(order), "application/pdf")

    def amount_due(self, order):
        """What the buyer owes: the parts delivered (a refused child is not paid for)."""
        return sum((part.order_price for part in order.parts() if part.state == State.COMPLETED), Decimal("0"))

    # --- credit-term payments ---------------------------------------------------------------------

    def pay(self, order, serial_no, amount, pay_time, bank_name, bank_account):
        """A transfer the buyer made; the same serialNo again is the same payment (same receipt)."""
        known = self.serials.get(serial_no)
        if known is not None:
            if known[0] is not order:
                raise OrderRefusal(Refused.PARAMETER, f"serialNo：流水号 {serial_no} 已登记在订单 {known[0].third_order}")
            return known[1]
        if order.receiver.get("paymentType") != "2":
            raise OrderRefusal(Refused.OTHER, f"订单 {order.third_order} 不是账期订单（paymentType 1），无需推送付款信息")
        if order.state != State.COMPLETED:
            raise OrderRefusal(Refused.OTHER, f"订单 {order.third_order} 尚未妥投（{State.LABELS[order.state]}），"
                                              "账期付款信息应在妥投后推送")
        payment = Payment(f"R{len(self.serials) + 1:06d}", serial_no, amount, pay_time, bank_name, bank_account,
                          self.clock())
        order.payments[serial_no] = payment
        self.serials[serial_no] = (order, payment)
        return payment

    def check_payments(self, third_order=None, before=None):
        """The supplier checks the transfers waiting (all, or one order's; with `before`, those received by
        then): each is received (2), or with payment_rejected on, not found at the bank (3)."""
        with self.lock:
            orders = [self.order(third_order)] if third_order else list(self.orders.values())
            for payment in (p for order in orders for p in order.payments.values() if p.state == 1):
                if before is None or payment.received_at <= before:
                    self._check_payment(payment)

    def _check_payment(self, payment):
        if switch_on(self.faults, "payment_rejected"):
            payment.state = 3
            payment.desc = (f"流水号 {payment.serial_no} 未查到到账记录（{payment.bank_name} 尾号 "
                            f"{payment.bank_account[-4:]}），请核对后重新推送")
        else:
            payment.state = 2

    def payment_state(self, order):
        """(state, desc) over the order's transfers: 1 while one waits, 3 if one is wrong or the total is not
        what is due, else 2."""
        payments = list(order.payments.values())
        if not payments:
            raise OrderRefusal(Refused.OTHER, f"订单 {order.third_order} 尚未收到付款信息")
        paid, due = sum((p.amount for p in payments), Decimal("0")), self.amount_due(order)
        wrong = [p.desc for p in payments if p.state == 3]
        if wrong:
            return 3, "；".join(wrong)
        if any(p.state == 1 for p in payments):
            return 1, f"待核对：已收到 {len(payments)} 笔转账信息，合计 {paid:.2f}"
        if paid != due:
            return 3, f"金额不符：应付 {due:.2f}，已到账 {paid:.2f}"
        return 2, f"已确认收款 {paid:.2f}"

    # --- returns and exchanges --------------------------------------------------------------------

    def apply_return(self, order, service_no, kind, lines, reason):
        """A return (1) or exchange (2) of delivered lines; the same serviceNo again is the same service."""
        known = self.service_nos.get(service_no)
        if known is not None:
            if known.third_order != order.third_order:
                raise OrderRefusal(Refused.PARAMETER, f"serviceNo：{service_no} 已用于订单 {known.third_order}")
            return known
        self._check_returnable(order, lines)
        service = AfterSale(f"AS{len(self.service_nos) + 1:06d}", service_no, order.third_order, kind, lines, reason,
                            desc=RETURN_DESCS[1])
        order.returns[service_no] = service
        self.service_nos[service_no] = self.services[service.service_id] = service
        return service

    def _check_returnable(self, order, lines):
        if order.state != State.COMPLETED:
            raise OrderRefusal(Refused.AFTER_SALE, f"订单 {order.third_order} 未完成（{State.LABELS[order.state]}），"
                                                   "不能申请退换货")
        bought = Counter({line.sku: line.num for part in order.parts() if part.state == State.COMPLETED
                          for line in part.lines})
        applied = Counter()
        for service in order.returns.values():
            if service.state != 5:
                applied.update(dict(service.lines))
        for sku, num in lines:
            if sku not in bought:
                raise OrderRefusal(Refused.AFTER_SALE, f"{sku} 不是该订单已妥投的商品")
            if applied[sku] + num > bought[sku]:
                raise OrderRefusal(Refused.AFTER_SALE, f"{sku} 退换数量超出：购买 {bought[sku]}，已申请 "
                                                       f"{applied[sku]}，本次 {num}")

    def after_sale(self, service_id):
        service = self.services.get(service_id)
        if service is None:
            raise OrderRefusal(Refused.PARAMETER, f"serviceId：退换货单 {service_id} 不存在")
        return service

    def advance_return(self, service_id):
        """One step on: 申请中 → 已同意 → 已收货 → 已完成."""
        with self.lock:
            service = self.services[service_id]
            if service.state >= 4:
                raise OrderStepError(f"退换货单 {service_id} 已结束（状态 {service.state}）")
            service.state += 1
            service.desc = RETURN_DESCS[service.state]
            return service

    def reject_return(self, service_id, desc="不符合退换货条件"):
        with self.lock:
            service = self.services[service_id]
            if service.state != 1:
                raise OrderStepError(f"退换货单 {service_id} 已处理（状态 {service.state}），不能驳回")
            service.state, service.desc = 5, f"已驳回：{desc}"
            return service

    # --- reconciliation ---------------------------------------------------------------------------

    def check_rows(self, day):
        """The day's list: every order submitted that day and not cancelled, oldest first (parents only: the
        mall knows those). With reconciliation_disagree on, it disagrees with the mall in three ways."""
        orders = sorted((order for order in self.orders.values()
                         if order.submitted_at.date() == day and order.state != State.CANCELLED),
                        key=lambda order: (order.submitted_at, order.order_id))
        rows = [self._check_row(order) for order in orders]
        return self._disagreeing(rows, day) if switch_on(self.faults, "reconciliation_disagree") else rows

    def _check_row(self, order):
        delivery = {State.COMPLETED: 2, State.REFUSED: 3}.get(order.state, 1)
        return {"orderId": order.order_id, "thirdOrder": order.third_order, "deliveryState": delivery,
                "invoiceState": int(order.invoice is not None), "orderPrice": order.order_price}

    def _disagreeing(self, rows, day):
        """The first order's amount 10.00 more, the last one (of two or more) left out, and one order the
        mall never submitted."""
        if rows:
            rows[0] = {**rows[0], "orderPrice": rows[0]["orderPrice"] + DISAGREEING_AMOUNT}
        if len(rows) >= 2:
            rows = rows[:-1]
        stranger = f"PO{day:%Y%m%d}999999"
        while stranger in self.orders:
            stranger += "9"
        return [*rows, {"orderId": f"{self.prefix}{day:%Y%m%d}9999", "thirdOrder": stranger, "deliveryState": 2,
                        "invoiceState": 1, "orderPrice": Decimal("100.00")}]


def invoice_pdf(order):
    """A one-page PDF naming the invoice: enough for a caller to check it downloaded a PDF."""
    invoice = order.invoice
    text = (f"VAT e-invoice {invoice.code} No. {invoice.number}  order {order.order_id} / {order.third_order}"
            f"  amount {invoice.amount:.2f}").encode("ascii", "replace")
    content = b"BT /F1 11 Tf 56 780 Td (" + text + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    document, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(document))
        document += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    document += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    document += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(document)
