"""The 网上商城 sandbox supplier's order side serves docs/mall-supplier-contract.md §22–§31 over real HTTP:
pre-orders that check every line and lock stock, idempotent submits (a lost reply too), confirm and cancel,
split children, packages, returns, reconciliation, payments, e-invoices, the supplier's own progress and every
order switch."""
import json
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
import requests

from procurement.kernel import crypto
from procurement.kernel.wire import format_wire_date, format_wire_time
from procurement.suppliers.mall.sandbox import (
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    build_demo_sandbox,
    build_sandbox,
)
from procurement.suppliers.sandbox_order_records import OrderStepError

HEPING, HEDONG, DONGCHENG = "120101", "120102", "110101"  # our codes of 和平区, 河东区 (天津), 东城区 (北京)
SUBMITTED_FIELDS = {"orderId", "thirdOrder", "orderPrice", "freight", "state"}


class Supplier:
    """The served sandbox and a caller of its order interfaces, as the mall calls them."""

    def __init__(self, sandbox, url):
        self.sandbox, self.url = sandbox, url
        self.token = self.post("/api/auth/access_token", username=SANDBOX_USERNAME,
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
        assert reply["success"] is True, reply
        return reply["result"]

    def refusal(self, path, **data):
        reply = self.call(path, **data)
        assert reply["success"] is False and set(reply) == {"success", "desc", "code"}, reply
        return reply["code"], reply["desc"]

    def faults(self, **switches):
        assert requests.post(self.url + "/_sandbox/faults", data=switches, timeout=10).status_code == 200

    def stocked(self, count, area=HEPING, at_least=5):
        """`count` SKUs on sale with at least `at_least` in stock in `area` (our code)."""
        found = [sku for sku, product in self.sandbox.products.items()
                 if product.stock.get(area, 0) >= at_least and Decimal(product.price) > 0]
        return found[:count]

    def order(self, third_order, quantities, to=HEPING, **overrides):
        """The §23 parameters of an order of {sku: num} at the current prices, to `to` (our code)."""
        products = self.sandbox.products
        lines = [{"skuId": sku, "num": num, "price": products[sku].price if sku in products else "100.00"}
                 for sku, num in quantities.items()]
        total = sum(Decimal(line["price"]) * line["num"] for line in lines)
        return {"thirdOrder": third_order, "sku": json.dumps(lines), "orderPrice": f"{total:.2f}", "name": "张三",
                "mobile": "13800000000", "area": self.sandbox.area_id(to), "address": "南京路 1 号",
                "paymentType": "2", "invoiceType": "2", "invoiceTitle": "天津市某中学", "invoiceTaxNo": "12120000MB0000000X",
                **overrides}

    def submit(self, third_order, quantities, **overrides):
        return self.result("/api/order/submit", **self.order(third_order, quantities, **overrides))

    def placed(self, third_order, quantities, **overrides):
        """Submitted and confirmed."""
        self.submit(third_order, quantities, **overrides)
        return self.result("/api/order/confirm", thirdOrder=third_order)


@pytest.fixture
def supplier(sandbox_server):
    sandbox = build_sandbox(40)
    running = sandbox_server(sandbox)
    sandbox.public_url = running.url
    return Supplier(sandbox, running.url)


def stock_of(supplier, sku, area=HEPING):
    return supplier.result("/api/product/stock", sku=sku, area=supplier.sandbox.area_id(area))[0]["num"]


def test_a_submit_locks_stock_and_creates_one_order_a_repeat_answers_that_order_whatever_it_sends(supplier):
    sandbox = supplier.sandbox
    first, second = supplier.stocked(2)
    county_before = {sku: stock_of(supplier, sku) for sku in (first, second)}
    city_before = sandbox.products[first].stock["120100"]

    reply = supplier.submit("PO1", {first: 2, second: 1})
    price = Decimal(sandbox.products[first].price) * 2 + Decimal(sandbox.products[second].price)
    assert set(reply) == SUBMITTED_FIELDS
    assert reply["orderId"].startswith("M") and reply["thirdOrder"] == "PO1" and reply["state"] == 1
    assert (reply["orderPrice"], reply["freight"]) == (f"{price:.2f}", "0.00")
    assert stock_of(supplier, first) == county_before[first] - 2 and stock_of(supplier, second) == county_before[second] - 1
    assert sandbox.products[first].stock["120100"] == city_before - 2  # the city's stock holds the county's

    again = supplier.submit("PO1", {second: 3})  # other lines: still the order already made
    assert again == reply and sandbox.orders_created == 1 and stock_of(supplier, first) == county_before[first] - 2
    assert [(line.sku, line.num) for line in sandbox.orders["PO1"].lines] == [(first, 2), (second, 1)]
    assert sandbox.orders["PO1"].area.county == HEPING and sandbox.orders["PO1"].receiver["name"] == "张三"

    selected = supplier.result("/api/order/select", thirdOrder="PO1")
    assert selected == supplier.result("/api/order/select", orderId=reply["orderId"])
    assert selected == {**reply, "children": [], "sku": [
        {"skuId": first, "num": 2, "price": sandbox.products[first].price},
        {"skuId": second, "num": 1, "price": sandbox.products[second].price}]}
    assert supplier.refusal("/api/order/select", thirdOrder="PO9") == ("2005", "订单不存在：thirdOrder PO9")
    assert supplier.refusal("/api/order/select", thirdOrder="PO1", orderId="M1")[0] == "1001"

    # the e-mall standard's `sku` key, and a JSON body carrying the lines as an array, are read too
    spelled = supplier.order("PO2", {first: 1})
    spelled["sku"] = json.dumps([{"sku": first, "num": 1, "price": sandbox.products[first].price}])
    assert supplier.result("/api/order/submit", **spelled)["state"] == 1
    body = {**supplier.order("PO3", {second: 1}), "token": supplier.token}
    body["sku"] = json.loads(body["sku"])
    assert requests.post(supplier.url + "/api/order/submit", json=body, timeout=10).json()["success"] is True
    assert sandbox.orders_created == 3


def test_a_submit_is_refused_with_the_code_of_what_is_wrong_and_leaves_no_order_and_no_lock(supplier):
    sandbox = supplier.sandbox
    good, shelved, unpooled, scarce = supplier.stocked(4)
    sandbox.set_shelf(shelved, False)
    sandbox.remove([unpooled])
    before = {sku: dict(product.stock) for sku, product in sandbox.products.items()}
    stock = sandbox.products[scarce].stock[HEPING]

    def refused(quantities, **overrides):
        return supplier.refusal("/api/order/submit", **supplier.order("PO1", quantities, **overrides))

    assert refused({"NOPE": 1}) == ("2001", "NOPE 商品不存在或不可售")
    assert refused({shelved: 1}) == ("2001", f"{shelved} 商品不存在或不可售")
    assert refused({unpooled: 1})[0] == "2001"
    assert refused({scarce: stock + 1}) == ("2003", f"{scarce} 库存不足：和平区 可售 {stock}，需要 {stock + 1}")
    stale = supplier.order("PO1", {good: 1})
    stale["sku"] = json.dumps([{"skuId": good, "num": 1, "price": "1.00"}])
    stale["orderPrice"] = "1.00"
    assert supplier.refusal("/api/order/submit", **stale) == (
        "2004", f"{good} 价格已变化：下单价 1.00，当前协议价 {sandbox.products[good].price}")
    code, desc = refused({"NOPE": 1, scarce: stock + 1})  # every line is checked; the first one's code
    assert code == "2001" and "NOPE" in desc and f"{scarce} 库存不足" in desc

    assert refused({good: 1}, area=HEPING)[0] == "2002"  # our code, not the supplier's id
    assert refused({good: 1}, area=sandbox.area_id("120100"))[0] == "2002"  # a city
    assert refused({good: 1}, name="") == ("1001", "缺少参数 name")
    assert refused({good: 1}, sku="[{") == ("1001", "sku：应为非空 JSON 数组，每项一个对象")
    assert refused({good: 1}, sku=json.dumps([{"skuId": good, "num": 0, "price": "1.00"}]))[1] == (
        "sku 第 1 项 num：0 应为正整数")
    assert refused({good: 1}, orderPrice="1.00")[1].startswith("orderPrice：1.00 与商品金额合计")
    assert refused({good: 1}, invoiceType="1")[1] == "invoiceType：所有订单开明细发票，应为 2"
    assert refused({good: 1}, paymentType="3")[0] == "1001"
    assert refused({good: 1}, thirdOrder="P" * 41)[1] == "thirdOrder：不超过 40 个字符，本次 41 个"
    doubled = json.dumps([{"skuId": good, "num": 1, "price": "1.00"}] * 2)
    assert "出现了不止一次" in refused({good: 1}, sku=doubled)[1]

    assert sandbox.orders_created == 0 and sandbox.orders == {}
    assert {sku: product.stock for sku, product in sandbox.products.items()} == before


def test_confirm_is_idempotent_cancel_only_before_it_and_a_cancelled_order_releases_its_stock(supplier):
    sandbox = supplier.sandbox
    sku = supplier.stocked(1)[0]
    stock = stock_of(supplier, sku)
    order_id = supplier.submit("PO1", {sku: 2})["orderId"]

    assert supplier.refusal("/api/order/confirm", thirdOrder="PO9")[0] == "2005"
    assert supplier.result("/api/order/confirm", orderId=order_id, thirdOrder="PO1") == {"orderId": order_id, "state": 2}
    assert supplier.result("/api/order/confirm", orderId=order_id, thirdOrder="PO1") == {"orderId": order_id, "state": 2}
    assert supplier.refusal("/api/order/cancel", orderId=order_id, thirdOrder="PO1") == (
        "3001", f"订单 {order_id} 已确认，不能取消（当前状态：已确认）；可由采购人拒收")
    assert sandbox.orders["PO1"].state == 2 and stock_of(supplier, sku) == stock - 2

    other = supplier.submit("PO2", {sku: 3})["orderId"]
    assert stock_of(supplier, sku) == stock - 5
    assert supplier.result("/api/order/cancel", orderId=other, thirdOrder="PO2") == {"orderId": other, "state": 5}
    assert supplier.result("/api/order/cancel", thirdOrder="PO2")["state"] == 5
    assert stock_of(supplier, sku) == stock - 2
    assert supplier.refusal("/api/order/confirm", thirdOrder="PO2") == ("9999", f"订单 {other} 已取消，不能确认")
    assert supplier.submit("PO2", {sku: 3}) == {"orderId": other, "thirdOrder": "PO2", "orderPrice": supplier.result(
        "/api/order/select", thirdOrder="PO2")["orderPrice"], "freight": "0.00", "state": 5}
    assert sandbox.orders_created == 2 and stock_of(supplier, sku) == stock - 2
    with pytest.raises(OrderStepError):
        sandbox.ship("PO2")


def test_the_supplier_ships_and_delivers_track_lists_each_package_and_slow_logistics_holds_them_back(supplier):
    sandbox = supplier.sandbox
    first, second = supplier.stocked(2)
    order_id = supplier.submit("PO1", {first: 2, second: 1})["orderId"]
    with pytest.raises(OrderStepError):
        sandbox.ship("PO1")  # not confirmed
    supplier.result("/api/order/confirm", thirdOrder="PO1")
    assert supplier.result("/api/order/track", thirdOrder="PO1") == []

    sandbox.ship("PO1")
    packages = supplier.result("/api/order/track", orderId=order_id, thirdOrder="PO1")
    assert len(packages) == 1 and set(packages[0]) == {"orderId", "carrier", "waybillNo", "dispatchNo", "sku", "steps"}
    assert packages[0]["orderId"] == order_id and packages[0]["waybillNo"] and packages[0]["carrier"]
    assert packages[0]["sku"] == [{"skuId": first, "name": sandbox.products[first].detail["name"], "num": 2},
                                  {"skuId": second, "name": sandbox.products[second].detail["name"], "num": 1}]
    assert [step["content"] for step in packages[0]["steps"]] == ["您的订单已出库"]
    assert set(packages[0]["steps"][0]) == {"time", "content", "operator"}
    assert supplier.result("/api/order/select", thirdOrder="PO1")["state"] == 3

    sandbox.deliver("PO1")
    assert supplier.result("/api/order/select", thirdOrder="PO1")["state"] == 4
    steps = supplier.result("/api/order/track", thirdOrder="PO1")[0]["steps"]
    assert [step["content"] for step in steps] == ["您的订单已出库", "已签收，签收人：张三"]

    stock = stock_of(supplier, first)
    supplier.placed("PO2", {first: 3})
    supplier.faults(slow_logistics="2")
    sandbox.refuse_delivery("PO2")  # ships first, then the buyer refuses it: the goods go back to stock
    assert [len(supplier.result("/api/order/track", thirdOrder="PO2")) for _ in range(3)] == [0, 0, 1]
    assert supplier.result("/api/order/select", thirdOrder="PO2")["state"] == 6 and stock_of(supplier, first) == stock
    assert supplier.result("/api/order/track", thirdOrder="PO1")[0]["steps"] == steps  # PO1's first 2 calls: spent
    assert supplier.refusal("/api/order/track", thirdOrder="PO9")[0] == "2005"


def test_split_orders_make_a_child_a_line_on_confirm_and_the_parent_follows_its_children(supplier):
    sandbox = supplier.sandbox
    a, b, c = supplier.stocked(3)
    supplier.faults(split_orders="1")
    supplier.placed("PO1", {a: 1, b: 2, c: 1})
    supplier.placed("PO2", {a: 1})  # one line: nothing to split

    parent = supplier.result("/api/order/select", thirdOrder="PO1")
    children = parent["children"]
    assert [child["orderId"] for child in children] == [f"{parent['orderId']}-{n}" for n in (1, 2, 3)]
    assert [child["sku"] for child in children] == [[line] for line in parent["sku"]]
    assert all(child["state"] == 2 for child in children) and parent["state"] == 2
    assert sum(Decimal(child["orderPrice"]) for child in children) == Decimal(parent["orderPrice"])
    assert supplier.result("/api/order/select", orderId=children[1]["orderId"]) == parent
    assert supplier.result("/api/order/select", thirdOrder="PO2")["children"] == []

    sandbox.ship("PO1", children[0]["orderId"])
    assert [child.state for child in sandbox.orders["PO1"].children] == [3, 2, 2] and sandbox.orders["PO1"].state == 2
    sandbox.ship("PO1")
    packages = supplier.result("/api/order/track", thirdOrder="PO1")
    assert [p["orderId"] for p in packages] == [child["orderId"] for child in children]
    assert [p["sku"][0]["skuId"] for p in packages] == [a, b, c] and supplier.result(
        "/api/order/select", thirdOrder="PO1")["state"] == 3
    sandbox.deliver("PO1", children[0]["orderId"])
    sandbox.refuse_delivery("PO1", children[1]["orderId"])
    assert supplier.result("/api/order/select", thirdOrder="PO1")["state"] == 3
    sandbox.deliver("PO1")
    selected = supplier.result("/api/order/select", thirdOrder="PO1")
    assert [child["state"] for child in selected["children"]] == [4, 6, 4] and selected["state"] == 4
    invoice = supplier.result("/api/invoice/select", thirdOrder="PO1")
    paid_for = Decimal(children[0]["orderPrice"]) + Decimal(children[2]["orderPrice"])
    assert invoice["amount"] == f"{paid_for:.2f}"  # the refused child is not invoiced
    assert supplier.result("/api/order/confirm", thirdOrder="PO1")["state"] == 4  # confirming again changes nothing


def test_a_lost_submit_reply_still_made_the_order_and_the_resubmit_answers_it(supplier):
    sandbox = supplier.sandbox
    sku = supplier.stocked(1)[0]
    supplier.faults(lose_submit_reply="1")

    lost = supplier.raw("/api/order/submit", **supplier.order("PO1", {sku: 1}))
    assert lost.status_code == 502 and lost.headers["Content-Type"].startswith("text/html")
    assert "502 Bad Gateway" in lost.text and sandbox.orders_created == 1
    order_id = sandbox.orders["PO1"].order_id
    assert supplier.result("/api/order/select", thirdOrder="PO1")["orderId"] == order_id  # the mall asks first
    assert supplier.submit("PO1", {sku: 1})["orderId"] == order_id  # or resubmits: answered, not made again
    assert sandbox.orders_created == 1
    assert supplier.raw("/api/order/submit", **supplier.order("PO2", {sku: 1})).status_code == 502
    supplier.faults(lose_submit_reply="0")
    assert supplier.submit("PO3", {sku: 1})["state"] == 1 and sandbox.orders_created == 3


def test_concurrent_submits_of_one_third_order_make_exactly_one_order(supplier):
    sku = supplier.stocked(1, at_least=10)[0]
    stock = stock_of(supplier, sku)
    replies = []

    def submit():
        replies.append(supplier.submit("PO1", {sku: 2}))

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(replies) == 8 and len({reply["orderId"] for reply in replies}) == 1
    assert supplier.sandbox.orders_created == 1 and stock_of(supplier, sku) == stock - 2


def test_price_changed_moves_the_price_once_and_out_of_stock_empties_an_area_by_either_name(supplier):
    sandbox = supplier.sandbox
    moved, other = supplier.stocked(2)
    seen = sandbox.products[moved].price
    supplier.faults(price_changed=f"{moved},NOPE")

    code, desc = supplier.refusal("/api/order/submit", **supplier.order("PO1", {moved: 1, other: 1}))
    now = sandbox.products[moved].price
    assert code == "2004" and now != seen and desc == f"{moved} 价格已变化：下单价 {seen}，当前协议价 {now}"
    assert supplier.result("/api/product/prices", sku=moved)[0]["price"] == now
    assert supplier.submit("PO1", {moved: 1, other: 1})["state"] == 1  # at the new price: the price moved once
    assert sandbox.products[moved].price == now

    supplier.faults(out_of_stock=sandbox.area_id(HEPING))
    assert stock_of(supplier, other) == 0 and stock_of(supplier, other, HEDONG) > 0
    code, desc = supplier.refusal("/api/order/submit", **supplier.order("PO2", {other: 1}))
    assert code == "2003" and desc == f"{other} 库存不足：和平区 可售 0，需要 1"
    supplier.faults(out_of_stock="120000")  # our code of 天津市: every Tianjin county
    assert stock_of(supplier, other, HEDONG) == 0
    assert supplier.refusal("/api/order/submit", **supplier.order("PO2", {other: 1}, to=HEDONG))[0] == "2003"
    beijing = supplier.stocked(1, area=DONGCHENG)[0]
    assert supplier.submit("PO2", {beijing: 1}, to=DONGCHENG)["state"] == 1


def test_returns_only_on_completed_orders_within_the_bought_quantities_once_per_service_number(supplier):
    sandbox = supplier.sandbox
    first, second = supplier.stocked(2)
    supplier.placed("PO1", {first: 2, second: 1})

    def apply(service_no, quantities, kind="1"):
        lines = json.dumps([{"skuId": sku, "num": num} for sku, num in quantities.items()])
        return supplier.call("/api/afterSale/apply", thirdOrder="PO1", serviceNo=service_no, type=kind, sku=lines,
                             reason="质量问题")

    assert apply("S1", {first: 1})["code"] == "3002"  # not completed yet
    sandbox.deliver("PO1")
    applied = apply("S1", {first: 1})["result"]
    assert set(applied) == {"serviceId", "state"} and applied["state"] == 1
    assert apply("S1", {second: 1})["result"] == applied and len(sandbox.after_sales) == 1  # the same serviceNo
    assert apply("S2", {first: 2}) == {"success": False, "code": "3002",
                                       "desc": f"{first} 退换数量超出：购买 2，已申请 1，本次 2"}
    assert apply("S2", {"NOPE": 1})["code"] == "3002"
    exchange = apply("S3", {first: 1, second: 1}, kind="2")["result"]
    assert apply("S4", {second: 1})["code"] == "3002"  # everything bought is under a service now
    assert supplier.call("/api/afterSale/apply", thirdOrder="PO1", serviceNo="S5", type="3", sku="[]")["code"] == "1001"

    service = applied["serviceId"]
    assert supplier.result("/api/afterSale/select", serviceId=service) == {
        "serviceId": service, "state": 1, "desc": "申请中，等待电商审核"}
    sandbox.advance_return(service)
    sandbox.reject_return(exchange["serviceId"], "超过换货期限")
    assert supplier.result("/api/afterSale/select", serviceId=service)["state"] == 2
    assert supplier.result("/api/afterSale/select", serviceId=exchange["serviceId"]) == {
        "serviceId": exchange["serviceId"], "state": 5, "desc": "已驳回：超过换货期限"}
    assert apply("S4", {second: 1})["result"]["state"] == 1  # a rejected service frees its quantities
    assert supplier.refusal("/api/afterSale/select", serviceId="AS9") == ("1001", "serviceId：退换货单 AS9 不存在")


def test_reconciliation_lists_the_days_orders_paged_with_totals_and_disagrees_when_told(supplier):
    sandbox = supplier.sandbox
    skus = supplier.stocked(4)
    for n, sku in enumerate(skus, 1):
        supplier.placed(f"PO{n}", {sku: 1})
    supplier.result("/api/order/cancel", thirdOrder=supplier.submit("PO5", {skus[0]: 1})["thirdOrder"])
    sandbox.deliver("PO1")
    sandbox.refuse_delivery("PO2")
    day = format_wire_date(sandbox.orders["PO1"].submitted_at)
    sandbox.travel(timedelta(days=1))
    supplier.placed("PO6", {skus[0]: 1})

    listed = supplier.result("/api/order/check", date=day, pageSize="3")
    assert (listed["total"], listed["pageNo"], listed["pageSize"], listed["pageCount"]) == (4, 1, 3, 2)
    rows = listed["items"] + supplier.result("/api/order/check", date=day, pageSize="3", pageNo="2")["items"]
    assert [row["thirdOrder"] for row in rows] == ["PO1", "PO2", "PO3", "PO4"]  # not the cancelled one, not the next day's
    assert set(rows[0]) == {"orderId", "thirdOrder", "deliveryState", "invoiceState", "orderPrice"}
    assert [(row["deliveryState"], row["invoiceState"]) for row in rows] == [(2, 1), (3, 0), (1, 0), (1, 0)]
    assert [row["orderPrice"] for row in rows] == [sandbox.products[sku].price for sku in skus]
    assert listed["totalAmount"] == f"{sum(Decimal(sandbox.products[sku].price) for sku in skus):.2f}"
    next_day = format_wire_date(sandbox.orders["PO6"].submitted_at)
    assert [row["thirdOrder"] for row in supplier.result("/api/order/check", date=next_day)["items"]] == ["PO6"]
    assert supplier.result("/api/order/check", date="2020-01-01")["total"] == 0
    assert supplier.refusal("/api/order/check", date="2026/01/01") == ("1001", "date：格式应为 yyyy-MM-dd")
    assert supplier.refusal("/api/order/check", date=day, pageSize="1001")[0] == "1002"

    supplier.faults(reconciliation_disagree="1")
    disagreeing = supplier.result("/api/order/check", date=day)["items"]
    by_third = {row["thirdOrder"]: row for row in disagreeing}
    assert Decimal(by_third["PO1"]["orderPrice"]) == Decimal(rows[0]["orderPrice"]) + 10  # one amount differs
    assert "PO4" not in by_third  # one submitted order missing
    strangers = [third for third in by_third if third not in sandbox.orders]  # one the mall never submitted
    assert len(strangers) == 1 and len(disagreeing) == 4
    assert by_third["PO2"] == rows[1] and by_third["PO3"] == rows[2]


def test_credit_term_payments_are_deduplicated_by_serial_number_and_checked(supplier):
    sandbox = supplier.sandbox
    first, second, third = supplier.stocked(3)
    supplier.placed("PO1", {first: 1})
    price = sandbox.products[first].price

    def pay(serial, amount, third_order="PO1"):
        return supplier.call("/api/order/payment", thirdOrder=third_order, serialNo=serial, amount=amount,
                             payTime="2026-11-25 10:00:00", bankName="中国工商银行", bankAccount="6222020200001234")

    assert pay("B1", price)["code"] == "9999"  # not delivered yet
    sandbox.deliver("PO1")
    assert supplier.refusal("/api/order/payment_state", thirdOrder="PO1") == ("9999", "订单 PO1 尚未收到付款信息")
    receipt = pay("B1", price)["result"]
    assert set(receipt) == {"receiptId", "state"} and receipt["state"] == 1
    assert pay("B1", price)["result"] == receipt and len(sandbox.orders["PO1"].payments) == 1
    assert supplier.result("/api/order/payment_state", thirdOrder="PO1") == {
        "state": 1, "desc": f"待核对：已收到 1 笔转账信息，合计 {price}"}
    sandbox.check_payments()
    assert supplier.result("/api/order/payment_state", thirdOrder="PO1") == {"state": 2, "desc": f"已确认收款 {price}"}
    assert pay("B1", price)["result"] == {"receiptId": receipt["receiptId"], "state": 2}

    supplier.placed("PO2", {second: 1})
    sandbox.deliver("PO2")
    assert pay("B1", "1.00", "PO2") == {"success": False, "code": "1001", "desc": "serialNo：流水号 B1 已登记在订单 PO1"}
    assert pay("B2", "0", "PO2")["desc"] == "amount：应大于 0"
    assert pay("B2", "1.00", "PO2")["result"]["state"] == 1
    sandbox.check_payments("PO2")
    state = supplier.result("/api/order/payment_state", thirdOrder="PO2")
    assert state == {"state": 3, "desc": f"金额不符：应付 {sandbox.products[second].price}，已到账 1.00"}

    supplier.placed("PO3", {third: 1}, paymentType="1")
    sandbox.deliver("PO3")
    assert "不是账期订单" in pay("B3", "1.00", "PO3")["desc"]
    supplier.faults(payment_rejected="1")
    supplier.placed("PO4", {third: 1})
    sandbox.deliver("PO4")
    pay("B4", sandbox.products[third].price, "PO4")
    sandbox.advance_all()
    rejected = supplier.result("/api/order/payment_state", thirdOrder="PO4")
    assert rejected == {"state": 3, "desc": "流水号 B4 未查到到账记录（中国工商银行 尾号 1234），请核对后重新推送"}


def test_the_e_invoice_comes_with_delivery_as_a_downloadable_pdf_or_on_the_nth_select_when_late(supplier):
    sandbox = supplier.sandbox
    first, second = supplier.stocked(2)
    order_id = supplier.placed("PO1", {first: 1})["orderId"]
    empty = {"state": 0, "invoiceCode": "", "invoiceNo": "", "amount": "", "issuedAt": "", "url": ""}
    assert supplier.result("/api/invoice/select", thirdOrder="PO1") == empty

    sandbox.deliver("PO1")
    invoice = supplier.result("/api/invoice/select", orderId=order_id, thirdOrder="PO1")
    assert invoice["state"] == 1 and invoice["amount"] == sandbox.products[first].price
    assert invoice["invoiceCode"] and invoice["invoiceNo"] and invoice["issuedAt"] == format_wire_time(
        sandbox.orders["PO1"].invoice.issued_at)
    assert invoice["url"] == f"{supplier.url}/invoice/{order_id}.pdf"
    pdf = requests.get(invoice["url"], timeout=10)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-1.4") and pdf.content.rstrip().endswith(b"%%EOF")
    assert invoice["invoiceNo"].encode() in pdf.content
    offsets = pdf.content.split(b"xref\n")[1].split(b"trailer")[0].split(b"\n")[2:-1]
    assert all(pdf.content[int(line[:10]):].startswith(b"%d 0 obj" % n) for n, line in enumerate(offsets, 1))
    assert requests.get(f"{supplier.url}/invoice/{order_id}X.pdf", timeout=10).status_code == 404

    supplier.faults(invoice_late="3")
    supplier.placed("PO2", {second: 1})
    assert supplier.result("/api/invoice/select", thirdOrder="PO2")["state"] == 0  # not delivered: not counted
    sandbox.deliver("PO2")
    assert [supplier.result("/api/invoice/select", thirdOrder="PO2")["state"] for _ in range(4)] == [0, 0, 1, 1]
    assert supplier.result("/api/order/check", date=format_wire_date(sandbox.orders["PO2"].submitted_at))[
        "items"][1]["invoiceState"] == 1


def test_auto_progress_ships_and_delivers_on_the_suppliers_clock_and_the_demo_has_it_on(supplier):
    sandbox = supplier.sandbox
    first, second = supplier.stocked(2)
    supplier.placed("PO1", {first: 1})
    supplier.placed("PO2", {second: 1})
    confirmed = sandbox.orders["PO1"].confirmed_at
    supplier.faults(auto_progress="60,120")

    sandbox.travel(timedelta(seconds=58))
    assert supplier.result("/api/order/select", thirdOrder="PO1")["state"] == 2
    sandbox.travel(timedelta(seconds=2))
    assert supplier.result("/api/order/select", thirdOrder="PO1")["state"] == 3
    sandbox.travel(timedelta(seconds=120))
    assert sandbox.orders["PO1"].state == 4 and sandbox.orders["PO1"].invoice is not None
    steps = supplier.result("/api/order/track", thirdOrder="PO1")[0]["steps"]
    assert [step["time"] for step in steps] == [format_wire_time(confirmed + timedelta(seconds=s)) for s in (60, 180)]
    supplier.result("/api/order/payment", thirdOrder="PO1", serialNo="B1", amount=sandbox.products[first].price,
                    payTime="2026-11-25 10:00:00", bankName="中国建设银行", bankAccount="6217000000001111")
    sandbox.travel(timedelta(seconds=59))
    assert supplier.result("/api/order/payment_state", thirdOrder="PO1")["state"] == 1
    sandbox.travel(timedelta(seconds=2))
    assert supplier.result("/api/order/payment_state", thirdOrder="PO1")["state"] == 2  # checked a minute after

    supplier.faults(auto_progress="")
    supplier.placed("PO3", {first: 1})
    sandbox.travel(timedelta(hours=1))
    assert sandbox.orders["PO3"].state == 2
    assert sandbox.advance_all() == ["PO3"] and sandbox.orders["PO3"].state == 3
    sandbox.advance_all()
    assert sandbox.orders["PO3"].state == 4

    assert build_demo_sandbox("http://127.0.0.1:8000").faults.extra["auto_progress"] == "60,120"


def test_the_base_switches_and_the_token_reach_the_order_interfaces(supplier):
    sku = supplier.stocked(1)[0]
    supplier.placed("PO1", {sku: 1})
    refused = supplier.post("/api/order/select", thirdOrder="PO1", token="made-up")
    assert refused["success"] is False and refused["code"] == "1004" and "token_expired" in refused["desc"]

    supplier.faults(success_as_text="1")
    assert supplier.call("/api/order/select", thirdOrder="PO1")["success"] == "true"
    assert supplier.call("/api/order/select", thirdOrder="PO9")["success"] == "false"
    supplier.faults(success_as_text="0", error_rate="1")
    assert supplier.raw("/api/order/select", thirdOrder="PO1").status_code == 503
    supplier.faults(error_rate="0", malformed_rate="1")
    with pytest.raises(ValueError):
        supplier.raw("/api/order/select", thirdOrder="PO1").json()
    supplier.faults(malformed_rate="0", token_expire_after="1")
    supplier.token = supplier.post("/api/auth/access_token", username=SANDBOX_USERNAME,
                                   password=crypto.sm3_hex(SANDBOX_PASSWORD), timestamp="2026-01-01 00:00:00")[
        "result"]["access_token"]
    assert [supplier.call("/api/order/track", thirdOrder="PO1")["success"] for _ in range(2)] == [True, False]
    assert supplier.sandbox.calls["/api/order/select"] == 5  # refused, counted and faulted calls too
