"""Orders: one per supplier (a cart across suppliers becomes one order each, linked by the cart number), their
lines with the price the purchaser saw (frozen), and the state they are in, as data with history."""
from django.db import models

from catalog.models import Sku
from orders.models.parties import Purchaser, PurchasingUnit
from procurement.kernel.fields import EncryptedTextField
from procurement.kernel.statemachine import StateHistory
from procurement.models import Area, Supplier


class SupplierState(models.IntegerChoices):
    """The supplier's own order state (both contracts number them 1–6; procurement.suppliers.records.OrderState)."""

    PLACED = 1, "已预下单（未确认）"
    CONFIRMED = 2, "已确认"
    SHIPPED = 3, "已发货"
    COMPLETED = 4, "已妥投"
    CANCELLED = 5, "已取消"
    REFUSED = 6, "已拒收"
    UNKNOWN = 0, "未知"


class Order(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "待提交电商"
        SUBMITTED = "submitted", "已预下单"
        CONFIRMED = "confirmed", "已确认"
        SHIPPED = "shipped", "已发货"
        COMPLETED = "completed", "已完成"
        REFUSED = "refused", "电商拒单"
        CANCELLED = "cancelled", "已取消"
        DELIVERY_REFUSED = "delivery_refused", "拒收"
        RETURNED = "returned", "已退货"

    TRANSITIONS = {
        Status.NEW: {Status.SUBMITTED, Status.REFUSED, Status.CANCELLED},
        Status.SUBMITTED: {Status.CONFIRMED, Status.CANCELLED},
        Status.CONFIRMED: {Status.SHIPPED, Status.COMPLETED, Status.DELIVERY_REFUSED},
        Status.SHIPPED: {Status.COMPLETED, Status.DELIVERY_REFUSED},
        Status.COMPLETED: {Status.RETURNED},
        Status.REFUSED: {Status.CANCELLED},
    }
    OPEN = (Status.NEW, Status.SUBMITTED, Status.CONFIRMED, Status.SHIPPED)

    class Payment(models.TextChoices):
        IMMEDIATE = "immediate", "立即支付"
        CREDIT = "credit", "账期支付"

    class PaymentStatus(models.TextChoices):
        NONE = "", "—"
        DUE = "due", "待付款"
        PAID = "paid", "已付款待电商核对"
        SETTLED = "settled", "电商已确认收款"
        WRONG = "wrong", "付款信息有误"

    PAYMENT_TRANSITIONS = {
        PaymentStatus.NONE: {PaymentStatus.DUE},
        PaymentStatus.DUE: {PaymentStatus.PAID},
        PaymentStatus.PAID: {PaymentStatus.SETTLED, PaymentStatus.WRONG},
        PaymentStatus.WRONG: {PaymentStatus.PAID},
    }

    number = models.CharField("订单号", max_length=40, unique=True)
    storefront_no = models.CharField("商城前台订单号", max_length=64, blank=True, db_index=True,
                                     help_text="前台提交的购物车号：同一号再次提交返回已建的订单")
    cart_no = models.CharField("购物车号", max_length=64, blank=True, db_index=True,
                               help_text="一次购买拆成的各电商订单共用此号")
    unit = models.ForeignKey(PurchasingUnit, verbose_name="采购单位", on_delete=models.PROTECT, related_name="orders")
    purchaser = models.ForeignKey(Purchaser, verbose_name="采购人", on_delete=models.PROTECT, related_name="orders")
    supplier = models.ForeignKey(Supplier, verbose_name="电商", on_delete=models.PROTECT, related_name="orders")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    payment = models.CharField("付款方式", max_length=10, choices=Payment.choices, default=Payment.IMMEDIATE)
    payment_status = models.CharField("账期付款", max_length=10, choices=PaymentStatus.choices, blank=True,
                                      db_index=True)
    due_date = models.DateField("付款到期日", null=True, blank=True, db_index=True)
    total = models.DecimalField("商品总额", max_digits=14, decimal_places=2)
    area = models.ForeignKey(Area, verbose_name="收货区县", on_delete=models.PROTECT, related_name="+")
    address = EncryptedTextField("详细地址")
    receiver = models.CharField("收货人", max_length=50)
    receiver_phone = EncryptedTextField("收货人手机")
    invoice_title = models.CharField("发票抬头", max_length=200)
    invoice_tax_no = models.CharField("纳税人识别号", max_length=20)
    remark = models.CharField("备注", max_length=500, blank=True)
    confirm_on_submit = models.BooleanField("预下单成功后即确认", default=True,
                                            help_text="否：等前台（采购人）确认或取消")
    supplier_order_no = models.CharField("电商订单号", max_length=64, blank=True, db_index=True)
    supplier_state = models.PositiveSmallIntegerField("电商订单状态", choices=SupplierState.choices, null=True,
                                                      blank=True)
    supplier_amount = models.CharField("电商订单金额", max_length=20, blank=True)
    stop_reason = models.TextField("待处理原因", blank=True, help_text="电商拒绝或需要工作人员处理的原因（电商原话）")
    created_by = models.ForeignKey("auth.User", verbose_name="代下单人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("下单时间", auto_now_add=True, db_index=True)
    submitted_at = models.DateTimeField("预下单时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    polled_at = models.DateTimeField("最近查询电商", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "订单"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["storefront_no", "supplier"], condition=~models.Q(storefront_no=""),
                                    name="one_order_per_supplier_per_storefront_order"),
        ]
        permissions = [("manage_order", "处理订单（提交、确认、取消、拒收、退换货、登记付款）")]

    def __str__(self):
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", verbose_name="订单")
    sku = models.ForeignKey(Sku, verbose_name="商品", on_delete=models.PROTECT, related_name="+")
    sku_code = models.CharField("电商商品编号", max_length=64)
    name = models.CharField("商品名称", max_length=300)
    quantity = models.PositiveIntegerField("数量")
    unit_price = models.DecimalField("单价", max_digits=14, decimal_places=2, help_text="采购人下单时看到的协议价")
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "订单商品"
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.sku_code} × {self.quantity}"


class OrderStatusChange(StateHistory):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StateHistory.Meta):
        verbose_name = verbose_name_plural = "订单状态变更"


class SubOrder(models.Model):
    """A child order the supplier split ours into (as JD does), with its own state and lines."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="sub_orders", verbose_name="订单")
    number = models.CharField("电商子订单号", max_length=64)
    state = models.PositiveSmallIntegerField("电商状态", choices=SupplierState.choices, null=True, blank=True)
    amount = models.CharField("金额", max_length=20, blank=True)
    lines = models.JSONField("商品", default=list, help_text="[{sku, quantity, price}]")

    class Meta:
        verbose_name = verbose_name_plural = "电商子订单"
        constraints = [models.UniqueConstraint(fields=["order", "number"], name="unique_sub_order")]

    def __str__(self):
        return self.number
