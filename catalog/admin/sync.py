"""Admin of the sync: per supplier state and counts, each pass, and the inbox of messages with a re-run action."""
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html

from catalog.models import SupplierMessage, SupplierSync, SyncRun
from catalog.sync.inbox import messages_retry
from catalog.sync.passes import sync_resume
from procurement.kernel.adminkit import ReadOnlyAdmin, outbound_calls_link
from procurement.kernel.queue import enqueue
from procurement.suppliers.admin_links import supplier_calls_link

Status = SupplierMessage.Status


def _enqueue_pass(supplier_id, trigger):
    enqueue("catalog.jobs.sync_supplier", supplier_id, trigger)


@admin.register(SupplierSync)
class SupplierSyncAdmin(ReadOnlyAdmin):
    list_display = ("supplier", "last_success_at", "next_poll_at", "applied_count", "failed_count", "failures",
                    "halted_reason", "last_error", "calls_link")
    list_filter = ("supplier",)
    list_select_related = ("supplier",)
    search_fields = ("supplier__code", "supplier__name")
    readonly_fields = ("supplier", "last_success_at", "next_poll_at", "failures", "halted_reason", "last_error",
                       "lease_owner", "lease_until", "stock_refreshed_at")
    actions = ["sync_now", "resume"]

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("catalog.change_suppliersync")

    def get_queryset(self, request):
        applied, failed = Q(supplier__messages__status=Status.APPLIED), Q(supplier__messages__status=Status.FAILED)
        return super().get_queryset(request).annotate(
            applied=Count("supplier__messages", filter=applied), failed=Count("supplier__messages", filter=failed))

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

    @admin.action(description="立即同步", permissions=["change"])
    def sync_now(self, request, queryset):
        for state in queryset:
            _enqueue_pass(state.supplier_id, "admin")
        self.message_user(request, f"已为 {queryset.count()} 个电商安排同步", messages.SUCCESS)

    @admin.action(description="恢复自动同步", permissions=["change"])
    def resume(self, request, queryset):
        for state in queryset:
            sync_resume(state.supplier)
        self.message_user(request, f"已恢复 {queryset.count()} 个电商的自动同步", messages.SUCCESS)


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdmin):
    list_display = ("supplier", "started_at", "finished_at", "trigger", "outcome", "received", "applied",
                    "duplicates", "reused", "failed", "skus_new", "skus_changed", "skus_delisted", "error")
    list_filter = ("outcome", "supplier", "trigger")
    list_select_related = ("supplier",)
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in SyncRun._meta.fields] + ["outbound_calls"]

    @admin.display(description="外部调用")
    def outbound_calls(self, obj):
        return outbound_calls_link(obj, "本次同步的全部外部调用")


@admin.register(SupplierMessage)
class SupplierMessageAdmin(ReadOnlyAdmin):
    list_display = ("message_id", "supplier", "kind", "sku_code", "sent_at", "status", "attempts",
                    "last_error", "note", "applied_at", "acked_at")
    list_filter = ("status", "kind", "supplier")
    search_fields = ("message_id", "sku_code")
    list_select_related = ("supplier",)
    readonly_fields = [f.name for f in SupplierMessage._meta.fields]
    actions = ["rerun"]

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("catalog.change_suppliermessage")

    @admin.action(description="重新处理", permissions=["change"])
    def rerun(self, request, queryset):
        failed = queryset.filter(status=Status.FAILED)
        suppliers = set(failed.values_list("supplier_id", flat=True))
        count = messages_retry(failed)
        for supplier_id in suppliers:
            _enqueue_pass(supplier_id, "rerun")
        self.message_user(request, f"已重新安排 {count} 条失败消息", messages.SUCCESS)
