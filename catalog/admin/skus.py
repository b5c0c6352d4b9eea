"""Admin of SKUs and the review queue: the content in words, what changed since the last approved version, and
the decisions (approve, reject, delist, resubmit) from the list or from the SKU's own page."""
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from catalog.admin.extras import sku_extras
from catalog.admin.labels import RULE_LABELS, field_label, rule_label
from catalog.admin.present import Names, content_table, diff_table, named_diff, prices_table
from catalog.listing import awaiting_review, sku_decide, sku_reject
from catalog.models import PriceChange, ReviewItem, Sku, SkuFinding, SkuStatusChange, SkuStock, SkuVersion
from catalog.stock import StockUnavailable, stock_check
from procurement.kernel.adminconfirm import action_confirmed, needs_reason
from procurement.kernel.adminkit import (
    HistoryInline,
    ObjectActionsMixin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    act_on_each,
    transition_action,
)
from procurement.kernel.adminwords import truncated
from procurement.kernel.dashboard import waited
from procurement.kernel.http import OutboundError
from procurement.kernel.queue import enqueue
from procurement.kernel.statemachine import by_user
from procurement.models import Area

Status = Sku.Status
APPROVE, DELIST, RESUBMIT = (f"move_to_{state}" for state in (Status.LISTED, Status.DELISTED, Status.PENDING_REVIEW))
DECISIONS = (APPROVE, "reject")  # after these, the reviewer goes on to the next SKU in the queue


class FindingInline(ReadOnlyInline):
    model = SkuFinding
    fields = readonly_fields = ("rule_label", "code", "field_label", "message")
    verbose_name_plural = "校验问题（最新内容与价格）"

    def get_formset(self, request, obj=None, **kwargs):
        latest = getattr(obj, "latest_version", None)
        self.param_names = Names.load(latest.content if latest else None).params if latest else {}
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description="规则")
    def rule_label(self, obj):
        return format_html('{} <span class="code">{}</span>', rule_label(obj.rule), obj.rule)

    @admin.display(description="字段")
    def field_label(self, obj):
        names = {key: param.name for key, param in getattr(self, "param_names", {}).items()}
        return field_label(obj.field, names) if obj.field else "—"


class SkuHistoryInline(HistoryInline):
    model = SkuStatusChange
    fields = readonly_fields = ("at", "from_label", "to_label", "actor", "source", "message", "reason")
    select_related = ("actor", "message")


class PriceChangeInline(ReadOnlyInline):
    model = PriceChange
    fields = readonly_fields = ("at", "old_price", "new_price", "old_mall_price", "new_mall_price", "message")
    classes = ("collapse",)
    select_related = ("message",)


class VersionInline(ReadOnlyInline):
    model = SkuVersion
    fields = readonly_fields = ("number", "valid", "rejected_reason", "message", "created_at")
    classes = ("collapse",)
    select_related = ("message", "sku")  # a version's str() names its SKU


class StockInline(ReadOnlyInline):
    model = SkuStock
    fields = readonly_fields = ("area_code", "quantity", "checked_at")
    verbose_name_plural = "库存（按地区，最近一次查询）"


class FindingRuleFilter(admin.SimpleListFilter):
    title = "校验问题"
    parameter_name = "rule"

    def lookups(self, request, model_admin):
        rules = SkuFinding.objects.order_by("rule").values_list("rule", flat=True).distinct()
        return [(rule, RULE_LABELS.get(rule, rule)) for rule in rules]

    def queryset(self, request, queryset):
        return queryset.filter(findings__rule=self.value()).distinct() if self.value() else queryset


