"""Admin of the outbound call log: what each call was for and how it went, in words, scoped by permission."""
from django.apps import apps
from django.contrib import admin
from django.utils.html import format_html

from procurement.kernel.adminkit import ReadOnlyAdmin
from procurement.kernel.adminwords import error_in_words, json_block, labelled, truncated
from procurement.models import CALL_SCOPES, OutboundAttempt

# OutboundAttempt.counterparty_kind, as staff read it
COUNTERPARTY_KINDS = {
    "supplier": "电商", "image": "商品图片检查", "guarantor": "金融机构（保函）", "bank": "银行",
    "customs": "海关", "customs-probe": "海关（演示调用）", "ukey": "电子口岸签名服务",
}


class CounterpartyKindFilter(admin.SimpleListFilter):
    title = "对方类型"
    parameter_name = "counterparty_kind"

    def lookups(self, request, model_admin):
        kinds = model_admin.get_queryset(request).order_by().values_list("counterparty_kind", flat=True).distinct()
        return [(kind, COUNTERPARTY_KINDS.get(kind, kind)) for kind in sorted(kinds)]

    def queryset(self, request, queryset):
        return queryset.filter(counterparty_kind=self.value()) if self.value() else queryset


class PurposeFilter(admin.SimpleListFilter):
    title = "调用目的"
    parameter_name = "purpose_kind"

    def lookups(self, request, model_admin):
        kinds = model_admin.get_queryset(request).order_by().values_list("purpose_kind", flat=True).distinct()
        return [(kind, purpose_label(kind)) for kind in sorted(kinds) if kind]

    def queryset(self, request, queryset):
        return queryset.filter(purpose_kind=self.value()) if self.value() else queryset


def purpose_label(kind):
    """'catalog.syncrun' → '同步记录' (the model's own name)."""
    try:
        return str(apps.get_model(kind)._meta.verbose_name)
    except (LookupError, ValueError):
        return kind


@admin.register(OutboundAttempt)
class OutboundAttemptAdmin(ReadOnlyAdmin):
    """The calls a user may read are those of the counterparty kinds their permissions name (CALL_SCOPES):
    the list, its filters, search and the change page alike. Superusers read all."""

    list_display = ("started_at", "kind_label", "code_cut", "interface_cut", "outcome", "http_status",
                    "duration_ms", "reference_cut")
    list_filter = (CounterpartyKindFilter, "outcome", "interface", PurposeFilter)
    search_fields = ("counterparty_code", "reference", "interface")
    date_hierarchy = "started_at"
    fields = readonly_fields = (
        "started_at", "kind_label", "counterparty_code", "interface", "url", "reference", "purpose", "purpose_case",
        "duration_ms", "outcome", "http_status", "request_block", "reply_block", "error_words")

    @admin.display(description="对方类型", ordering="counterparty_kind")
    def kind_label(self, obj):
        return labelled(obj.counterparty_kind, COUNTERPARTY_KINDS)

    @admin.display(description="对方", ordering="counterparty_code")
    def code_cut(self, obj):
        return truncated(obj.counterparty_code)

    @admin.display(description="接口", ordering="interface")
    def interface_cut(self, obj):
        return truncated(obj.interface)

    @admin.display(description="业务编号", ordering="reference")
    def reference_cut(self, obj):
        return truncated(obj.reference)

    @admin.display(description="调用目的")
    def purpose(self, obj):
        if not obj.purpose_kind:
            return "—"
        return format_html("{} #{}", purpose_label(obj.purpose_kind), obj.purpose_id)

    @admin.display(description="请求（已脱敏）")
    def request_block(self, obj):
        return json_block(obj.request_excerpt)

    @admin.display(description="回复（已脱敏）")
    def reply_block(self, obj):
        return json_block(obj.reply_excerpt)

    @admin.display(description="错误")
    def error_words(self, obj):
        return error_in_words(obj.error) or "—"

    @staticmethod
    def visible_kinds(user):
        """The counterparty kinds `user` may read calls of; None for all of them."""
        if user.is_superuser:
            return None
        return {kind for codename, kinds in CALL_SCOPES.items()
                if user.has_perm(f"procurement.{codename}") for kind in kinds}

    def has_view_permission(self, request, obj=None):
        kinds = self.visible_kinds(request.user)
        if kinds is None:
            return True
        return bool(kinds) and (obj is None or obj.counterparty_kind in kinds)

    def get_queryset(self, request):
        calls = super().get_queryset(request)
        kinds = self.visible_kinds(request.user)
        return calls if kinds is None else calls.filter(counterparty_kind__in=kinds)
