"""What crosses the wire with guarantors: notices they sent us, messages we owe them, list reconciliations."""
from django.db import models

from guarantees.models.aftercare import Claim, InvoiceRequest
from guarantees.models.guarantee import Guarantee
from guarantees.models.parties import Guarantor
from procurement.kernel.delivery import Delivery


class InboundNotice(models.Model):
    """A notice a guarantor sent, stored with the answer we gave: a replay gets that answer and changes nothing."""

    guarantor = models.ForeignKey(Guarantor, verbose_name="金融机构", on_delete=models.PROTECT, related_name="+")
    interface = models.CharField("接口", max_length=30, db_index=True)
    sign = models.CharField("报文签名", max_length=64)
    reference = models.CharField("业务编号", max_length=100, blank=True, db_index=True)
    params = models.JSONField("报文（文件已省略）", default=dict)
    reply = models.JSONField("应答", default=dict)
    received_at = models.DateTimeField("接收时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "保函通知记录"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["guarantor", "interface", "sign"], name="guarantee_notice_once"),
        ]

    def __str__(self):
        return f"{self.interface} {self.reference}"


class OutboundMessage(Delivery):
    """A message we owe a guarantor (baohanapply, baohanrestore, …), sent and retried by a job."""

    class Interface(models.TextChoices):
        APPLY = "baohanapply", "投保申请"
        RESTORE = "baohanrestore", "还原保函"
        INVOICE = "invoiceapply", "发票申请"
        QUIT = "quitapply", "退保申请"
        CANCEL = "canclenotice", "注销保函通知"
        CLAIM = "claimsnotice", "理赔通知"

    interface = models.CharField("接口", max_length=20, choices=Interface.choices, db_index=True)
    guarantee = models.ForeignKey(Guarantee, verbose_name="保函", on_delete=models.PROTECT, related_name="messages")
    invoice = models.ForeignKey(
        InvoiceRequest, verbose_name="发票申请", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claim = models.ForeignKey(Claim, verbose_name="理赔", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("退保原因", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "保函报文发送"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_interface_display()} {self.guarantee.applyno}"


class CheckRun(Delivery):
    """One checkbaohanlist call for a guarantor and a date range, and the differences it found."""

    guarantor = models.ForeignKey(Guarantor, verbose_name="金融机构", on_delete=models.PROTECT, related_name="check_runs")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    their_count = models.PositiveIntegerField("对方保函数", null=True, blank=True)
    our_count = models.PositiveIntegerField("我方保函数", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "保函对账"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.guarantor} {self.start_date}～{self.end_date}"


class CheckMismatch(models.Model):
    class Kind(models.TextChoices):
        MISSING_OURS = "missing_ours", "我方没有"
        MISSING_THEIRS = "missing_theirs", "对方没有"
        BAOHANNO = "baohanno", "保函编号不同"
        STATUS = "status", "状态不同"
        RATE = "rate", "费率不同"
        COST = "cost", "费用不同"
        GENERATETIME = "generatetime", "出函时间不同"
        LISTED_TWICE = "listed_twice", "对方重复列出"

    run = models.ForeignKey(CheckRun, verbose_name="对账", on_delete=models.CASCADE, related_name="mismatches")
    applyno = models.CharField("业务流水号", max_length=40, db_index=True)
    kind = models.CharField("差异", max_length=20, choices=Kind.choices, db_index=True)
    ours = models.CharField("我方", max_length=100, blank=True)
    theirs = models.CharField("对方", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "对账差异"
        ordering = ["applyno", "kind"]

    def __str__(self):
        return f"{self.applyno} {self.get_kind_display()}"
