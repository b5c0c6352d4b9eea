"""Guarantors (banks, insurers, guarantee companies) docked to us, and the bid sections (标段) they guarantee."""
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from procurement.kernel.clear_text import https_required
from procurement.kernel.credit_code import validate_credit_code
from procurement.kernel.fields import EncryptedTextField
from procurement.kernel.statemachine import StateHistory


def staff_field(verbose_name):
    """Who did it in the admin or through the staff API (empty when a job or the demo did)."""
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=verbose_name, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")


class Guarantor(models.Model):
    """A financial institution; we issue its appkey/appsecret, and both directions are signed with the secret."""

    name = models.CharField("机构名称", max_length=200)
    appkey = models.CharField("AppKey", max_length=64, unique=True)
    appsecret = EncryptedTextField("AppSecret")
    base_url = models.URLField("接口地址", max_length=300, help_text="金融机构服务的根地址，接口名直接拼在其后",
                               validators=[https_required])
    enabled = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "金融机构"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Section(models.Model):
    """A bid section; its identifying fields leave us only as SM4 ciphertext under its own key until opening."""

    class Status(models.TextChoices):
        # Values are the seed's biaoduanstatus codes (getbiaoduanyichang); 0 is ours for "normal".
        NORMAL = "0", "正常"
        FAILED = "1", "流标"
        TERMINATED = "2", "终止"
        PAUSED = "3", "暂停"
        VOIDED = "4", "作废"

    TRANSITIONS = {
        Status.NORMAL: {Status.FAILED, Status.TERMINATED, Status.PAUSED, Status.VOIDED},
        Status.PAUSED: {Status.NORMAL, Status.FAILED, Status.TERMINATED, Status.VOIDED},
    }

    project_no = models.CharField("项目编号", max_length=100)
    project_name = models.CharField("项目名称", max_length=300)
    section_no = models.CharField("标段编号", max_length=100, unique=True)
    section_name = models.CharField("标段名称", max_length=300)
    tenderer = models.CharField("招标人", max_length=200)
    tenderer_code = models.CharField(
        "招标人统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code]
    )
    deposit_amount = models.DecimalField(
        "保证金金额", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    opening_time = models.DateTimeField("开标时间", db_index=True)
    sm4_key = EncryptedTextField("SM4 密钥", editable=False)
    status = models.CharField("标段状态", max_length=2, choices=Status.choices, default=Status.NORMAL, db_index=True)
    remark = models.TextField("异常情况描述", blank=True)
    audit_time = models.DateTimeField("审批或核准时间", null=True, blank=True)
    handling_result = models.TextField("处理结果", blank=True)
    notice_published = models.BooleanField("已发布公告", default=False)
    notice_title = models.CharField("网站公告标题", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "标段"
        ordering = ["-opening_time"]

    def __str__(self):
        return f"{self.section_no} {self.section_name}"


class SectionStatusChange(StateHistory):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StateHistory.Meta):
        verbose_name = verbose_name_plural = "标段状态变更"
