"""Admin of the docking test tool: every run of every supplier with its cases (read-only), the trust mark granted
on a run (授予正式环境信任标识, permission procurement.grant_trust_mark), and the Supplier admin's actions that start
a run and withdraw the mark (procurement/admin.py)."""
from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from procurement.docking.cases import cases_for
from procurement.docking.models import RUN_CALLS, DockingCase, DockingReport, DockingRun, TestEndpoint
from procurement.docking.services import endpoint_set, run_start, trust_grant, trust_withdraw
from procurement.docking.words import duration_words
from procurement.kernel.adminconfirm import action_confirmed, needs_reason
from procurement.kernel.adminkit import (
    ObjectActionsMixin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    act_on_each,
    calls_link,
)
from procurement.kernel.statemachine import by_user

REPORT_VIEWS = (("docking:staff_report", "查看报告"), ("docking:staff_report_pdf", "下载 PDF"))


def case_calls_link(run_pk, case_name, label="调用记录"):
    return calls_link({"purpose_kind": RUN_CALLS, "purpose_id": run_pk, "purpose_case": case_name}, label)


def report_links(run):
    """The report's page and PDF (procurement/docking/urls.py)."""
    return format_html_join(" · ", '<a href="{}">{}</a>', ((reverse(name, args=[run.pk]), label)
                                                           for name, label in REPORT_VIEWS))


class ReportInline(ReadOnlyInline):
    """Every report issued for the run (a re-run issues a new one); each stays checkable on the check page."""

    model = DockingReport
    fields = readonly_fields = ("issued_at", "digest")
    verbose_name = verbose_name_plural = "已出具的报告"


class CaseInline(ReadOnlyInline):
    model = DockingCase
    fields = ("position", "title", "clause", "required", "verdict", "reason", "duration", "reruns", "rerun_at",
              "calls")
    readonly_fields = fields
    verbose_name = verbose_name_plural = "测试用例"

    @admin.display(description="耗时")
    def duration(self, obj):
        return duration_words(obj.duration_ms)

    @admin.display(description="调用记录")
    def calls(self, obj):
        return case_calls_link(obj.run_id, obj.name) if obj.pk else "—"


@admin.register(DockingRun)
class DockingRunAdmin(ObjectActionsMixin, ReadOnlyAdmin):
    list_display = ("id", "supplier", "protocol", "contract_version", "status", "duration", "started", "created_at")
    list_filter = ("status", "protocol", "started_via", "contract_version", "supplier")
    list_select_related = ("supplier", "started_by")
    search_fields = ("supplier__code", "supplier__name", "report_hash")
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "supplier", "protocol", "contract_version", "base_url", "status", "started", "created_at", "started_at",
        "finished_at", "duration", "summary_words", "error", "report_hash", "report", "calls")
    inlines = [CaseInline, ReportInline]
    actions = ["grant_trust"]
    object_actions = ("grant_trust",)

    def has_grant_trust_mark_permission(self, request):
        return request.user.has_perm("procurement.grant_trust_mark")

    def object_action_offered(self, obj, action):
        return obj.status == DockingRun.Status.PASSED

    @admin.display(description="耗时", ordering="duration_ms")
    def duration(self, obj):
        return duration_words(obj.duration_ms)

    @admin.display(description="发起")
    def started(self, obj):
        who = obj.started_by or obj.started_by_account or ""
        return f"{obj.get_started_via_display()} {who}".strip()

    @admin.display(description="汇总")
    def summary_words(self, obj):
        summary = obj.summary or {}
        if not summary.get("cases"):
            return "—"
        words = f"共 {summary['cases']} 个用例：通过 {summary.get('passed', 0)}，未通过 {summary.get('failed', 0)}，" \
                f"未测 {summary.get('skipped', 0)}"
        if summary.get("failed_optional"):
            words += f"；非必需接口未通过（不影响结论）：{'、'.join(summary['failed_optional'])}"
        return words

    @admin.display(description="报告")
    def report(self, obj):
        return report_links(obj)

    @admin.display(description="外部调用")
    def calls(self, obj):
        return calls_link({"purpose_kind": RUN_CALLS, "purpose_id": obj.pk}, "本次测试的全部调用")

    @admin.action(description="授予正式环境信任标识", permissions=["grant_trust_mark"])
    def grant_trust(self, request, queryset):
        page, _ = action_confirmed(self, request, queryset, "grant_trust", "授予正式环境信任标识", ask_reason=False)
        if page is not None:
            return page
        act_on_each(self, request, queryset, lambda run: trust_grant(run, actor=by_user(request.user)),
                    lambda count: f"已依据 {count} 次对接测试授予正式环境信任标识")
        return None


class TestEndpointForm(forms.ModelForm):
    class Meta:
        model = TestEndpoint
        fields = ("required_cases",)

    def clean_required_cases(self):
        names = self.cleaned_data["required_cases"] or []
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise forms.ValidationError("应为用例名的列表，如 [\"ratings\"]")
        optional = {case.name for case in cases_for(self.instance.supplier.protocol) if not case.required}
        unknown = [name for name in names if name not in optional]
        if unknown:
            raise forms.ValidationError(f"不是非必需接口的用例：{'、'.join(unknown)}（可选：{'、'.join(sorted(optional))}）")
        return names


@admin.register(TestEndpoint)
class TestEndpointAdmin(admin.ModelAdmin):
    """Staff see where each supplier's test environment is and say which ☆ cases they require of it; the credentials
    are entered on the supplier docking page (write-only) and never shown here."""

    form = TestEndpointForm
    list_display = ("supplier", "base_url", "required_cases", "updated_at")
    list_select_related = ("supplier",)
    search_fields = ("supplier__code", "supplier__name")
    fields = ("supplier", "base_url", "required_cases", "updated_at")
    readonly_fields = ("supplier", "base_url", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        endpoint_set(obj.supplier, obj.base_url, {}, required_cases=form.cleaned_data["required_cases"])


def supplier_runs_link(supplier):
    url = reverse("admin:procurement_dockingrun_changelist")
    return format_html('<a href="{}?supplier__id__exact={}">该电商的全部对接测试</a>', url, supplier.pk)


@admin.action(description="发起对接测试", permissions=["change"])
def start_run(modeladmin, request, queryset):
    page, _ = action_confirmed(modeladmin, request, queryset, "start_run", "发起对接测试", ask_reason=False)
    if page is not None:
        return page
    act_on_each(modeladmin, request, queryset,
                lambda supplier: run_start(supplier, via=DockingRun.Via.STAFF, user=request.user),
                lambda count: f"已为 {count} 个电商发起对接测试（在后台运行，结果见「对接测试」）",
                state_field="docking_status")
    return None


@needs_reason
@admin.action(description="暂停（撤销正式环境信任标识）", permissions=["grant_trust_mark"])
def withdraw_trust(modeladmin, request, queryset):
    page, reason = action_confirmed(modeladmin, request, queryset, "withdraw_trust", "暂停", ask_reason=True)
    if page is not None:
        return page
    act_on_each(modeladmin, request, queryset,
                lambda supplier: trust_withdraw(supplier, actor=by_user(request.user), reason=reason),
                lambda count: f"已暂停 {count} 个电商", state_field="docking_status")
    return None
