"""Factories for payment records of cross-border orders, their orders and goods."""
from datetime import datetime
from decimal import Decimal

import factory

from customs.models import CrossBorderOrder, OrderGoods, PaymentRecord
from procurement.kernel.wire import SHANGHAI


class PaymentRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentRecord

    ebp_code = "12019600AA"
    pay_code = "4403160BUF"
    pay_transaction_id = factory.Sequence(lambda n: f"201808010XTOO{n:012d}")
    total_amount = Decimal("2000.50")
    currency = "142"
    ver_dept = PaymentRecord.VerDept.OTHER
    pay_type = PaymentRecord.PayType.APP
    trading_time = datetime(2018, 7, 5, 13, 33, 20, tzinfo=SHANGHAI)
    inital_request = "https://openapi.alipay.com/gateway.do?method=alipay.trade.pay&total_amount=2000.50"
    inital_response = '{"alipay_trade_pay_response":{"code":"10000","msg":"Success"}}'
    note = ""


class CrossBorderOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrossBorderOrder

    payment = factory.SubFactory(PaymentRecordFactory)
    order_no = factory.Sequence(lambda n: f"ord2018080300{n:04d}")
    recp_account = "6217850100007893905"
    recp_code = "91350100M000100Y43"
    recp_name = "天猫国际有限公司"


class OrderGoodsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderGoods

    order = factory.SubFactory(CrossBorderOrderFactory)
    position = factory.Sequence(int)
    gname = "小米盒子"
    item_link = factory.Sequence(lambda n: f"https://mall.example.cn/item/{n}")


def paid_order(order_no=None, goods=("小米盒子",), **payment_fields):
    """A payment with one order and its goods; returns the order."""
    payment = PaymentRecordFactory(**payment_fields)
    order = CrossBorderOrderFactory(payment=payment, **({"order_no": order_no} if order_no else {}))
    for name in goods:
        OrderGoodsFactory(order=order, gname=name)
    return order
