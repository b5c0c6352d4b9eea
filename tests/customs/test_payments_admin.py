"""The payment records in the admin: each order's recipient and goods, amounts as Decimal, verbatim payment texts."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from customs.models import CrossBorderOrder, PaymentRecord
from tests.customs.payment_factories import paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(client):
    client.force_login(User.objects.create_superuser("boss", "boss@example.cn", "pw-Boss-2026"))


def form(**changes):
    data = {
        "ebp_code": "12019600AA", "pay_code": "4403160BUF", "pay_transaction_id": "TX-ADMIN-1",
        "total_amount": "88.88", "currency": "502", "ver_dept": "1", "pay_type": "2",
        "trading_time_0": "2026-03-05", "trading_time_1": "13:33:20",
        "inital_request": "  原始请求\n保留空白  ", "inital_response": '{"code":"10000"}', "note": "",
        "orders-TOTAL_FORMS": 1, "orders-INITIAL_FORMS": 0,
        "orders-0-order_no": "ord-admin-1", "orders-0-recp_account": "6217850100007893905",
        "orders-0-recp_code": "", "orders-0-recp_name": "天猫国际有限公司",
    }
    data.update(changes)
    return data


def test_staff_enter_a_payment_with_its_orders(client, boss):
    response = client.post(reverse("admin:customs_paymentrecord_add"), form())

    assert response.status_code == 302, response.content.decode()[:3000]
    payment = PaymentRecord.objects.get()
    assert payment.total_amount == Decimal("88.88")
    assert payment.inital_request == "  原始请求\n保留空白  "
    assert payment.orders.get().recp_name == "天猫国际有限公司"


@pytest.mark.parametrize(("changes", "words"), [
    ({"total_amount": "88.123456"}, "5"),
    ({"currency": "50200"}, "币制"),
    ({"ver_dept": "9"}, "9"),
    ({"orders-0-recp_name": "名" * 101}, "100"),
    ({"orders-0-recp_code": "91350100M000100Y44"}, "校验位错误"),
    ({"orders-0-recp_code": "1105910159"}, "统一社会信用代码应为 18 位"),
    ({"trading_time_0": "0001-01-01"}, "交易成功时间应在 2000-01-01 00:00:00 至 2099-12-31 23:59:59"),
    ({"trading_time_0": "9999-12-31", "trading_time_1": "23:59:59"}, "交易成功时间应在"),
])
def test_the_admin_refuses_what_customs_would_refuse(client, boss, changes, words):
    response = client.post(reverse("admin:customs_paymentrecord_add"), form(**changes))

    assert response.status_code == 200
    assert "errornote" in response.content.decode() and words in response.content.decode()
    assert not PaymentRecord.objects.exists()


def test_an_order_page_shows_its_goods_and_the_payment(client, boss):
    order = paid_order("ord-show", goods=("婴儿奶粉", "棉拖鞋"))

    page = client.get(reverse("admin:customs_crossborderorder_change", args=[order.pk])).content.decode()
    listing = client.get(reverse("admin:customs_paymentrecord_changelist")).content.decode()

    assert "婴儿奶粉" in page and "棉拖鞋" in page and order.payment.pay_transaction_id in page
    assert order.payment.pay_transaction_id in listing
    assert CrossBorderOrder.objects.count() == 1


def test_the_payment_companys_texts_are_not_resubmitted_by_the_change_form(client, django_user_model):
    order = paid_order("ord-verbatim")
    PaymentRecord.objects.filter(pk=order.payment_id).update(inital_request="line one\nline two")
    client.force_login(django_user_model.objects.create_superuser("boss2", "b@example.cn", "pw-Boss-2026"))

    page = client.get(reverse("admin:customs_paymentrecord_change", args=[order.payment_id])).content.decode()

    assert 'name="inital_request"' not in page
    assert "line one" in page
