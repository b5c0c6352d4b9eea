"""Admin for guarantees: application, the issued file and its review checks, actions, and the timeline."""
from datetime import timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from guarantees.models import Claim, Guarantee, GuaranteeEvent, InvoiceRequest, OutboundMessage
from guarantees.services.files import SIGNATURE_FIELDS
from guarantees.services.guarantees import (
    REVIEWABLE,
    apply_refusal,
    guarantee_apply,
    guarantee_cancel,
    guarantee_quit,
    guarantee_review,
    review_checks,
)
from guarantees.services.restore import guarantee_restore
from procurement.kernel.adminkit import ObjectActionsMixin, ReadOnlyInline, transition_action
from procurement.kernel.adminwords import labelled, truncated
from procurement.kernel.statemachine import by_user

Review = Guarantee.Review
Status = Guarantee.Status
APPLY_RESULTS = {"1": "通过", "0": "未通过"}  # the guarantor's applystatus
ACCEPT, REJECT, REOPEN = (f"move_to_{review}" for review in (Review.ACCEPTED, Review.REJECTED, Review.PENDING))
RESTORE, QUIT, CANCEL = (f"move_to_{status}" for status in (Status.RESTORING, Status.QUITTING, Status.CANCELLING))
FILES = {"cipher": "cipher_file", "plain": "plain_file"}
# A check passed, failed, or left to a person (an algorithm we cannot verify, a file not yet inspected).
CHECK_MARKS = {True: "✔", False: "✘", None: "？"}
VERIFIED_LABELS = {"valid": "有效", "invalid": "无效", "unsupported": "未验证（算法不受支持）"}


