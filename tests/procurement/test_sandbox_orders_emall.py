"""The 电子卖场 sandbox supplier's order side serves docs/supplier-contract.md §14–§22 over real HTTP: submit and
confirm, the suggested cancel, select, track, check, payment, payment_state and invoice select, the supplier's
own progress and every order switch, over the same token check and envelope as its catalog interfaces."""
import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import requests

from procurement.kernel import crypto
from procurement.kernel.wire import SHANGHAI, format_wire_date, format_wire_time
from procurement.suppliers.emall.sandbox import (
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    build_demo_sandbox,
    build_sandbox,
)
from procurement.suppliers.sandbox_order_records import OrderStepError

HEPING = ("120000", "120100", "120101")  # 天津市 / 市辖区 / 和平区, our codes
HEDONG = ("120000", "120100", "120102")
DONGCHENG = ("110000", "110100", "110101")


class Supplier:
    """The served sandbox and a caller of its order interfaces, as the e-mall calls them."""

    def __init__(self, sandbox, url):
        self.sandbox, self.url = sandbox, url
        self.login()

    def login(self):
        self.token = self.post("/api/auth2/access_token", username=SANDBOX_USERNAME,
                               password=crypto.sm3_hex(SANDBOX_PASSWORD), timestamp="2026-01-01 00:00:00")["result"][
            "access_token"]

    def raw(self, path, **data):
        return requests.post(self.url + path, data={"token": self.token, **data}, timeout=10)

    def post(self, path, **data):
        response = requests.post(self.url + path, data=data, timeout=10)
        assert response.status_code == 200 and b"\n" not in response.content, response.text
        return response.json()

    def call(self, path, **data):
        return self.post(path, token=self.token, **data)

    def result(self, path, **data):
        reply = self.call(path, **data)
        assert reply["success"] is True and set(reply) == {"success", "result"}, reply
        return reply["result"]

    def refusal(self, path, **data):
        reply = self.call(path, **data)
        assert reply["success"] is False and set(reply) == {"success", "desc", "code"}, reply
        return reply["code"], reply["desc"]

    def faults(self, **switches):
        assert requests.post(self.url + "/_sandbox/faults", data=switches, timeout=10).status_code == 200

    def stocked(self, count, county=HEPING[2], at_least=5):
        return [sku for sku, product in self.sandbox.products.items()
                if product.stock.get(county, 0) >= at_least and Decimal(product.price) > 0][:count]

    def order(self, third_order, quantities, to=HEPING, **overrides):
        """The §15 parameters of an order of {sku: num} at the current prices, to `to` (province, city, county)."""
        products = self.sandbox.products
        lines = [{"sku": sku, "num": num, "price": products[sku].price if sku in products else "100.00"}
                 for sku, num in quantities.items()]
        total = sum(Decimal(line["price"]) * line["num"] for line in lines)
        province, city, county = to
        return {"thirdOrder": third_order, "sku": json.dumps(lines), "orderPrice": f"{total:.2f}", "name": "李四",
                "mobile": "13900000000", "province": province, "city": city, "county": county,
                "address": "卫津路 92 号", "paymentType": "2", "invoiceType": "2", "invoiceTitle": "天津市某局",
                "invoiceTaxNo": "11120000000000000X", **overrides}

    def submit(self, third_order, quantities, **overrides):
        return self.result("/api/order/submit", **self.order(third_order, quantities, **overrides))

    def placed(self, third_order, quantities, **overrides):
        self.submit(third_order, quantities, **overrides)
        return self.result("/api/order/confirm", thirdOrder=third_order)

    def stock(self, sku, area=HEPING[2]):
        return self.result("/api/product/stock", sku=sku, area=area)[0]["num"]


@pytest.fixture
def supplier(sandbox_server):
    sandbox = build_sandbox(40)
    return Supplier(sandbox, sandbox_server(sandbox).url)


