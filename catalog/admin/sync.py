"""Admin of the sync: per supplier state and counts, each pass (followed while it runs), and the inbox of
messages with a re-run action."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from catalog.models import SupplierMessage, SupplierSync, SyncRun
from catalog.sync.inbox import messages_retry
from catalog.sync.passes import sync_resume
from procurement.kernel.adminconfirm import confirm_many
from procurement.kernel.adminkit import ObjectActionsMixin, ReadOnlyAdmin, outbound_calls_link
from procurement.kernel.adminwords import error_in_words, json_block, labelled, local_time, truncated
from procurement.kernel.queue import enqueue
from procurement.models import Supplier
from procurement.suppliers.admin_links import supplier_calls_link

Status = SupplierMessage.Status
ADMIN_TRIGGER = "admin"
TRIGGERS = {"schedule": "定时", ADMIN_TRIGGER: "人工（立即同步）", "rerun": "重新处理消息后", "command": "命令行"}


def _enqueue_pass(supplier_id, trigger):
    enqueue("catalog.jobs.sync_supplier", supplier_id, trigger)


class SyncStateFilter(admin.SimpleListFilter):
    title = "同步状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("stopped", "已停止（待人工恢复）"), ("retrying", "重试中"), ("ok", "正常")]

    def queryset(self, request, queryset):
        stopped = ~Q(halted_reason="")
        return {"stopped": queryset.filter(stopped), "retrying": queryset.filter(~stopped, failures__gt=0),
                "ok": queryset.filter(~stopped, failures=0)}.get(self.value(), queryset)


@admin.register(SupplierSync)
class SupplierSyncAdmin(ObjectActionsMixin, ReadOnlyAdmin):
    list_display = ("supplier", "state", "last_success_at", "next_poll", "applied_count", "failed_count", "failures",
                    "cause", "calls_link")
    list_filter = (SyncStateFilter, "supplier")
    list_select_related = ("supplier",)
    search_fields = ("supplier__code", "supplier__name")
    fields = readonly_fields = ("supplier", "state", "last_success_at", "next_poll", "failures", "cause",
                                "lease_owner", "lease_until", "stock_refreshed_at", "runs_link")
    actions = ["sync_now", "resume"]
    object_actions = ("sync_now", "resume")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("catalog.change_suppliersync")

    def get_queryset(self, request):
        applied, failed = Q(supplier__messages__status=Status.APPLIED), Q(supplier__messages__status=Status.FAILED)
        return super().get_queryset(request).annotate(
            applied=Count("supplier__messages", filter=applied), failed=Count("supplier__messages", filter=failed))

    def object_action_offered(self, obj, action):
        return action != "resume" or bool(obj.halted_reason or obj.failures)

    @admin.display(description="状态")
    def state(self, obj):
        if obj.halted_reason:
            return mark_safe('<span class="bad">已停止</span>')
        if obj.lease_until and obj.lease_until > timezone.now():
            return "同步中"
        return f"重试中（连续失败 {obj.failures} 次）" if obj.failures else "正常"

    @admin.display(description="下次拉取", ordering="next_poll_at")
    def next_poll(self, obj):
        """A stopped sync is not polled: no time is shown for it."""
        return "—（已停止，恢复后立即拉取）" if obj.halted_reason else local_time(obj.next_poll_at)

    @admin.display(description="原因")
    def cause(self, obj):
        """Why it stopped or fails, in words; nothing once it works again (a success or 恢复 clears the count)."""
        text = obj.halted_reason or (obj.last_error if obj.failures else "")
        return truncated(error_in_words(text)) if text else "—"

    @admin.display(description="已处理消息", ordering="applied")
    def applied_count(self, obj):
        return obj.applied

    @admin.display(description="失败消息", ordering="failed")
    def failed_count(self, obj):
        url = reverse("admin:catalog_suppliermessage_changelist")
        return format_html('<a href="{}?supplier__id__exact={}&status__exact=failed">{}</a>', url, obj.supplier_id,
                           obj.failed)

    @admin.display(description="外部调用")
    def calls_link(self, obj):
        return supplier_calls_link(obj.supplier)

    @admin.display(description="同步记录")
    def runs_link(self, obj):
        url = reverse("admin:catalog_syncrun_changelist")
        return format_html('<a href="{}?supplier__id__exact={}">该电商的全部同步记录</a>', url, obj.supplier_id)

    @admin.action(description="立即同步", permissions=["change"])
    @confirm_many("立即同步")
    def sync_now(self, request, queryset):
        since = timezone.now()
        states = list(queryset.select_related("supplier"))
        for state in states:
            _enqueue_pass(state.supplier_id, ADMIN_TRIGGER)
        links = format_html_join("、", '<a href="{}">{}</a>', (
            (follow_url(state.supplier_id, since), state.supplier.code) for state in states))
        self.message_user(request, format_html("已为 {} 个电商安排同步，查看进度：{}", len(states), links),
                          messages.SUCCESS)

    @admin.action(description="恢复自动同步", permissions=["change"])
    @confirm_many("恢复自动同步")
    def resume(self, request, queryset):
        names = []
        for state in queryset.select_related("supplier"):
            sync_resume(state.supplier)
            names.append(state.supplier.code)
        self.message_user(request, f"已恢复 {len(names)} 个电商的自动同步（{'、'.join(names)}），将立即拉取",
                          messages.SUCCESS)


def follow_url(supplier_id, since):
    return reverse("admin:catalog_syncrun_follow", args=[supplier_id]) + "?" + f"since={since.isoformat()}".replace(
        "+", "%2B")


class TriggerFilter(admin.SimpleListFilter):
    title = "触发方式"
    parameter_name = "trigger"

    def lookups(self, request, model_admin):
        used = SyncRun.objects.order_by().values_list("trigger", flat=True).distinct()
        return [(trigger, TRIGGERS.get(trigger, trigger)) for trigger in sorted(used)]

    def queryset(self, request, queryset):
        return queryset.filter(trigger=self.value()) if self.value() else queryset


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdmin):
    list_display = ("supplier_code", "started_at", "trigger_label", "outcome", "received", "applied", "failed",
                    "skus_new", "skus_changed", "skus_delisted", "error_words")
    list_filter = ("outcome", "supplier", TriggerFilter)
    list_select_related = ("supplier",)
    date_hierarchy = "started_at"
    readonly_fields = ("supplier", "trigger_label", "started_at", "finished_at", "outcome", "received", "applied",
                       "duplicates", "reused", "failed", "skus_new", "skus_changed", "skus_delisted", "calls_table",
                       "error_words", "outbound_calls")
    fields = readonly_fields

    def get_urls(self):
        view = self.admin_site.admin_view(self.follow_view)
        return [path("follow/<int:supplier_id>/", view, name="catalog_syncrun_follow"), *super().get_urls()]

    def follow_view(self, request, supplier_id):
        """The run 立即同步 started, once the job has started it; until then a page that looks again."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        supplier = get_object_or_404(Supplier, pk=supplier_id)
        since = parse_datetime(request.GET.get("since", "")) or timezone.now()
        run = SyncRun.objects.filter(supplier=supplier, trigger=ADMIN_TRIGGER, started_at__gte=since).order_by(
            "started_at").first()
        if run is not None:
            return redirect(reverse("admin:catalog_syncrun_change", args=[run.pk]))
        running = SyncRun.objects.filter(supplier=supplier, outcome=SyncRun.Outcome.RUNNING).first()
        return TemplateResponse(request, "admin/catalog/syncrun/follow.html", {
            **self.admin_site.each_context(request), "title": f"{supplier} 的同步", "supplier": supplier,
            "running": running, "opts": self.opts, "since": since})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self.get_object(request, object_id)
        running = run is not None and run.outcome == SyncRun.Outcome.RUNNING
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "refresh": running})

    @admin.display(description="电商", ordering="supplier__code")
    def supplier_code(self, obj):
        return truncated(obj.supplier.code, title=str(obj.supplier))

    @admin.display(description="触发方式", ordering="trigger")
    def trigger_label(self, obj):
        return labelled(obj.trigger, TRIGGERS)

    @admin.display(description="错误")
    def error_words(self, obj):
        return truncated(error_in_words(obj.error)) if obj.error else "—"

    @admin.display(description="调用次数（按接口）")
    def calls_table(self, obj):
        if not obj.calls:
            return "—"
        rows = sorted(obj.calls.items(), key=lambda item: (-item[1], item[0]) if isinstance(item[1], int) else item)
        return format_html('<table class="facts"><tr><th>接口</th><th>次数</th></tr>{}</table>',
                           format_html_join("", "<tr><td><code>{}</code></td><td>{}</td></tr>", rows))

    @admin.display(description="外部调用")
    def outbound_calls(self, obj):
        return outbound_calls_link(obj, "本次同步的全部外部调用")


