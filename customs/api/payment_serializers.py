"""The payment document (seed 004 §1.6.3 names) as the staff API and the import command accept and return it."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customs.models import PaymentRecord
from customs.payments.services import GOODS_FIELDS, HEAD_FIELDS, ORDER_FIELDS
from customs.wire import (
    CUSTOMS_SPAN_TEXT,
    customs_amount_text,
    format_trading_time,
    parse_trading_time,
    within_customs_span,
)
from procurement.kernel.wire import OutOfRange, parse_wire_time


@extend_schema_field({"type": "string", "example": "20180705133320"})
class TradingTimeField(serializers.Field):
    """Beijing time as customs writes it (yyyyMMddHHmmss), or as yyyy-MM-dd HH:mm:ss."""

    default_error_messages = {
        "invalid": "交易成功时间应为 yyyyMMddHHmmss 或 yyyy-MM-dd HH:mm:ss（北京时间）",
        "out_of_span": f"交易成功时间应在 {CUSTOMS_SPAN_TEXT} 之间，实为 {{value}}",
    }

    def to_internal_value(self, data):
        for parse in (parse_trading_time, parse_wire_time):
            try:
                moment = parse(data)
            except OutOfRange:
                self.fail("out_of_span", value=data)
            except ValueError:
                continue
            if not within_customs_span(moment):
                self.fail("out_of_span", value=data)
            return moment
        self.fail("invalid")

    def to_representation(self, value):
        return format_trading_time(value)


def verbatim(**options):
    """Text kept exactly as given (the payment company's request and reply): no trimming."""
    return serializers.CharField(trim_whitespace=False, **options)


class GoodsDocument(serializers.Serializer):
    gname = serializers.CharField(help_text="商品名称，至多 250 字符")
    itemLink = serializers.CharField(help_text="商品展示链接地址，至多 3000 字符")


class OrderDocument(serializers.Serializer):
    orderNo = serializers.CharField(help_text="申报订单编号，至多 60 字符")
    goodsInfo = GoodsDocument(many=True, help_text="至少一件")
    recpAccount = serializers.CharField(help_text="收款账号，至多 60 字符")
    recpCode = serializers.CharField(required=False, allow_blank=True, help_text="收款企业代码（境外企业可不填）")
    recpName = serializers.CharField(help_text="收款企业名称，至多 100 字符")


class PaymentDocument(serializers.Serializer):
    """Input: checked for shape and types here; lengths and codes are the models' rules (customs.payments.services)."""

    ebpCode = serializers.CharField(required=False, help_text="电商平台代码；不传时取配置 CUSTOMS_EBP_CODE")
    payCode = serializers.CharField(help_text="支付企业代码")
    payTransactionId = serializers.CharField(help_text="交易流水号；与 payCode 一起确定一条记录")
    totalAmount = serializers.DecimalField(
        max_digits=19, decimal_places=5,
        help_text="交易金额 N19,5：字符串（推荐）或 JSON 数字，按十进制精确读取，不经浮点",
    )
    currency = serializers.CharField(help_text="海关币制代码，如 142")
    verDept = serializers.ChoiceField(choices=PaymentRecord.VerDept.choices)
    payType = serializers.ChoiceField(choices=PaymentRecord.PayType.choices, required=False, allow_blank=True)
    tradingTime = TradingTimeField()
    initalRequest = verbatim(help_text="原始请求，原样保存")
    initalResponse = verbatim(help_text="原始响应，原样保存")
    note = verbatim(required=False, allow_blank=True)
    orders = OrderDocument(many=True, allow_empty=False)


def payment_as_document(payment):
    """A stored payment in the same shape (goods and orders prefetched by the caller)."""
    return {
        "id": payment.pk, **_wire(payment, HEAD_FIELDS),
        "totalAmount": customs_amount_text(payment.total_amount),
        "tradingTime": format_trading_time(payment.trading_time),
        "orders": [
            {**_wire(order, ORDER_FIELDS), "goodsInfo": [_wire(goods, GOODS_FIELDS) for goods in order.goods.all()]}
            for order in payment.orders.all()
        ],
    }


def _wire(instance, names):
    return {wire_name: getattr(instance, attname) for wire_name, attname in names.items()}
