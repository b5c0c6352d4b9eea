"""Admin for guarantors (appkey/appsecret issued here, shown once) and bid sections (status by actions)."""
from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from guarantees.models import Guarantor, InboundNotice, Section, SectionStatusChange
from guarantees.services.parties import (
    SEALED_FIELDS,
    guarantor_create,
    guarantor_regenerate_secret,
    section_create,
    section_reschedule,
    section_set_status,
)
from guarantees.services.reconciliation import check_runs_create
from procurement.kernel.adminconfirm import confirm_many
from procurement.kernel.adminkit import HistoryInline, show_secret_once, transition_action
from procurement.kernel.adminwords import truncated
from procurement.kernel.fields import mask_secret
from procurement.kernel.statemachine import by_user

SectionStatus = Section.Status


class GuarantorForm(forms.ModelForm):
    base_url = forms.URLField(label="接口地址", max_length=300, assume_scheme="https",
                              help_text="金融机构服务的根地址，如 https://bank.example.com/gp/；接口名直接拼在其后")

    class Meta:
        model = Guarantor
        fields = ("name", "base_url", "enabled")


@admin.register(Guarantor)
class GuarantorAdmin(admin.ModelAdmin):
    form = GuarantorForm
    list_display = ("name", "appkey", "base_url", "enabled", "created_at")
    list_filter = ("enabled",)
    search_fields = ("name", "appkey")
    readonly_fields = ("appkey", "secret_state", "created_at")
    fields = ("name", "base_url", "enabled", "appkey", "secret_state", "created_at")
    actions = ["regenerate_secret", "check_now"]

    @admin.display(description="AppSecret")
    def secret_state(self, obj):
        return mask_secret(obj.appsecret)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a guarantor with history must stay; each is judged on its page
        return actions

    def has_delete_permission(self, request, obj=None):
        """Only a guarantor nothing was ever exchanged with (no guarantee, notice or reconciliation) can go."""
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or not (obj.guarantees.exists() or obj.check_runs.exists()
                                   or InboundNotice.objects.filter(guarantor=obj).exists())

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = guarantor_create(name=obj.name, base_url=obj.base_url, enabled=obj.enabled)
        obj.pk, obj.appkey, obj.appsecret = created.pk, created.appkey, created.appsecret
        self._show_secret_once(request, created)

    def _show_secret_once(self, request, guarantor):
        show_secret_once(self, request, f"{guarantor.name}：appkey {guarantor.appkey}  appsecret",
                         guarantor.appsecret, "金融机构")

    @admin.action(description="重新生成 AppSecret", permissions=["change"])
    @confirm_many("重新生成 AppSecret")
    def regenerate_secret(self, request, queryset):
        for guarantor in queryset:
            guarantor_regenerate_secret(guarantor)
            self._show_secret_once(request, guarantor)

    @admin.action(description="立即对账（checkbaohanlist，含今天）", permissions=["change"])
    @confirm_many("立即对账")
    def check_now(self, request, queryset):
        runs = check_runs_create(list(queryset), include_today=True)
        span = f"{runs[0].start_date} 至 {runs[0].end_date}（含今天）" if runs else ""
        self.message_user(request, f"已发起 {len(runs)} 个对账{span}，结果见「保函对账」", messages.SUCCESS)


class SectionHistoryInline(HistoryInline):
    model = SectionStatusChange


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = "__all__"

    def clean_opening_time(self):
        opening_time = self.cleaned_data["opening_time"]
        if "opening_time" in self.changed_data and opening_time <= timezone.now():
            raise forms.ValidationError("开标时间必须晚于当前时间（提前到过去会立即发出还原密钥）")
        return opening_time


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    form = SectionForm
    list_display = ("section_no", "name_cut", "project_no", "tenderer_cut", "deposit_amount", "opening_time",
                    "status")
    list_filter = ("status",)
    search_fields = ("section_no", "section_name", "project_no", "project_name", "tenderer")
    date_hierarchy = "opening_time"
    readonly_fields = ("status", "key_state", "created_at", "updated_at")
    inlines = [SectionHistoryInline]
    fieldsets = (
        (None, {"fields": ("project_no", "project_name", "section_no", "section_name", "tenderer", "tenderer_code",
                           "deposit_amount", "opening_time", "key_state")}),
        ("异常情况（流标 / 终止 / 暂停 / 作废，金融机构通过 getbiaoduanyichang 获取）",
         {"fields": ("status", "remark", "audit_time", "handling_result", "notice_published", "notice_title",
                     "updated_at")}),
    )
    actions = [
        transition_action(section_set_status, SectionStatus.FAILED, "标记为流标", ask_reason=True),
        transition_action(section_set_status, SectionStatus.TERMINATED, "标记为终止", ask_reason=True),
        transition_action(section_set_status, SectionStatus.PAUSED, "标记为暂停", ask_reason=True),
        transition_action(section_set_status, SectionStatus.VOIDED, "标记为作废", ask_reason=True),
        transition_action(section_set_status, SectionStatus.NORMAL, "恢复正常"),
    ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        """A section guarantees were applied for is part of their record."""
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not self._has_guarantees(request, obj))

    @admin.display(description="标段名称", ordering="section_name")
    def name_cut(self, obj):
        return truncated(obj.section_name)

    @admin.display(description="招标人", ordering="tenderer")
    def tenderer_cut(self, obj):
        return truncated(obj.tenderer)

    @admin.display(description="SM4 密钥")
    def key_state(self, obj):
        return mask_secret(obj.sm4_key) + "，开标后才发给金融机构" if obj.pk else "保存时自动生成"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self._has_guarantees(request, obj):
            return (*self.readonly_fields, *SEALED_FIELDS)
        return self.readonly_fields

    @staticmethod
    def _has_guarantees(request, obj):
        """Asked several times while one page is built: queried once per request and section."""
        known = request.__dict__.setdefault("_sections_with_guarantees", {})
        if obj.pk not in known:
            known[obj.pk] = obj.guarantees.exists()
        return known[obj.pk]

    def save_model(self, request, obj, form, change):
        if not change:
            fields = {name: form.cleaned_data[name] for name in form.cleaned_data}
            obj.pk = section_create(**fields).pk
            return
        moved = "opening_time" in form.changed_data
        new_opening = obj.opening_time
        if moved:
            obj.opening_time = form.initial["opening_time"]  # moved only through the service, with history
        super().save_model(request, obj, form, change)
        if moved:
            section_reschedule(obj, new_opening, actor=by_user(request.user))
