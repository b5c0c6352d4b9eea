"""Input and output shapes of the storefront's order API (staff-authenticated, /api/staff/orders)."""
from rest_framework import serializers

from orders.masking import mask_address, mask_phone
from orders.models import Order


class LineIn(serializers.Serializer):
    supplier = serializers.CharField(max_length=50, help_text="电商编码")
    sku = serializers.CharField(max_length=64, help_text="电商商品编号")
    quantity = serializers.IntegerField(min_value=1, max_value=100_000)
    price = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="采购人下单时看到的协议价")


class AddressIn(serializers.Serializer):
    areaCode = serializers.CharField(max_length=12, help_text="收货区县的地区编码（§7.1.6）")
    address = serializers.CharField(max_length=300)
    receiver = serializers.CharField(max_length=50)
    receiverPhone = serializers.RegexField(r"^1\d{10}$", help_text="11 位手机号")


class OrderIn(serializers.Serializer):
    storefrontNo = serializers.CharField(max_length=64, help_text="前台订单（购物车）号：同一号重复提交返回已建订单")
    purchaser = serializers.CharField(max_length=64, help_text="采购人的商城用户编号（external_id）")
    addressId = serializers.IntegerField(required=False, help_text="采购人已有的收货地址；与 address 二选一")
    address = AddressIn(required=False)
    payment = serializers.ChoiceField(choices=Order.Payment.choices, default=Order.Payment.IMMEDIATE)
    autoConfirm = serializers.BooleanField(default=True, help_text="电商预下单成功后即确认订单；否则待前台确认")
    invoiceTitle = serializers.CharField(max_length=200, required=False, help_text="默认为采购单位名称")
    invoiceTaxNo = serializers.CharField(max_length=20, required=False, help_text="默认为单位统一社会信用代码")
    remark = serializers.CharField(max_length=500, required=False, allow_blank=True)
    lines = LineIn(many=True, allow_empty=False)

    def validate(self, data):
        if ("addressId" in data) == ("address" in data):
            raise serializers.ValidationError({"address": "addressId 与 address 须且只须给一个"})
        return data


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class PaymentIn(serializers.Serializer):
    serialNo = serializers.CharField(max_length=64, help_text="银行流水号")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    paidAt = serializers.DateTimeField(help_text="转账时间")
    bankName = serializers.CharField(max_length=100)
    bankAccount = serializers.CharField(max_length=40)


class LineOut(serializers.Serializer):
    sku = serializers.CharField(source="sku_code")
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    price = serializers.DecimalField(source="unit_price", max_digits=14, decimal_places=2)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class OrderOut(serializers.Serializer):
    number = serializers.CharField()
    storefrontNo = serializers.CharField(source="storefront_no")
    cartNo = serializers.CharField(source="cart_no")
    supplier = serializers.CharField(source="supplier.code")
    status = serializers.CharField()
    statusLabel = serializers.CharField(source="get_status_display")
    payment = serializers.CharField()
    paymentStatus = serializers.CharField(source="payment_status")
    dueDate = serializers.DateField(source="due_date", allow_null=True)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    supplierOrderNo = serializers.CharField(source="supplier_order_no")
    stopReason = serializers.CharField(source="stop_reason")
    receiver = serializers.CharField()
    receiverPhone = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    createdAt = serializers.DateTimeField(source="created_at")
    lines = LineOut(many=True)

    def get_receiverPhone(self, order) -> str:
        return mask_phone(order.receiver_phone)

    def get_address(self, order) -> str:
        return mask_address(order.address)
