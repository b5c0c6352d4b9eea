"""The order replies both contracts share (docs/supplier-contract.md §15–§22, docs/mall-supplier-contract.md
§23–§31): the same fields, except that a line names its SKU as `sku` (e-mall) or `skuId` (mall)."""
from decimal import Decimal

from procurement.kernel.wire import format_wire_time
from procurement.suppliers.sandbox_order_settlement import INVOICE_PATH

FREIGHT = "0.00"  # the sandboxes deliver free


def money(amount):
    return f"{amount:.2f}"


def submitted(order):
    return {"orderId": order.order_id, "thirdOrder": order.third_order, "orderPrice": money(order.order_price),
            "freight": FREIGHT, "state": order.state}


def line_rows(lines, sku_key):
    return [{sku_key: line.sku, "num": line.num, "price": money(line.price)} for line in lines]


def order_row(order, sku_key):
    """§18 / §26: the order, its lines, and its children when split (an empty list otherwise)."""
    children = [{"orderId": child.order_id, "state": child.state, "orderPrice": money(child.order_price),
                 "sku": line_rows(child.lines, sku_key)} for child in order.children]
    return {"orderId": order.order_id, "thirdOrder": order.third_order, "state": order.state,
            "orderPrice": money(order.order_price), "freight": FREIGHT, "children": children,
            "sku": line_rows(order.lines, sku_key)}


def package_rows(packages, sku_key):
    """§19 / §28: one row a package (a child's, when split)."""
    return [{"orderId": package.order_id, "carrier": package.carrier, "waybillNo": package.waybill_no,
             "dispatchNo": package.dispatch_no,
             "sku": [{sku_key: line["sku"], "name": line["name"], "num": line["num"]} for line in package.lines],
             "steps": [dict(step) for step in package.steps]} for package in packages]


def check_page(rows, page_no, page_size):
    """§20 / §29: one page of the day's rows; the totals count every page."""
    start = (page_no - 1) * page_size
    return {"total": len(rows), "pageNo": page_no, "pageSize": page_size, "pageCount": -(-len(rows) // page_size),
            "totalAmount": money(sum((row["orderPrice"] for row in rows), Decimal("0"))),
            "items": [{**row, "orderPrice": money(row["orderPrice"])} for row in rows[start:start + page_size]]}


def invoice_row(order, invoice, base_url):
    """§22 / §31: the issued invoice with the address of its PDF; state 0 and empty fields before."""
    if invoice is None:
        return {"state": 0, "invoiceCode": "", "invoiceNo": "", "amount": "", "issuedAt": "", "url": ""}
    return {"state": 1, "invoiceCode": invoice.code, "invoiceNo": invoice.number, "amount": money(invoice.amount),
            "issuedAt": format_wire_time(invoice.issued_at),
            "url": f"{base_url.rstrip('/')}{INVOICE_PATH}{order.order_id}.pdf"}


def receipt(payment):
    return {"receiptId": payment.receipt_id, "state": payment.state}


def after_sale_row(service):
    return {"serviceId": service.service_id, "state": service.state, "desc": service.desc}
