"""Admin for what crossed the wire: notices received (read-only), messages owed (resubmit), reconciliations."""
from django.contrib import admin, messages
from django.db.models import Count

from guarantees.models import CheckMismatch, CheckRun, InboundNotice, OutboundMessage
from procurement.adminkit import ReadOnlyAdmin, ReadOnlyInline
from procurement.delivery import delivery_resubmit


def resubmit_action(model_label):
    @admin.action(description="重新发送所选（仅失败待处理的）", permissions=["change"])
    def resubmit(modeladmin, request, queryset):
        count = sum(delivery_resubmit(delivery) for delivery in queryset)
        modeladmin.message_user(request, f"已重新排队 {count} 条{model_label}", messages.SUCCESS)

    return resubmit


class DeliveryAdmin(ReadOnlyAdmin):
    """Read-only, except that failed deliveries can be resubmitted (which needs the change permission)."""

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.opts.fields]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(DeliveryAdmin):
    list_display = ("created_at", "interface", "guarantee", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status", "interface", "guarantee__guarantor")
    search_fields = ("guarantee__applyno", "guarantee__baohanno")
    list_select_related = ("guarantee",)
    actions = [resubmit_action("保函报文")]


@admin.register(InboundNotice)
class InboundNoticeAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "interface", "guarantor", "reference", "answer")
    list_filter = ("interface", "guarantor")
    search_fields = ("reference", "sign")
    list_select_related = ("guarantor",)
    readonly_fields = [f.name for f in InboundNotice._meta.fields]

    @admin.display(description="应答")
    def answer(self, obj):
        return f"{obj.reply.get('code')} {obj.reply.get('message', '')}" if obj.reply else "—"


class MismatchInline(ReadOnlyInline):
    model = CheckMismatch
    fields = ("applyno", "kind", "ours", "theirs")
    readonly_fields = fields


@admin.register(CheckRun)
class CheckRunAdmin(DeliveryAdmin):
    list_display = ("created_at", "guarantor", "start_date", "end_date", "status", "our_count", "their_count",
                    "mismatch_count", "last_error")
    list_filter = ("status", "guarantor")
    list_select_related = ("guarantor",)
    inlines = [MismatchInline]
    actions = [resubmit_action("对账")]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(mismatch_total=Count("mismatches"))

    @admin.display(description="差异数", ordering="mismatch_total")
    def mismatch_count(self, obj):
        return obj.mismatch_total


@admin.register(CheckMismatch)
class CheckMismatchAdmin(ReadOnlyAdmin):
    list_display = ("applyno", "kind", "ours", "theirs", "run")
    list_filter = ("kind", "run__guarantor")
    search_fields = ("applyno",)
    list_select_related = ("run__guarantor",)