def test_submit_checks_every_line_locks_stock_and_answers_the_same_order_to_a_repeat(supplier):
    sandbox = supplier.sandbox
    first, second = supplier.stocked(2)
    county, province = supplier.stock(first), supplier.stock(first, "120000")

    reply = supplier.submit("PO1", {first: 2, second: 1})
    price = Decimal(sandbox.products[first].price) * 2 + Decimal(sandbox.products[second].price)
    assert reply == {"orderId": sandbox.orders["PO1"].order_id, "thirdOrder": "PO1", "orderPrice": f"{price:.2f}",
                     "freight": "0.00", "state": 1}
    assert reply["orderId"].startswith("E")
    assert (supplier.stock(first), supplier.stock(first, "120000")) == (county - 2, province - 2)
    assert supplier.submit("PO1", {second: 4}) == reply and sandbox.orders_created == 1
    assert supplier.stock(first) == county - 2

    selected = supplier.result("/api/order/select", thirdOrder="PO1")
    assert selected == supplier.result("/api/order/select", orderId=reply["orderId"])
    assert selected == {**reply, "children": [], "sku": [{"sku": first, "num": 2, "price": sandbox.products[first].price},
                                                         {"sku": second, "num": 1, "price": sandbox.products[second].price}]}
    assert supplier.refusal("/api/order/select", thirdOrder="PO9") == ("5099", "订单不存在：thirdOrder PO9")
    assert supplier.refusal("/api/order/select") == ("5006", "缺少参数 thirdOrder（或 orderId）")

    def refused(quantities, **overrides):
        return supplier.refusal("/api/order/submit", **supplier.order("PO2", quantities, **overrides))

    sandbox.set_shelf(second, False)
    assert refused({second: 1}) == ("5099", f"{second} 商品不存在或不可售")
    assert refused({"NOPE": 1}) == ("5099", "NOPE 商品不存在或不可售")
    stock = sandbox.products[first].stock[HEPING[2]]
    assert refused({first: stock + 1}) == ("5099", f"{first} 库存不足：和平区 可售 {stock}，需要 {stock + 1}")
    stale = json.dumps([{"skuId": first, "num": 1, "price": "1.00"}])  # the mall standard's key is read too
    assert refused({first: 1}, sku=stale, orderPrice="1.00") == (
        "5099", f"{first} 价格已变化：下单价 1.00，当前协议价 {sandbox.products[first].price}")
    assert refused({first: 1}, county="999999")[1] == "county：999999 不是卖场的区县编码（§7.1.6），该地区不配送"
    assert refused({first: 1}, city="110100")[1] == "city：110100 不是区县 120101（和平区）所在的市 120100"
    assert refused({first: 1}, province="130000")[1] == "province：130000 不是市 120100 所在的省 120000"
    assert refused({first: 1}, county="120100")[0] == "5099"  # a city is not a county
    assert refused({first: 1}, county="") == ("5006", "缺少参数 county")
    assert refused({first: 1}, invoiceTitle="") == ("5006", "缺少参数 invoiceTitle")
    assert refused({first: 1}, sku="") == ("5006", "缺少参数 sku")
    assert refused({first: 1}, orderPrice="12.345")[0] == "5099"
    assert sandbox.orders_created == 1 and list(sandbox.orders) == ["PO1"]


