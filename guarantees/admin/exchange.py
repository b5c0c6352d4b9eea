"""Admin for what crossed the wire: notices received (read-only), messages owed (resubmit), reconciliations."""
from datetime import timedelta

from django.contrib import admin
from django.db.models import Count
from django.utils import timezone

from guarantees.models import CheckMismatch, CheckRun, InboundNotice, OutboundMessage
from guarantees.services.messages import SEND_TASK
from guarantees.services.reconciliation import RUN_TASK
from procurement.kernel.adminkit import DeliveryAdmin, ReadOnlyAdmin, ReadOnlyInline, resubmit_action
from procurement.kernel.adminwords import error_in_words, json_table, truncated


@admin.register(OutboundMessage)
class OutboundMessageAdmin(DeliveryAdmin):
    list_display = ("created_at", "interface", "guarantee", "status", "attempts", "next_attempt_at", "error_words")
    list_filter = ("status", "interface", "guarantee__guarantor")
    search_fields = ("guarantee__applyno", "guarantee__baohanno")
    list_select_related = ("guarantee",)
    actions = [resubmit_action("保函报文", SEND_TASK)]

    @admin.display(description="最近错误")
    def error_words(self, obj):
        return truncated(error_in_words(obj.last_error)) if obj.last_error else "—"


@admin.register(InboundNotice)
class InboundNoticeAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "interface", "guarantor", "reference", "answer")
    list_filter = ("interface", "guarantor")
    search_fields = ("reference", "sign")
    list_select_related = ("guarantor",)
    fields = readonly_fields = ("guarantor", "interface", "reference", "received_at", "params_table", "reply_table",
                                "sign")

    @admin.display(description="应答")
    def answer(self, obj):
        if not obj.reply:
            return "—"
        code = obj.reply.get("code")
        said = {1: "成功", "1": "成功", 0: "失败", "0": "失败"}.get(code, code)
        return f"{said}（code {code}）{obj.reply.get('message', '')}"

    @admin.display(description="报文（文件已省略）")
    def params_table(self, obj):
        return json_table(obj.params, headers=("参数", "值"))

    @admin.display(description="应答")
    def reply_table(self, obj):
        return json_table(obj.reply, headers=("字段", "值"))


class MismatchInline(ReadOnlyInline):
    model = CheckMismatch
    fields = ("applyno", "kind", "ours", "theirs")
    readonly_fields = fields


@admin.register(CheckRun)
class CheckRunAdmin(DeliveryAdmin):
    list_display = ("created_at", "guarantor", "start_date", "end_date", "status", "our_count", "their_count",
                    "mismatch_count", "error_words")
    list_filter = ("status", "guarantor")
    list_select_related = ("guarantor",)
    inlines = [MismatchInline]
    actions = [resubmit_action("对账", RUN_TASK)]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(mismatch_total=Count("mismatches"))

    @admin.display(description="最近错误")
    def error_words(self, obj):
        return truncated(error_in_words(obj.last_error)) if obj.last_error else "—"

    @admin.display(description="差异数", ordering="mismatch_total")
    def mismatch_count(self, obj):
        return obj.mismatch_total


class RecentRunFilter(admin.SimpleListFilter):
    title = "对账时间"
    parameter_name = "days"

    def lookups(self, request, model_admin):
        return [("1", "近 24 小时"), ("7", "近 7 天"), ("30", "近 30 天")]

    def queryset(self, request, queryset):
        if self.value() not in {"1", "7", "30"}:
            return queryset
        return queryset.filter(run__created_at__gte=timezone.now() - timedelta(days=int(self.value())))


@admin.register(CheckMismatch)
class CheckMismatchAdmin(ReadOnlyAdmin):
    list_display = ("applyno", "kind", "ours", "theirs", "run")
    list_filter = ("kind", RecentRunFilter, "run__guarantor")
    search_fields = ("applyno",)
    list_select_related = ("run__guarantor",)
