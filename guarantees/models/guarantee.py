"""A guarantee (电子保函): the bidder's application, what the guarantor issued, our review, and its timeline."""
import functools

from django.db import models

from guarantees.models.parties import Guarantor, Section, staff_field
from procurement.kernel.credit_code import validate_credit_code
from procurement.kernel.statemachine import StateHistory

# An application in one of these states is over: the bidder may apply again (declined, quit, cancelled).
ENDED_STATUSES = ("declined", "quit", "cancelled")


class Guarantee(models.Model):
    class Status(models.TextChoices):
        APPLYING = "applying", "待发送投保申请"
        APPLIED = "applied", "已投保申请"
        ISSUED = "issued", "已出函（密文）"
        DECLINED = "declined", "金融机构未通过"
        RESTORING = "restoring", "还原中"
        RESTORED = "restored", "已还原（明文）"
        QUITTING = "quitting", "退保中"
        QUIT = "quit", "已退保"
        CANCELLING = "cancelling", "注销中"
        CANCELLED = "cancelled", "已注销"
        CLAIMED = "claimed", "已发起理赔"

    TRANSITIONS = {
        # A baohannotice may overtake the reply to baohanapply (lost reply, retried later).
        Status.APPLYING: {Status.APPLIED, Status.ISSUED, Status.DECLINED},
        Status.APPLIED: {Status.ISSUED, Status.DECLINED},
        Status.ISSUED: {Status.RESTORING, Status.QUITTING, Status.CANCELLING},
        # Back to ISSUED when the key may not leave after all (section paused, opening postponed).
        Status.RESTORING: {Status.RESTORED, Status.ISSUED},
        Status.RESTORED: {Status.CANCELLING, Status.CLAIMED},
        # Back to ISSUED when quitapply may not go out after all (the opening came before it was sent).
        Status.QUITTING: {Status.QUIT, Status.ISSUED},
        Status.CANCELLING: {Status.CANCELLED},
    }

    ENDED = ENDED_STATUSES

    class Review(models.TextChoices):
        PENDING = "review_pending", "待审核"
        ACCEPTED = "accepted", "审核通过"
        REJECTED = "rejected", "审核驳回"

    # A rejected guarantee is accepted only after a new review: first back to pending (with the reason), then the
    # checks are run again on acceptance.
    REVIEW_TRANSITIONS = {
        Review.PENDING: {Review.ACCEPTED, Review.REJECTED},
        Review.ACCEPTED: {Review.REJECTED},
        Review.REJECTED: {Review.PENDING},
    }

    class Validity(models.TextChoices):
        # The seed: 非基本户支付的保函在开标时会被认定为无效保函. Judged once, when the restore starts at opening.
        PENDING = "validity_pending", "开标核验待进行"
        VALID = "valid", "有效保函"
        INVALID = "invalid", "无效保函"

    VALIDITY_TRANSITIONS = {
        Validity.PENDING: {Validity.VALID, Validity.INVALID},
    }

    applyno = models.CharField("业务流水号", max_length=40, unique=True)
    section = models.ForeignKey(Section, verbose_name="标段", on_delete=models.PROTECT, related_name="guarantees")
    guarantor = models.ForeignKey(
        Guarantor, verbose_name="金融机构", on_delete=models.PROTECT, related_name="guarantees"
    )
    bidder_name = models.CharField("投标企业名称", max_length=200)
    bidder_code = models.CharField(
        "投标企业统一社会信用代码", max_length=18, db_index=True, validators=[validate_credit_code]
    )
    deposit_amount = models.DecimalField("保证金金额", max_digits=14, decimal_places=2)
    basic_account_no = models.CharField("投标企业基本户账号", max_length=64, blank=True,
                                        help_text="基本存款账户账号；开标时与金融机构通知的付保费账号核对")
    basic_account_bank = models.CharField("基本户开户银行", max_length=200, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.APPLYING, db_index=True)
    review = models.CharField("审核", max_length=16, choices=Review.choices, default=Review.PENDING, db_index=True)
    validity = models.CharField("开标核验", max_length=16, choices=Validity.choices, default=Validity.PENDING,
                                db_index=True)
    validity_reason = models.TextField("开标核验说明", blank=True)
    baohanno = models.CharField("保函编号", max_length=100, blank=True, db_index=True)
    apply_status = models.CharField("金融机构审核结果", max_length=1, blank=True, help_text="applystatus：1 通过，0 未通过")
    # Download URLs are often signed (long query strings): no length of our own beyond the served limit.
    cipher_url = models.TextField("密文保函下载地址", blank=True)
    cipher_file = models.FileField("密文保函文件", upload_to="guarantees/%Y/%m/", blank=True)
    plain_url = models.TextField("明文保函下载地址", blank=True)
    plain_file = models.FileField("明文保函文件", upload_to="guarantees/%Y/%m/", blank=True)
    # What each file's digital signatures say (guarantees/signatures.py), inspected when the file arrived.
    cipher_signature = models.JSONField("密文保函数字签名检查", default=dict, blank=True)
    plain_signature = models.JSONField("明文保函数字签名检查", default=dict, blank=True)
    payer_name = models.CharField("付保费账户户名", max_length=200, blank=True)
    payer_account = models.CharField("付保费账号", max_length=64, blank=True)
    inst_name = models.CharField("出函机构", max_length=200, blank=True)
    generated_at = models.DateTimeField("出函时间", null=True, blank=True)
    rate = models.DecimalField("费率", max_digits=12, decimal_places=6, null=True, blank=True)
    cost = models.DecimalField("费用", max_digits=14, decimal_places=2, null=True, blank=True)
    created_by = staff_field("创建人")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "电子保函"
        ordering = ["-created_at", "-id"]
        permissions = [("review_guarantee", "可审核电子保函"), ("download_guarantee_file", "可下载保函文件")]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "guarantor", "bidder_code"], condition=~models.Q(status__in=ENDED_STATUSES),
                name="one_live_application_per_bidder",
            ),
        ]

    def __str__(self):
        return f"{self.applyno} {self.bidder_name}"


class GuaranteeEvent(StateHistory):
    """The guarantee's timeline: status and review changes, with the user, job or message behind each."""

    guarantee = models.ForeignKey(Guarantee, on_delete=models.CASCADE, related_name="events")

    class Meta(StateHistory.Meta):
        verbose_name = verbose_name_plural = "保函时间线"

    def state_label(self, value):
        return _state_names().get(value, value or "—")


@functools.cache
def _state_names():
    """Every state a timeline row may name (guarantee status, review, validity, invoice status) → its label."""
    from guarantees.models.aftercare import InvoiceRequest

    return {**dict(Guarantee.Status.choices), **dict(Guarantee.Review.choices),
            **dict(Guarantee.Validity.choices), **dict(InvoiceRequest.Status.choices)}