def test_confirm_once_or_again_cancel_only_before_it_and_the_supplier_ships_and_delivers(supplier):
    sandbox = supplier.sandbox
    sku = supplier.stocked(1)[0]
    stock = supplier.stock(sku)
    order_id = supplier.submit("PO1", {sku: 2})["orderId"]
    assert supplier.refusal("/api/order/confirm", orderId="E1", thirdOrder="PO9")[0] == "5099"
    assert supplier.result("/api/order/confirm", orderId=order_id, thirdOrder="PO1") == {"orderId": order_id, "state": 2}
    assert supplier.result("/api/order/confirm", orderId=order_id, thirdOrder="PO1") == {"orderId": order_id, "state": 2}
    code, desc = supplier.refusal("/api/order/cancel", orderId=order_id, thirdOrder="PO1")
    assert code == "5099" and "已确认" in desc

    other = supplier.submit("PO2", {sku: 1})["orderId"]
    assert supplier.result("/api/order/cancel", orderId=other, thirdOrder="PO2") == {"orderId": other, "state": 5}
    assert supplier.stock(sku) == stock - 2
    assert supplier.submit("PO2", {sku: 1})["state"] == 5 and sandbox.orders_created == 2
    with pytest.raises(OrderStepError):
        sandbox.deliver("PO2")

    assert supplier.result("/api/order/track", orderId=order_id, thirdOrder="PO1") == []
    sandbox.ship("PO1")
    sandbox.deliver("PO1")
    packages = supplier.result("/api/order/track", orderId=order_id, thirdOrder="PO1")
    assert [(p["orderId"], p["sku"]) for p in packages] == [
        (order_id, [{"sku": sku, "name": sandbox.products[sku].detail["name"], "num": 2}])]
    assert {"carrier", "waybillNo", "dispatchNo"} <= set(packages[0])
    assert [step["content"] for step in packages[0]["steps"]] == ["您的订单已出库", "已签收，签收人：李四"]
    assert supplier.result("/api/order/select", thirdOrder="PO1")["state"] == 4


def test_split_orders_and_slow_logistics(supplier):
    sandbox = supplier.sandbox
    a, b = supplier.stocked(2)
    supplier.faults(split_orders="1", slow_logistics="1")
    supplier.placed("PO1", {a: 1, b: 1})

    parent = supplier.result("/api/order/select", thirdOrder="PO1")
    assert [(child["orderId"], child["state"], child["sku"]) for child in parent["children"]] == [
        (f"{parent['orderId']}-1", 2, parent["sku"][:1]), (f"{parent['orderId']}-2", 2, parent["sku"][1:])]
    sandbox.ship("PO1", f"{parent['orderId']}-2")
    assert supplier.result("/api/order/track", thirdOrder="PO1") == []  # the first call after shipping
    assert [p["orderId"] for p in supplier.result("/api/order/track", thirdOrder="PO1")] == [f"{parent['orderId']}-2"]
    assert supplier.result("/api/order/select", thirdOrder="PO1")["state"] == 2
    sandbox.advance_all()
    assert [c.state for c in sandbox.orders["PO1"].children] == [3, 4] and sandbox.orders["PO1"].state == 3
    sandbox.advance_all()
    assert supplier.result("/api/order/select", thirdOrder="PO1")["state"] == 4


def test_a_lost_submit_reply_made_the_order_and_the_resubmit_answers_it(supplier):
    sandbox = supplier.sandbox
    sku = supplier.stocked(1)[0]
    supplier.faults(lose_submit_reply="1")
    lost = supplier.raw("/api/order/submit", **supplier.order("PO1", {sku: 1}))
    assert lost.status_code == 502 and "502 Bad Gateway" in lost.text and sandbox.orders_created == 1
    assert supplier.submit("PO1", {sku: 1})["orderId"] == sandbox.orders["PO1"].order_id
    assert supplier.result("/api/order/confirm", thirdOrder="PO1")["state"] == 2 and sandbox.orders_created == 1


