"""Admin for what crossed the wire: notices received (read-only), messages owed (resubmit), reconciliations."""
from django.contrib import admin
from django.db.models import Count

from guarantees.models import CheckMismatch, CheckRun, InboundNotice, OutboundMessage
from guarantees.services.messages import SEND_TASK
from guarantees.services.reconciliation import RUN_TASK
from procurement.kernel.adminkit import DeliveryAdmin, ReadOnlyAdmin, ReadOnlyInline, resubmit_action


@admin.register(OutboundMessage)
class OutboundMessageAdmin(DeliveryAdmin):
    list_display = ("created_at", "interface", "guarantee", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status", "interface", "guarantee__guarantor")
    search_fields = ("guarantee__applyno", "guarantee__baohanno")
    list_select_related = ("guarantee",)
    actions = [resubmit_action("保函报文", SEND_TASK)]


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
    actions = [resubmit_action("对账", RUN_TASK)]

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
