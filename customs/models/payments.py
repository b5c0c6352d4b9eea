"""Payment records of cross-border orders: what customs asks for (seed 004 §1.6.3), kept as entered.

One payment (the request to and reply from the payment company) may pay several declared orders;
each order has its recipient and its goods. Field lengths are those of §1.6.3 (C..n = at most n
characters), so what is entered can be uploaded as it is.
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator, RegexValidator
from django.db import connection, models

from customs.wire import CUSTOMS_SPAN_TEXT, within_customs_span
from procurement.kernel.credit_code import validate_credit_code

customs_code_validator = RegexValidator(r"^[0-9A-Za-z]+$", "海关编码只能包含字母和数字")
currency_validator = RegexValidator(r"^[0-9A-Za-z]{1,4}$", "币制应为海关币制代码（如 142 人民币、502 美元）")
SQLITE_EXACT_DIGITS = 15


def stored_exactly(amount):
    """SQLite keeps 15 significant digits of a decimal: refuse more there rather than round silently."""
    digits = len(amount.normalize().as_tuple().digits)
    if connection.vendor == "sqlite" and digits > SQLITE_EXACT_DIGITS:
        raise ValidationError(
            f"本地 SQLite 数据库只能精确保存 {SQLITE_EXACT_DIGITS} 位有效数字（此金额 {digits} 位）；"
            "如需 N19,5 的全部位数，请使用 PostgreSQL（DATABASE_URL）"
        )


def validate_trading_time(moment):
    """A payment time customs can be told (year 1 or 9999 is a typing mistake, and cannot be stored everywhere)."""
    if not within_customs_span(moment):
        raise ValidationError(f"交易成功时间应在 {CUSTOMS_SPAN_TEXT} 之间")


class PaymentRecord(models.Model):
    """The payment of one or more cross-border orders: the head (payExchangeInfoHead) of an upload."""

    class VerDept(models.TextChoices):
        UNIONPAY = "1", "1-银联"
        NETSUNION = "2", "2-网联"
        OTHER = "3", "3-其他"

    class PayType(models.TextChoices):
        APP = "1", "1-APP"
        PC = "2", "2-PC"
        SCAN = "3", "3-扫码"
        OTHER = "4", "4-其他"

    ebp_code = models.CharField("电商平台代码", max_length=18, validators=[customs_code_validator],
                                help_text="电商平台的海关注册登记编号（ebpCode）")
    pay_code = models.CharField("支付企业代码", max_length=18, validators=[customs_code_validator],
                                help_text="支付企业的海关注册登记编号（payCode）")
    pay_transaction_id = models.CharField("交易流水号", max_length=60, help_text="payTransactionId")
    total_amount = models.DecimalField(
        "交易金额", max_digits=19, decimal_places=5,
        validators=[MinValueValidator(Decimal("0.00001")), stored_exactly],
        help_text="实际交易金额（N19,5）",
    )
    currency = models.CharField("币制", max_length=4, validators=[currency_validator],
                                help_text="海关币制代码，如 142 人民币、502 美元")
    ver_dept = models.CharField("验核机构", max_length=1, choices=VerDept.choices)
    pay_type = models.CharField("支付类型", max_length=1, choices=PayType.choices, blank=True)
    trading_time = models.DateTimeField("交易成功时间", validators=[validate_trading_time],
                                        help_text="上传时按北京时间写为 yyyyMMddHHmmss（2000–2099 年）")
    inital_request = models.TextField("原始请求", validators=[MaxLengthValidator(8000)],
                                      help_text="向支付企业发送的原始信息，原样保存（initalRequest，至多 8000 字符）")
    inital_response = models.TextField("原始响应", validators=[MaxLengthValidator(8000)],
                                       help_text="支付企业反馈的原始信息，原样保存（initalResponse，至多 8000 字符）")
    note = models.TextField("备注", blank=True, validators=[MaxLengthValidator(1000)])
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "支付记录"
        db_table = "orders_paymentrecord"  # the table these rows were first kept in
        ordering = ["-trading_time", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["pay_code", "pay_transaction_id"], name="unique_payment_per_pay_company"),
        ]

    def __str__(self):
        return f"{self.pay_transaction_id}（{self.pay_code}）"


class CrossBorderOrder(models.Model):
    """A declared order paid by a payment: one entry of payExchangeInfoLists."""

    payment = models.ForeignKey(PaymentRecord, on_delete=models.CASCADE, related_name="orders", verbose_name="支付记录")
    order_no = models.CharField("订单编号", max_length=60, unique=True, help_text="向海关申报的订单编号（orderNo）")
    recp_account = models.CharField("收款账号", max_length=60, help_text="卖方商户的收款账户（recpAccount）")
    recp_code = models.CharField("收款企业代码", max_length=18, blank=True, validators=[validate_credit_code],
                                 help_text="境内企业为 18 位统一社会信用代码（校验位须正确）；境外企业不填（recpCode）")
    recp_name = models.CharField("收款企业名称", max_length=100, help_text="recpName")

    class Meta:
        verbose_name = verbose_name_plural = "跨境订单"
        db_table = "orders_crossborderorder"
        ordering = ["order_no"]

    def __str__(self):
        return self.order_no


class OrderGoods(models.Model):
    """A good of an order: its name and display link (goodsInfo)."""

    order = models.ForeignKey(CrossBorderOrder, on_delete=models.CASCADE, related_name="goods", verbose_name="订单")
    position = models.PositiveSmallIntegerField("序号", default=0)
    gname = models.CharField("商品名称", max_length=250)
    item_link = models.CharField("商品展示链接", max_length=3000)

    class Meta:
        verbose_name = verbose_name_plural = "订单商品"
        db_table = "orders_ordergoods"
        ordering = ["order", "position", "id"]

    def __str__(self):
        return self.gname