def signature_line(signature):
    """One signature of a file as staff read it: who signed, under which CA, when, and what was verified."""
    intact = {True: "一致", False: "不一致（签名后被修改）", None: "未能核对"}[signature.get("intact")]
    return (f"签名人 {signature['signer']}；颁发者 {signature['issuer']}；证书有效期 {signature['not_before']} 至 "
            f"{signature['not_after']}；签名时间 {signature['signing_time'] or '未声明'}；算法 {signature['algorithm']}；"
            f"签名值{VERIFIED_LABELS.get(signature['verified'], signature['verified'])}；文档摘要{intact}；"
            f"签名后追加修改：{'有' if signature['modified_after_signing'] else '无'}"
            + ("；自签名证书（非第三方 CA 颁发）" if signature["self_signed"] else ""))


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Guarantee
        fields = ("section", "guarantor", "bidder_name", "bidder_code", "basic_account_no", "basic_account_bank",
                  "deposit_amount")
        help_texts = {"deposit_amount": "不填取标段的保证金金额",
                      "basic_account_no": "投标企业基本存款账户账号；非基本户支付的保函开标时认定为无效保函"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deposit_amount"].required = False
        self.fields["basic_account_no"].required = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("section") and cleaned.get("guarantor"):
            refusal = apply_refusal(cleaned["section"], cleaned["guarantor"])
            if refusal:
                raise forms.ValidationError(refusal)
        return cleaned


class TimelineInline(ReadOnlyInline):
    model = GuaranteeEvent
    fields = ("at", "from_label", "to_label", "actor", "source", "reason")
    readonly_fields = fields
    select_related = ("actor",)
    verbose_name = verbose_name_plural = "时间线"

    @admin.display(description="原状态")
    def from_label(self, obj):
        return obj.state_label(obj.from_state)

    @admin.display(description="新状态")
    def to_label(self, obj):
        return obj.state_label(obj.to_state)


class MessageInline(ReadOnlyInline):
    model = OutboundMessage
    select_related = ("guarantee",)
    fields = ("created_at", "interface", "status", "attempts", "next_attempt_at", "last_error")
    readonly_fields = fields
    show_change_link = True


class InvoiceInline(ReadOnlyInline):
    model = InvoiceRequest
    select_related = ("guarantee",)
    fields = ("created_at", "kind", "amount", "status", "invoice_no", "invoice_url")
    readonly_fields = fields


class ClaimInline(ReadOnlyInline):
    model = Claim
    select_related = ("guarantee",)
    fields = ("created_at", "amount", "contact_name", "reason", "answered_at")
    readonly_fields = fields


def _quit(guarantee, to_state, *, actor, reason):
    return guarantee_quit(guarantee, reason=reason, actor=actor)


def _cancel(guarantee, to_state, *, actor, reason):
    return guarantee_cancel(guarantee, actor=actor, reason=reason)


def _restore(guarantee, to_state, *, actor, reason):
    return guarantee_restore(guarantee, actor=actor)


class OpeningFilter(admin.SimpleListFilter):
    title = "开标"
    parameter_name = "opening"

    def lookups(self, request, model_admin):
        return [("passed", "已开标"), ("week", "7 天内开标"), ("later", "7 天后开标")]

    def queryset(self, request, queryset):
        now = timezone.now()
        week = now + timedelta(days=7)
        return {"passed": queryset.filter(section__opening_time__lte=now),
                "week": queryset.filter(section__opening_time__gt=now, section__opening_time__lte=week),
                "later": queryset.filter(section__opening_time__gt=week)}.get(self.value(), queryset)


@admin.register(Guarantee)
class GuaranteeAdmin(ObjectActionsMixin, admin.ModelAdmin):
    # What a reviewer needs first; the guarantee number and the rest are on its page (and searchable).
    list_display = ("applyno", "bidder", "section_no", "guarantor_name", "deposit_amount", "status", "review",
                    "validity")
    list_filter = ("status", "review", "validity", "guarantor", "section__status", OpeningFilter)
    search_fields = ("applyno", "baohanno", "bidder_name", "bidder_code", "section__section_no")
    list_select_related = ("section", "guarantor")
    date_hierarchy = "created_at"
    inlines = [TimelineInline, MessageInline, InvoiceInline, ClaimInline]
    fieldsets = (
        ("投保申请", {"fields": ("applyno", "section", "guarantor", "bidder_name", "bidder_code", "basic_account_no",
                             "basic_account_bank", "deposit_amount", "status", "created_by", "created_at")}),
        ("保函（金融机构出具）", {"fields": ("baohanno", "apply_result", "inst_name", "generated_at", "rate", "cost",
                                  "payer_name", "payer_account", "files")}),
        ("审核", {"fields": ("review", "checks")}),
        ("开标核验（非基本户支付的保函开标时认定为无效保函）", {"fields": ("validity", "validity_reason")}),
    )
    actions = [
        transition_action(guarantee_review, Review.ACCEPTED, "审核通过", permission="review", state_field="review"),
        transition_action(guarantee_review, Review.REJECTED, "审核驳回", permission="review", ask_reason=True,
                          state_field="review"),
        transition_action(guarantee_review, Review.PENDING, "重新审核（撤销审核结论）", permission="review",
                          ask_reason=True, state_field="review"),
        transition_action(_restore, Status.RESTORING, "立即还原（开标后）"),
        transition_action(_quit, Status.QUITTING, "退保（开标前）", ask_reason=True),
        transition_action(_cancel, Status.CANCELLING, "注销保函（开标后）", reason="招标代理申请注销"),
    ]
    object_actions = (ACCEPT, REJECT, REOPEN, RESTORE, QUIT, CANCEL)

    def has_delete_permission(self, request, obj=None):
        return False  # a guarantee is the record of an exchange with its guarantor

    def object_action_offered(self, obj, action):
        reviewable = obj.status in REVIEWABLE
        return {ACCEPT: reviewable and obj.review == Review.PENDING,
                REJECT: reviewable and obj.review in (Review.PENDING, Review.ACCEPTED),
                REOPEN: obj.review == Review.REJECTED,
                RESTORE: obj.status == Status.ISSUED, QUIT: obj.status == Status.ISSUED,
                CANCEL: obj.status in (Status.ISSUED, Status.RESTORED)}[action]

    @admin.display(description="投标企业", ordering="bidder_name")
    def bidder(self, obj):
        return truncated(obj.bidder_name, short=True)

    @admin.display(description="标段", ordering="section__section_no")
    def section_no(self, obj):
        return truncated(obj.section.section_no, title=str(obj.section), short=True)

    @admin.display(description="金融机构", ordering="guarantor__name")
    def guarantor_name(self, obj):
        return truncated(obj.guarantor.name, short=True)

    @admin.display(description="金融机构审核结果")
    def apply_result(self, obj):
        return labelled(obj.apply_status, APPLY_RESULTS)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApplicationForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ApplicationForm.Meta.fields}),)
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return [name for _, options in self.fieldsets for name in options["fields"]]

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return  # an existing guarantee changes only through its actions
        data = form.cleaned_data
        created = guarantee_apply(
            section=data["section"], guarantor=data["guarantor"], bidder_name=data["bidder_name"],
            bidder_code=data["bidder_code"], deposit_amount=data.get("deposit_amount"),
            basic_account_no=data["basic_account_no"], basic_account_bank=data.get("basic_account_bank", ""),
            actor=by_user(request.user),
        )
        obj.pk = created.pk

    def has_review_permission(self, request):
        return request.user.has_perm("guarantees.review_guarantee")

    @admin.display(description="保函文件")
    def files(self, obj):
        links = [(reverse("admin:guarantees_guarantee_file", args=[obj.pk, kind]), label)
                 for kind, label in (("cipher", "密文保函"), ("plain", "明文保函"))
                 if getattr(obj, FILES[kind])]
        if not links:
            return "未收到"
        return format_html_join(" ", '<a href="{}">下载{}</a>', links)

    @admin.display(description="审核检查")
    def checks(self, obj):
        rows = format_html_join("", "<li>{} {}</li>", ((CHECK_MARKS[passed], rule) for rule, passed in review_checks(obj)))
        details = format_html_join("", "<li>{}：{}</li>", (
            (obj._meta.get_field(file_field).verbose_name, signature_line(signature))
            for file_field, result_field in SIGNATURE_FIELDS.items()
            for signature in getattr(obj, result_field).get("signatures", ())))
        return format_html("<ul>{}</ul><ul>{}</ul>", rows, details)

    def get_urls(self):
        view = self.admin_site.admin_view(self.download)
        return [path("<int:pk>/file/<str:kind>/", view, name="guarantees_guarantee_file")] + super().get_urls()

    def download(self, request, pk, kind):
        """Staff with the download permission get the stored PDF; it is never served publicly."""
        if not request.user.has_perm("guarantees.download_guarantee_file"):
            raise PermissionDenied
        guarantee = get_object_or_404(Guarantee, pk=pk)
        stored = getattr(guarantee, FILES.get(kind, ""), None)
        if not stored:
            raise Http404("没有该保函文件")
        return FileResponse(stored.open("rb"), as_attachment=True, filename=f"{guarantee.applyno}-{kind}.pdf",
                            content_type="application/pdf")
