"""What happens to an order at and after the supplier: the commands we send (deliveries), shipments and their
tracking, returns and exchanges, credit-term payments, the e-invoice, and the daily reconciliation."""
from django.db import models

from orders.models.orders import Order, OrderLine
from procurement.kernel.delivery import Delivery
from procurement.kernel.fields import EncryptedTextField
from procurement.kernel.statemachine import StateHistory
from procurement.models import Supplier


class OrderCommand(Delivery):
    """One call we owe the supplier for an order (submit, confirm, cancel, a return, a payment): sent by a job,
    retried by our policy, failed ones resubmitted by staff."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "预下单"
        CONFIRM = "confirm", "确认订单"
        CANCEL = "cancel", "取消订单"
        RETURN = "return", "推送退换货"
        PAYMENT = "payment", "推送付款信息"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="commands", verbose_name="订单")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    target_id = models.BigIntegerField("对象", null=True, blank=True, help_text="退换货单或付款记录的编号")

    class Meta:
        verbose_name = verbose_name_plural = "订单指令"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.order.number} {self.get_action_display()}"


class Shipment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments", verbose_name="订单")
    supplier_order_no = models.CharField("电商订单号", max_length=64)
    carrier = models.CharField("物流公司", max_length=100)
    waybill = models.CharField("物流单号", max_length=100)
    dispatch_no = models.CharField("发运单号", max_length=100, blank=True)
    seen_at = models.DateTimeField("首次获取", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "物流包裹"
        constraints = [models.UniqueConstraint(fields=["order", "supplier_order_no", "waybill"],
                                               name="unique_shipment")]

    def __str__(self):
        return f"{self.carrier} {self.waybill}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines", verbose_name="包裹")
    sku_code = models.CharField("电商商品编号", max_length=64)
    name = models.CharField("产品名称", max_length=300, blank=True)
    quantity = models.PositiveIntegerField("发货数量")

    class Meta:
        verbose_name = verbose_name_plural = "包裹商品"


class TrackingStep(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="steps", verbose_name="包裹")
    at = models.DateTimeField("时间", null=True, blank=True)
    what = models.CharField("物流操作", max_length=500)
    who = models.CharField("操作人", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "物流轨迹"
        ordering = ["shipment", "at", "id"]
        constraints = [models.UniqueConstraint(fields=["shipment", "at", "what"], name="unique_tracking_step")]


class ReturnRequest(models.Model):
    """A return (退货) or exchange (换货) of some of a completed order's lines."""

    class Status(models.TextChoices):
        NEW = "new", "待推送电商"
        APPLIED = "applied", "已申请"
        AGREED = "agreed", "电商已同意"
        RECEIVED = "received", "电商已收货"
        DONE = "done", "已完成"
        REJECTED = "rejected", "电商已驳回"

    TRANSITIONS = {
        Status.NEW: {Status.APPLIED, Status.REJECTED},
        Status.APPLIED: {Status.AGREED, Status.RECEIVED, Status.DONE, Status.REJECTED},
        Status.AGREED: {Status.RECEIVED, Status.DONE, Status.REJECTED},
        Status.RECEIVED: {Status.DONE, Status.REJECTED},
    }

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="returns", verbose_name="订单")
    number = models.CharField("退换货单号", max_length=40, unique=True)
    exchange = models.BooleanField("换货", default=False, help_text="否为退货")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    reason = models.CharField("原因", max_length=500)
    supplier_service_id = models.CharField("电商服务单号", max_length=64, blank=True)
    note = models.CharField("电商说明", max_length=500, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "退换货"
        ordering = ["-created_at"]

    def __str__(self):
        return self.number


class ReturnLine(models.Model):
    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines", verbose_name="退换货")
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="return_lines", verbose_name="订单商品")
    quantity = models.PositiveIntegerField("数量")

    class Meta:
        verbose_name = verbose_name_plural = "退换货商品"


class ReturnStatusChange(StateHistory):
    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StateHistory.Meta):
        verbose_name = verbose_name_plural = "退换货状态变更"


class CreditPayment(models.Model):
    """The purchaser's bank transfer for a credit-terms order (seed 001 §2.18), and what the supplier found."""

    class Check(models.TextChoices):
        PENDING = "pending", "待电商核对"
        CONFIRMED = "confirmed", "电商已确认收款"
        WRONG = "wrong", "电商认为有误"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments", verbose_name="订单")
    serial_no = models.CharField("银行流水号", max_length=64)
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2)
    paid_at = models.DateTimeField("转账时间")
    bank_name = models.CharField("付款银行", max_length=100)
    bank_account = EncryptedTextField("付款账号")
    verdict = models.CharField("核对结果", max_length=10, choices=Check.choices, default=Check.PENDING)
    verdict_note = models.CharField("电商说明", max_length=500, blank=True)
    receipt_id = models.CharField("电商回执号", max_length=64, blank=True)
    recorded_by = models.ForeignKey("auth.User", verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "账期付款"
        constraints = [models.UniqueConstraint(fields=["order", "serial_no"], name="unique_payment_serial")]

    def __str__(self):
        return self.serial_no


class OrderInvoice(models.Model):
    """The order's e-invoice (seed 001 §2.21): its numbers, and the file fetched once issued (kept privately)."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="invoice", verbose_name="订单")
    issued = models.BooleanField("已开票", default=False)
    code = models.CharField("发票代码", max_length=40, blank=True)
    number = models.CharField("发票号码", max_length=40, blank=True)
    amount = models.CharField("金额", max_length=20, blank=True)
    issued_at = models.DateTimeField("开票时间", null=True, blank=True)
    url = models.TextField("下载地址", blank=True)
    file = models.FileField("发票文件", upload_to="private/invoices/", blank=True)
    checked_at = models.DateTimeField("最近查询", null=True, blank=True)
    fetch_error = models.TextField("下载失败原因", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "电子发票"

    def __str__(self):
        return f"{self.order.number} 发票"


class ReconciliationRun(Delivery):
    """A daily comparison of a supplier's list of one day's orders (seed 001 §2.16) with ours."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="+", verbose_name="电商")
    day = models.DateField("对账日期")
    our_count = models.PositiveIntegerField("我方订单数", null=True, blank=True)
    their_count = models.PositiveIntegerField("电商订单数", null=True, blank=True)
    their_total = models.CharField("电商合计金额", max_length=20, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "订单对账"
        ordering = ["-day", "-id"]

    def __str__(self):
        return f"{self.supplier.code} {self.day}"


class ReconciliationMismatch(models.Model):
    class Kind(models.TextChoices):
        MISSING_THERE = "missing_there", "电商没有该订单"
        MISSING_HERE = "missing_here", "我方没有该订单"
        AMOUNT = "amount", "金额不一致"
        DELIVERY = "delivery", "收货状态不一致"
        INVOICE = "invoice", "开票状态不一致"
        TOTAL = "total", "合计不一致"

    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="mismatches",
                            verbose_name="对账")
    order_no = models.CharField("订单号", max_length=64, blank=True)
    kind = models.CharField("差异", max_length=20, choices=Kind.choices)
    ours = models.CharField("我方", max_length=200, blank=True)
    theirs = models.CharField("电商", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "对账差异"

    def __str__(self):
        return f"{self.order_no} {self.get_kind_display()}"