@admin.register(Sku)
class SkuAdmin(ObjectActionsMixin, ReadOnlyAdmin):
    list_display = ("sku_code", "short_name", "supplier_code", "status", "review_reason", "price", "mall_price",
                    "shelf_on", "updated_at")
    list_filter = ("status", "supplier", ("category", admin.RelatedOnlyFieldListFilter), "review_reason",
                   FindingRuleFilter, "delist_cause", "shelf_on")
    search_fields = ("sku_code", "name")
    list_select_related = ("supplier", "category")
    readonly_fields = ("supplier", "sku_code", "status", "delist_cause", "review_reason", "name", "category_named",
                       "prices", "shelf_on", "live_stock", "approved_version", "latest_version", "changes", "content",
                       "extras", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("supplier", "sku_code", "name", "category_named", "status", "delist_cause",
                           "review_reason")}),
        ("待审核变更（与上次审核通过的版本相比）", {"fields": ("changes",)}),
        ("价格与规则", {"fields": ("prices",)}),
        ("商品内容（最新接收版本）", {"fields": ("content",), "classes": ("collapse",)}),
        ("上下架与库存", {"fields": ("shelf_on", "live_stock")}),
        ("好评度、优惠、延保与配件（网上商城标准的扩展信息）", {"fields": ("extras",)}),
        ("版本", {"fields": ("approved_version", "latest_version", "created_at", "updated_at")}),
    )
    inlines = [FindingInline, StockInline, SkuHistoryInline, PriceChangeInline, VersionInline]
    actions = [
        transition_action(sku_decide, Status.LISTED, "审核通过（上架或接受变更）", permission="review"),
        "reject",
        transition_action(sku_decide, Status.DELISTED, "人工下架", permission="review", ask_reason=True),
        transition_action(sku_decide, Status.PENDING_REVIEW, "重新送审", permission="review"),
        "refresh_stock",
    ]
    object_actions = (APPROVE, "reject", DELIST, RESUBMIT)

    def has_review_permission(self, request):
        return request.user.has_perm("catalog.review_sku")

    def get_object(self, request, object_id, from_field=None):
        """The change page shows both versions (their str() names the SKU), their diff and the names they use:
        load them once."""
        sku = super().get_object(request, object_id, from_field)
        if sku is not None:
            versions = SkuVersion.objects.in_bulk({sku.latest_version_id, sku.approved_version_id} - {None})
            for version in versions.values():
                version.sku = sku
            sku.latest_version = versions.get(sku.latest_version_id)
            sku.approved_version = versions.get(sku.approved_version_id)
            sku.names = Names.load(*(version.content for version in versions.values()))
        return sku

    def object_action_offered(self, obj, action):
        awaiting = obj.status == Status.PENDING_REVIEW or obj.has_unreviewed_change
        return {APPROVE: awaiting, "reject": awaiting, DELIST: obj.status == Status.LISTED,
                RESUBMIT: obj.status in (Status.DELISTED, Status.REJECTED)}[action]

    def after_object_action(self, request, obj, action):
        """After a decision, the next SKU waiting in the queue (the oldest first), or the queue when it is empty."""
        if action not in DECISIONS:
            return super().after_object_action(request, obj, action)
        following = ReviewItem.objects.filter(awaiting_review()).exclude(pk=obj.pk).order_by("updated_at", "pk").first()
        if following is None:
            self.message_user(request, "审核队列已处理完", messages.INFO)
            return reverse("admin:catalog_reviewitem_changelist")
        return reverse("admin:catalog_reviewitem_change", args=[following.pk])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["next_in_queue"] = self._next_in_queue(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def _next_in_queue(obj):
        following = ReviewItem.objects.filter(awaiting_review()).exclude(pk=obj.pk).order_by("updated_at", "pk")
        pk = following.values_list("pk", flat=True).first()
        return reverse("admin:catalog_reviewitem_change", args=[pk]) if pk else ""

    def get_urls(self):
        live = path("<int:sku_id>/stock/", self.admin_site.admin_view(self.stock_view),
                    name=f"{self.opts.app_label}_{self.opts.model_name}_stock")
        return [live, *super().get_urls()]

    def stock_view(self, request, sku_id):
        """Ask the supplier for this SKU's stock in the area picked on the SKU page, then go back to it."""
        sku = Sku.objects.select_related("supplier").filter(pk=sku_id).first()
        if sku is None or not self.has_view_permission(request, sku):
            raise PermissionDenied
        area = Area.objects.filter(code=request.GET.get("area", "")).first()
        if area is None:
            self.message_user(request, "请选择一个地区", messages.WARNING)
        else:
            try:
                quantity = stock_check(sku.supplier, [sku], area.code)[sku.sku_code]
            except (StockUnavailable, OutboundError) as error:
                self.message_user(request, f"未能查询 {area.name} 的库存：{error}", messages.ERROR)
            else:
                shown = "电商未返回" if quantity is None else f"{quantity} 件"
                self.message_user(request, f"{area.name}（{area.code}）实时库存：{shown}", messages.SUCCESS)
        return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[sku_id]))

    @admin.display(description="商品名称", ordering="name")
    def short_name(self, obj):
        return truncated(obj.name)

    @admin.display(description="电商", ordering="supplier__code")
    def supplier_code(self, obj):
        return truncated(obj.supplier.code, title=str(obj.supplier))

    @admin.display(description="品目")
    def category_named(self, obj):
        latest = obj.latest_version.content if obj.latest_version else {}
        code = latest.get("category") or (obj.category.code if obj.category_id else "")
        category = obj.names.categories.get(code) if code else None
        if category is None:
            return format_html('<span class="code">{}</span>', code) if code else "—"
        return format_html('{} <span class="code">{}</span>', category.name, code)

    @admin.display(description="实时库存")
    def live_stock(self, obj):
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_stock", args=[obj.pk])
        # Provinces, cities and the areas stock is kept for (a select of every county would be thousands long).
        areas = Area.objects.filter(Q(level__lte=Area.Level.CITY) | Q(code__in=settings.CATALOG_STOCK_AREAS))
        options = format_html_join("", '<option value="{}">{}（{}）</option>',
                                   ((code, name, code) for code, name in
                                    areas.order_by("code").values_list("code", "name")))
        return format_html(
            '<select onchange="if (this.value) {{ location.href = \'{}?area=\' + this.value; }}">'
            '<option value="">选择地区，向电商查询实时库存…</option>{}</select>', url, options)

    @admin.display(description="扩展信息")
    def extras(self, obj):
        return sku_extras(obj)

    @admin.display(description="价格")
    def prices(self, obj):
        return prices_table(obj)

    @admin.display(description="内容")
    def content(self, obj):
        return content_table(obj.latest_version.content, obj.names) if obj.latest_version else "—"

    @admin.display(description="变更内容")
    def changes(self, obj):
        latest = obj.latest_version
        if latest is None:
            return "—"
        before = obj.approved_version.content if obj.approved_version_id else None
        rows = named_diff(before, latest.content, obj.names)
        return diff_table(rows) if rows else "与已审核版本相同"

    @admin.action(description="驳回（填写原因）", permissions=["review"])
    def reject(self, request, queryset):
        page, reason = action_confirmed(self, request, queryset, "reject", "驳回", ask_reason=True)
        if page is not None:
            return page
        actor = by_user(request.user)
        act_on_each(self, request, queryset, lambda sku: sku_reject(sku, actor=actor, reason=reason),
                    lambda rejected: f"已驳回 {rejected} 个商品")
        return None

    needs_reason(reject)

    @admin.action(description="刷新库存", permissions=["review"])
    def refresh_stock(self, request, queryset):
        by_supplier = {}
        for supplier_id, pk in queryset.values_list("supplier_id", "pk"):
            by_supplier.setdefault(supplier_id, []).append(pk)
        for supplier_id, pks in by_supplier.items():
            # A job, not this request: a supplier may take minutes over thousands of SKUs.
            enqueue("catalog.jobs.refresh_stock", supplier_id, pks)
        self.message_user(request, f"已排队刷新 {sum(map(len, by_supplier.values()))} 个商品的库存，"
                                   "稍后刷新本页查看；调用结果见「外部调用记录」", messages.SUCCESS)


@admin.register(ReviewItem)
class ReviewQueueAdmin(SkuAdmin):
    """The review queue: the same SKU pages, only those waiting for a decision, oldest first."""

    list_display = ("sku_code", "short_name", "supplier_code", "review_reason", "price", "mall_price", "shelf_on",
                    "waiting")
    list_filter = ("supplier", ("category", admin.RelatedOnlyFieldListFilter), "review_reason")
    ordering = ("updated_at", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(awaiting_review())

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("catalog.view_sku")

    def has_module_permission(self, request):
        return request.user.has_perm("catalog.view_sku")

    @admin.display(description="已等待", ordering="updated_at")
    def waiting(self, obj):
        return format_html('<span title="{}">{}</span>', obj.updated_at, waited(obj.updated_at))