def test_price_changed_moves_the_price_with_its_message_and_out_of_stock_empties_an_area(supplier):
    sandbox = supplier.sandbox
    moved, other = supplier.stocked(2)
    seen = sandbox.products[moved].price
    sandbox.pending.clear()
    supplier.faults(price_changed=moved)

    code, desc = supplier.refusal("/api/order/submit", **supplier.order("PO1", {moved: 1}))
    assert code == "5099" and desc.startswith(f"{moved} 价格已变化：下单价 {seen}")
    assert [(m["type"], m["sku"]) for m in supplier.result("/api/product/getMessagePool")] == [(2, moved)]
    assert supplier.result("/api/product/prices", sku=moved)[0]["price"] == sandbox.products[moved].price != seen
    assert supplier.submit("PO1", {moved: 1})["state"] == 1

    supplier.faults(out_of_stock="120101")
    assert supplier.stock(other) == 0 and supplier.stock(other, "120102") > 0
    assert supplier.stock(other, "120000") > 0  # the province still has stock elsewhere
    assert supplier.refusal("/api/order/submit", **supplier.order("PO2", {other: 1}))[1] == (
        f"{other} 库存不足：和平区 可售 0，需要 1")
    supplier.faults(out_of_stock="120000")
    assert supplier.stock(other, "120102") == 0
    assert supplier.refusal("/api/order/submit", **supplier.order("PO2", {other: 1}, to=HEDONG))[0] == "5099"
    beijing = supplier.stocked(1, county=DONGCHENG[2])[0]
    assert supplier.submit("PO2", {beijing: 1}, to=DONGCHENG)["state"] == 1


def test_reconciliation_payments_and_invoices(supplier):
    sandbox = supplier.sandbox
    skus = supplier.stocked(3)
    for n, sku in enumerate(skus, 1):
        supplier.placed(f"PO{n}", {sku: 1})
    sandbox.deliver("PO1")
    day = format_wire_date(sandbox.orders["PO1"].submitted_at)

    page = supplier.result("/api/order/check", date=day, pageNo="1", pageSize="2")
    assert (page["total"], page["pageNo"], page["pageSize"], page["pageCount"]) == (3, 1, 2, 2)
    assert page["totalAmount"] == f"{sum(Decimal(sandbox.products[sku].price) for sku in skus):.2f}"
    assert page["items"][0] == {"orderId": sandbox.orders["PO1"].order_id, "thirdOrder": "PO1", "deliveryState": 2,
                                "invoiceState": 1, "orderPrice": sandbox.products[skus[0]].price}
    assert supplier.refusal("/api/order/check", date="") == ("5006", "缺少参数 date")
    assert supplier.refusal("/api/order/check", date=day, pageNo="0")[0] == "5099"
    supplier.faults(reconciliation_disagree="1")
    rows = {row["thirdOrder"]: row for row in supplier.result("/api/order/check", date=day)["items"]}
    assert Decimal(rows["PO1"]["orderPrice"]) - Decimal(sandbox.products[skus[0]].price) == 10
    assert "PO3" not in rows and len([third for third in rows if third not in sandbox.orders]) == 1

    invoice = supplier.result("/api/invoice/select", thirdOrder="PO1")
    assert invoice["state"] == 1 and invoice["url"] == f"{supplier.url}/invoice/{sandbox.orders['PO1'].order_id}.pdf"
    assert requests.get(invoice["url"], timeout=10).content.startswith(b"%PDF-")
    supplier.faults(invoice_late="2")
    sandbox.deliver("PO2")
    assert [supplier.result("/api/invoice/select", thirdOrder="PO2")["state"] for _ in range(3)] == [0, 1, 1]
    assert supplier.result("/api/invoice/select", thirdOrder="PO3") == {
        "state": 0, "invoiceCode": "", "invoiceNo": "", "amount": "", "issuedAt": "", "url": ""}
    sandbox.issue_invoice("PO3")  # the supplier may invoice before delivery
    assert supplier.result("/api/invoice/select", thirdOrder="PO3")["state"] == 1

    def pay(serial, third_order="PO1"):
        return supplier.call("/api/order/payment", orderId=sandbox.orders[third_order].order_id, thirdOrder=third_order,
                             serialNo=serial, amount=sandbox.products[skus[0]].price, payTime="2026-11-25 10:00:00",
                             bankName="中国银行", bankAccount="6216000000005678")

    receipt = pay("B1")["result"]
    assert receipt == pay("B1")["result"] and receipt["state"] == 1 and len(sandbox.orders["PO1"].payments) == 1
    assert supplier.result("/api/order/payment_state", thirdOrder="PO1")["state"] == 1
    sandbox.check_payments("PO1")
    assert supplier.result("/api/order/payment_state", thirdOrder="PO1")["state"] == 2
    assert pay("B2", "PO3")["code"] == "5099"  # not delivered
    assert supplier.refusal("/api/order/payment", thirdOrder="PO1", serialNo="B3", amount="1.00",
                            payTime="yesterday", bankName="中国银行", bankAccount="1") == (
        "5099", "payTime：格式应为 yyyy-MM-dd HH:mm:ss")
    supplier.faults(payment_rejected="1")
    pay("B4", "PO2")
    sandbox.check_payments()
    state = supplier.result("/api/order/payment_state", thirdOrder="PO2")
    assert state["state"] == 3 and "B4" in state["desc"]