@admin.register(SupplierMessage)
class SupplierMessageAdmin(ReadOnlyAdmin):
    list_display = ("message_id", "supplier_code", "kind", "sku_code", "sent_at", "status", "attempts",
                    "error_words", "note_cut", "applied_at")
    list_filter = ("status", "kind", "supplier")
    search_fields = ("message_id", "sku_code")
    list_select_related = ("supplier",)
    readonly_fields = [f.name for f in SupplierMessage._meta.fields if f.name != "raw"] + ["raw_block"]
    actions = ["rerun"]

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("catalog.change_suppliermessage")

    @admin.display(description="最近错误")
    def error_words(self, obj):
        return truncated(error_in_words(obj.last_error)) if obj.last_error else "—"

    @admin.display(description="电商", ordering="supplier__code")
    def supplier_code(self, obj):
        return truncated(obj.supplier.code, title=str(obj.supplier))

    @admin.display(description="处理说明")
    def note_cut(self, obj):
        return truncated(obj.note)

    @admin.display(description="原始消息")
    def raw_block(self, obj):
        return json_block(obj.raw)

    @admin.action(description="重新处理", permissions=["change"])
    @confirm_many("重新处理")
    def rerun(self, request, queryset):
        failed = queryset.filter(status=Status.FAILED)
        suppliers = set(failed.values_list("supplier_id", flat=True))
        count = messages_retry(failed)
        for supplier_id in suppliers:
            _enqueue_pass(supplier_id, "rerun")
        self.message_user(request, f"已重新安排 {count} 条失败消息", messages.SUCCESS)
