"""After a guarantee is restored: invoices the bidder asks for, and claims the tenderer's agent makes."""
from django.db import models

from guarantees.models.guarantee import Guarantee
from guarantees.models.parties import staff_field


class InvoiceRequest(models.Model):
    class Kind(models.TextChoices):
        # Values are the seed's invoiceapply `type`.
        ORDINARY = "0", "增值税普通发票"
        SPECIAL = "1", "增值税专用发票"

    class Status(models.TextChoices):
        # Prefixed: these changes go into the guarantee's timeline beside its own states.
        REQUESTED = "inv_requested", "发票待申请"
        SENT = "inv_sent", "发票已申请"
        ISSUED = "inv_issued", "发票已开具"
        REFUSED = "inv_refused", "发票未通过"

    TRANSITIONS = {
        Status.REQUESTED: {Status.SENT, Status.ISSUED, Status.REFUSED},
        Status.SENT: {Status.ISSUED, Status.REFUSED},
    }
    OPEN = (Status.REQUESTED, Status.SENT)
    SPECIAL_FIELDS = ("address", "phone", "bank", "account")

    guarantee = models.ForeignKey(Guarantee, verbose_name="保函", on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField("发票类型", max_length=1, choices=Kind.choices, default=Kind.ORDINARY)
    amount = models.DecimalField("开票金额", max_digits=14, decimal_places=2)
    address = models.CharField("公司地址", max_length=300, blank=True)
    phone = models.CharField("公司电话", max_length=30, blank=True)
    bank = models.CharField("开户行", max_length=200, blank=True)
    account = models.CharField("账号", max_length=64, blank=True)
    email = models.EmailField("接收邮箱", blank=True)
    mobile = models.CharField("联系电话", max_length=30, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.REQUESTED, db_index=True)
    invoice_url = models.TextField("发票下载地址", blank=True)
    invoice_code = models.CharField("发票代码", max_length=64, blank=True)
    invoice_no = models.CharField("发票号码", max_length=64, blank=True)
    answered_at = models.DateTimeField("开票结果时间", null=True, blank=True)
    created_by = staff_field("申请人")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "保函发票"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.guarantee.applyno} {self.get_kind_display()}"


class Claim(models.Model):
    """A claim on a guarantee; the guarantor must pay on demand (见索即付), so when it answered is recorded."""

    guarantee = models.ForeignKey(Guarantee, verbose_name="保函", on_delete=models.PROTECT, related_name="claims")
    payee_account = models.CharField("收款账号", max_length=64, blank=True)
    amount = models.DecimalField("赔付金额", max_digits=14, decimal_places=2, null=True, blank=True)
    file_urls = models.JSONField("理赔文件地址", default=list, blank=True)
    contact_name = models.CharField("理赔联系人", max_length=50)
    contact_phone = models.CharField("理赔联系人电话", max_length=30)
    reason = models.TextField("理赔原因", blank=True)
    answered_at = models.DateTimeField("金融机构应答时间", null=True, blank=True)
    created_by = staff_field("发起人")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "理赔"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.guarantee.applyno} 理赔"
