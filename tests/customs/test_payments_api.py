"""The staff API for payment records: rights by Django permissions, exact amounts, verbatim payment texts, clear errors."""
import base64
import json
import logging
from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection

from customs.models import CrossBorderOrder, OrderGoods, PaymentRecord
from procurement.kernel.wire import SHANGHAI
from tests.customs.payment_factories import paid_order

pytestmark = pytest.mark.django_db
URL = "/api/staff/payments"

RAW_REQUEST = "biz_content={\n  \"subject\": \"Iphone6 16G\",\n  \"total_amount\": 88.88 \n}\n"
DOCUMENT = {
    "ebpCode": "44069679AS", "payCode": "4403160BUF", "payTransactionId": "201808010XTOO180881108351",
    "currency": "502", "verDept": "3", "payType": "1", "tradingTime": "20180705133320",
    "initalRequest": RAW_REQUEST, "initalResponse": " {\"code\": \"10000\"} ", "note": "备注",
    "orders": [
        {"orderNo": "ord201808030001", "recpAccount": "6217850100007893905", "recpCode": "91350100M000100Y43",
         "recpName": "天猫国际有限公司", "goodsInfo": [{"gname": "小米盒子", "itemLink": "http://example.cn/1"},
                                                {"gname": "零食", "itemLink": "http://example.cn/2"}]},
        {"orderNo": "ord201808030002", "recpAccount": "6217850100007893905", "recpName": "天猫国际有限公司",
         "goodsInfo": [{"gname": "奶粉", "itemLink": "http://example.cn/3"}]},
    ],
}


def staff(*codenames, group=None):
    user = User.objects.create_user("clerk", password="pw-Clerk-2026", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def basic(user):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{user.username}:pw-Clerk-2026".encode()).decode()}


def post(client, user, body):
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return client.post(URL, text, content_type="application/json", **basic(user))


def test_a_payment_is_created_with_its_orders_and_goods(client):
    user = staff(group="海关数据")
    body = json.dumps({**DOCUMENT, "totalAmount": "PLACEHOLDER"}, ensure_ascii=False).replace(
        '"PLACEHOLDER"', "12345678901234.12345")

    response = post(client, user, body)

    if connection.vendor == "sqlite":  # keeps 15 significant digits: refused rather than rounded
        assert response.status_code == 400 and "PostgreSQL" in response.json()["errors"][0]
        body = body.replace("12345678901234.12345", "1234567890.12345")
        response = post(client, user, body)
    assert response.status_code == 201, response.content.decode()
    payment = PaymentRecord.objects.get()
    expected = "12345678901234.12345" if connection.vendor != "sqlite" else "1234567890.12345"
    assert payment.total_amount == Decimal(expected)  # never through a float
    assert payment.inital_request == RAW_REQUEST and payment.inital_response == ' {"code": "10000"} '
    assert payment.trading_time == datetime(2018, 7, 5, 13, 33, 20, tzinfo=SHANGHAI)
    assert list(CrossBorderOrder.objects.values_list("order_no", flat=True)) == ["ord201808030001", "ord201808030002"]
    assert list(OrderGoods.objects.values_list("gname", flat=True)) == ["小米盒子", "零食", "奶粉"]
    reply = response.json()
    assert reply["totalAmount"] == expected and reply["orders"][0]["goodsInfo"][1]["gname"] == "零食"


def test_posting_again_updates_the_record_and_replaces_its_orders(client):
    user = staff(group="海关数据")
    post(client, user, {**DOCUMENT, "totalAmount": "88.88"})
    changed = {**DOCUMENT, "totalAmount": "99.5", "orders": DOCUMENT["orders"][1:]}

    response = post(client, user, changed)

    assert response.status_code == 200
    payment = PaymentRecord.objects.get()
    assert payment.total_amount == Decimal("99.5")
    assert list(payment.orders.values_list("order_no", flat=True)) == ["ord201808030002"]


def test_staff_read_records_by_order_number(client):
    user = staff("view_paymentrecord")
    order = paid_order("ord-read")
    paid_order("ord-other")

    listed = client.get(URL, {"orderNo": "ord-read"}, **basic(user)).json()
    single = client.get(f"{URL}/{order.payment_id}", **basic(user)).json()

    assert [p["orders"][0]["orderNo"] for p in listed] == ["ord-read"]
    assert single["payTransactionId"] == order.payment.pay_transaction_id and single["totalAmount"] == "2000.5"


def test_rights_follow_django_permissions(client):
    viewer = staff("view_paymentrecord")

    assert client.get(URL).status_code in (401, 403)
    assert post(client, viewer, {**DOCUMENT, "totalAmount": "1"}).status_code == 403
    adder = User.objects.create_user("adder", password="pw-Clerk-2026", is_staff=True)
    adder.user_permissions.add(Permission.objects.get(codename="add_paymentrecord"))
    paid_order(pay_code="4403160BUF", pay_transaction_id=DOCUMENT["payTransactionId"])
    response = client.post(URL, json.dumps({**DOCUMENT, "totalAmount": "1"}), content_type="application/json",
                           HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"adder:pw-Clerk-2026").decode())
    assert response.status_code == 403  # updating an existing record needs the change permission too
    assert "修改支付记录" in response.json()["detail"]