def test_auto_progress_moves_confirmed_orders_on_and_the_demo_has_it_on(supplier):
    sandbox = supplier.sandbox
    clock = Clock()
    sandbox.order_book.clock = clock
    first, second = supplier.stocked(2)
    supplier.placed("PO1", {first: 1})
    supplier.faults(auto_progress="30,30")
    assert supplier.result("/api/order/select", thirdOrder="PO1")["state"] == 2

    supplier.faults(auto_progress="0.2,0.3")
    clock.advance(0.6)
    assert supplier.result("/api/order/select", thirdOrder="PO1")["state"] == 4
    confirmed = sandbox.orders["PO1"].confirmed_at
    steps = supplier.result("/api/order/track", thirdOrder="PO1")[0]["steps"]
    assert [step["time"] for step in steps] == [format_wire_time(confirmed + timedelta(seconds=s)) for s in (0.2, 0.5)]
    assert supplier.result("/api/invoice/select", thirdOrder="PO1")["state"] == 1

    supplier.faults(auto_progress="off")
    supplier.placed("PO2", {second: 1})
    clock.advance(0.3)
    assert sandbox.orders["PO2"].state == 2
    assert build_demo_sandbox("http://127.0.0.1:8000").faults.extra["auto_progress"] == "60,120"


class Clock:
    """The supplier's present, moved on by the test instead of waited for."""

    def __init__(self):
        self.now = datetime.now(tz=SHANGHAI)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


def test_the_token_envelope_and_base_switches_reach_the_order_interfaces(supplier):
    sku = supplier.stocked(1)[0]
    supplier.submit("PO1", {sku: 1})
    refused = supplier.post("/api/order/confirm", thirdOrder="PO1", token="made-up")
    assert refused["code"] == "5005" and "token_expired" in refused["desc"]
    assert supplier.sandbox.orders["PO1"].state == 1

    supplier.faults(success_as_text="1")
    assert supplier.call("/api/order/select", thirdOrder="PO1")["success"] == "true"
    assert supplier.call("/api/order/select", thirdOrder="PO9")["success"] == "false"
    supplier.faults(success_as_text="0", error_rate="1")
    assert supplier.raw("/api/order/confirm", thirdOrder="PO1").status_code == 503
    assert supplier.sandbox.orders["PO1"].state == 1  # the 503 came before the interface ran
    supplier.faults(error_rate="0", malformed_rate="1")
    with pytest.raises(ValueError):
        supplier.raw("/api/order/select", thirdOrder="PO1").json()
    supplier.faults(malformed_rate="0", token_expire_after="1")
    supplier.login()
    assert [supplier.call("/api/order/select", thirdOrder="PO1")["success"] for _ in range(2)] == [True, False]
    unreadable = requests.post(supplier.url + "/api/order/select", data=b"{not json",
                               headers={"Content-Type": "application/json"}, timeout=10)
    assert unreadable.status_code == 200 and unreadable.json()["code"] == "5099"
    assert requests.post(supplier.url + "/api/afterSale/apply", timeout=10).status_code == 404  # not this standard
