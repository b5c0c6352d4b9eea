"""Admin for payment records of cross-border orders, their orders and goods."""
from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html

from customs.models import CrossBorderOrder, OrderGoods, PaymentRecord

VERBATIM = ("inital_request", "inital_response")


class OrderInline(admin.TabularInline):
    model = CrossBorderOrder
    fields = ("order_no", "recp_account", "recp_code", "recp_name", "goods_count")
    readonly_fields = ("goods_count",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(goods_total=Count("goods"))

    @admin.display(description="商品数")
    def goods_count(self, obj):
        return getattr(obj, "goods_total", 0)


@admin.register(PaymentRecord)
class PaymentRecordAdmin(admin.ModelAdmin):
    list_display = ("pay_transaction_id", "pay_code", "ebp_code", "total_amount", "currency", "ver_dept",
                    "pay_type", "trading_time", "order_count")
    list_filter = ("ver_dept", "pay_type", "currency", "pay_code")
    search_fields = ("pay_transaction_id", "pay_code", "ebp_code", "orders__order_no")
    date_hierarchy = "trading_time"
    readonly_fields = ("created_at", "updated_at")
    inlines = [OrderInline]
    fieldsets = (
        (None, {"fields": ("ebp_code", "pay_code", "pay_transaction_id", "total_amount", "currency",
                           "ver_dept", "pay_type", "trading_time", "note")}),
        ("与支付企业的原始报文（原样保存）", {"fields": ("inital_request", "inital_response")}),
        ("记录", {"fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(order_total=Count("orders", distinct=True))

    def get_readonly_fields(self, request, obj=None):
        # Browsers send textareas back with CRLF line ends: once stored, the texts are not re-submitted.
        return (*self.readonly_fields, *VERBATIM) if obj is not None else self.readonly_fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in VERBATIM:
            kwargs["strip"] = False  # the payment company's texts are kept exactly as they were
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="订单数", ordering="order_total")
    def order_count(self, obj):
        return obj.order_total


class GoodsInline(admin.TabularInline):
    model = OrderGoods
    fields = ("position", "gname", "item_link")
    extra = 0


@admin.register(CrossBorderOrder)
class CrossBorderOrderAdmin(admin.ModelAdmin):
    list_display = ("order_no", "payment", "recp_name", "recp_account", "recp_code", "payment_amount")
    search_fields = ("order_no", "recp_name", "recp_account", "payment__pay_transaction_id")
    list_select_related = ("payment",)
    autocomplete_fields = ("payment",)
    inlines = [GoodsInline]

    @admin.display(description="交易金额")
    def payment_amount(self, obj):
        return format_html("{} {}", obj.payment.total_amount, obj.payment.currency)