@pytest.mark.parametrize(("change", "words"), [
    ({"totalAmount": "88.123456"}, "totalAmount"),
    ({"totalAmount": "abc"}, "totalAmount"),
    ({"verDept": "9"}, "verDept"),
    ({"tradingTime": "2018/07/05"}, "tradingTime"),
    ({"orders": []}, "orders"),
])
def test_shape_errors_are_400_with_the_field(client, change, words):
    response = post(client, staff(group="海关数据"), {**DOCUMENT, "totalAmount": "1", **change})

    assert response.status_code == 400
    assert words in response.content.decode()
    assert not PaymentRecord.objects.exists()


@pytest.mark.parametrize(("change", "words"), [
    ({"payCode": "4" * 19}, "payCode"),
    ({"currency": "50200"}, "currency"),
    ({"initalRequest": "x" * 8001}, "initalRequest"),
    ({"orders": [{**DOCUMENT["orders"][0], "recpName": "名" * 101}]}, "orders[0].recpName"),
    ({"orders": [{**DOCUMENT["orders"][0], "goodsInfo": []}]}, "orders[0].goodsInfo"),
    ({"orders": [{**DOCUMENT["orders"][0], "recpCode": "91350100M000100Y44"}]}, "orders[0].recpCode"),
    ({"orders": [DOCUMENT["orders"][0], DOCUMENT["orders"][0]]}, "orders[1].orderNo"),
    ({"totalAmount": "0"}, "totalAmount"),
])
def test_rule_errors_are_400_with_the_field_and_nothing_is_written(client, change, words):
    response = post(client, staff(group="海关数据"), {**DOCUMENT, "totalAmount": "1", **change})

    assert response.status_code == 400
    assert any(line.startswith(words) for line in response.json()["errors"]), response.json()
    assert not PaymentRecord.objects.exists()


def test_an_order_of_another_payment_is_refused(client):
    paid_order("ord201808030001")

    response = post(client, staff(group="海关数据"), {**DOCUMENT, "totalAmount": "1"})

    assert response.status_code == 400
    assert "已属于支付记录" in response.json()["errors"][0]


@pytest.mark.parametrize("failure, expected_status", [
    (RuntimeError("a bug"), 500),
    (__import__("django.db").db.IntegrityError("unique constraint"), 409),
])
def test_a_failure_is_an_http_error_never_a_success_shaped_reply(client, monkeypatch, failure, expected_status):
    def failing(document):
        raise failure

    monkeypatch.setattr("customs.api.payment_views.payment_save", failing)
    response = post(client, staff(group="海关数据"), {**DOCUMENT, "totalAmount": "2000.5"})

    assert response.status_code == expected_status
    assert "detail" in response.json()
    assert not PaymentRecord.objects.exists()


@pytest.mark.parametrize(("body", "words"), [
    (json.dumps({**DOCUMENT, "totalAmount": "1", "tradingTime": "00010101000000"}), "tradingTime"),
    (json.dumps({**DOCUMENT, "totalAmount": "1", "tradingTime": "0001-01-01 00:00:00"}), "tradingTime"),
    (json.dumps({**DOCUMENT, "totalAmount": "1", "tradingTime": "99991231235959"}), "tradingTime"),
    (json.dumps({**DOCUMENT, "totalAmount": "1"}).replace('"1"', "9" * 5000, 1), "数字过长"),
    ("[" * 5000 + "]" * 5000, "嵌套过深"),
    (json.dumps({**DOCUMENT, "totalAmount": "1", "note": "@"}).replace('"@"', "[" * 5000 + "]" * 5000), "嵌套过深"),
])
def test_unreadable_times_and_json_are_400_never_500_nor_logged_as_errors(client, caplog, body, words):
    response = post(client, staff(group="海关数据"), body)

    assert response.status_code == 400, response.content.decode()[:300]
    assert words in response.content.decode()
    assert "2000-01-01" in response.content.decode() or words != "tradingTime"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert not PaymentRecord.objects.exists()
