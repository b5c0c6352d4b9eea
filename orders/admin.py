"""Admin of the orders: purchasing units and purchasers, orders with their lines, supplier child orders, shipments,
returns, credit-terms payments, the e-invoice and the timeline; staff act through actions that call services."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from orders.masking import mask_address, mask_phone
from orders.models import (
    CreditPayment,
    DeliveryAddress,
    Order,
    OrderCommand,
    OrderLine,
    OrderStatusChange,
    Purchaser,
    PurchasingUnit,
    ReconciliationMismatch,
    ReconciliationRun,
    ReturnRequest,
    Shipment,
    SubOrder,
)
from orders.services.commands import SEND_TASK
from orders.services.intake import Cart, CartLine, OrderInvalid, orders_place
from orders.services.payments import overdue, payment_record
from orders.services.reconciliation import RUN_TASK, reconciliation_start
from orders.services.returns import return_request
from orders.services.staff import needs_attention, order_cancel, order_confirm, order_refuse_delivery
from procurement.kernel.adminkit import (
    DeliveryAdmin,
    HistoryInline,
    ReadOnlyAdmin,
    ReadOnlyInline,
    act_on_each,
    outbound_calls_link,
    resubmit_action,
)
from procurement.kernel.statemachine import IllegalTransition, by_user
from procurement.suppliers.base import Capability
from procurement.suppliers.registry import connector_class

# The order interfaces a supplier may or may not offer (the admin says which before staff ask for one).
ORDER_CAPABILITIES = (Capability.ORDER_CANCEL, Capability.ORDER_QUERY, Capability.ORDER_TRACK, Capability.RETURNS,
                      Capability.RECONCILIATION, Capability.CREDIT_TERMS, Capability.INVOICES)


@admin.register(PurchasingUnit)
class PurchasingUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "region", "credit_limit", "credit_days", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "credit_code")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)


class PurchaserForm(forms.ModelForm):
    phone = forms.RegexField(label="手机", regex=r"^1\d{10}$", error_messages={"invalid": "应为 11 位手机号"})

    class Meta:
        model = Purchaser
        fields = ("unit", "name", "phone", "external_id", "is_active")


@admin.register(Purchaser)
class PurchaserAdmin(admin.ModelAdmin):
    form = PurchaserForm
    list_display = ("name", "unit", "masked_phone", "external_id", "is_active")
    list_filter = ("is_active", "unit")
    search_fields = ("name", "external_id", "unit__name")
    list_select_related = ("unit",)

    @admin.display(description="手机")
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(DeliveryAddress)
class DeliveryAddressAdmin(admin.ModelAdmin):
    list_display = ("purchaser", "area", "receiver", "masked_phone", "masked_address", "is_default")
    search_fields = ("purchaser__name", "receiver")
    list_select_related = ("purchaser__unit", "area")
    autocomplete_fields = ("area",)

    @admin.display(description="收货人手机")
    def masked_phone(self, obj):
        return mask_phone(obj.receiver_phone)

    @admin.display(description="详细地址")
    def masked_address(self, obj):
        return mask_address(obj.address)


class LineInline(ReadOnlyInline):
    model = OrderLine
    fields = readonly_fields = ("sku_code", "name", "quantity", "unit_price", "amount")
    verbose_name_plural = "订单商品（单价为下单时的协议价）"


class SubOrderInline(ReadOnlyInline):
    model = SubOrder
    fields = readonly_fields = ("number", "state", "amount", "lines")
    verbose_name_plural = "电商子订单（拆单）"


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = readonly_fields = ("supplier_order_no", "carrier", "waybill", "dispatch_no", "contents", "timeline")
    verbose_name_plural = "物流"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines", "steps")

    @admin.display(description="商品")
    def contents(self, obj):
        return "；".join(f"{line.name or line.sku_code} × {line.quantity}" for line in obj.lines.all())

    @admin.display(description="物流轨迹")
    def timeline(self, obj):
        return format_html_join("", "<div>{} {}（{}）</div>", (
            (timezone.localtime(step.at).strftime("%Y-%m-%d %H:%M:%S") if step.at else "—", step.what, step.who or "—")
            for step in obj.steps.all()))


class ReturnInline(ReadOnlyInline):
    model = ReturnRequest
    fields = readonly_fields = ("number", "exchange", "status", "reason", "supplier_service_id", "note", "created_at")
    verbose_name_plural = "退换货"


class PaymentInline(ReadOnlyInline):
    model = CreditPayment
    fields = readonly_fields = ("serial_no", "amount", "paid_at", "bank_name", "verdict", "verdict_note", "receipt_id",
                                "recorded_by", "recorded_at")
    select_related = ("recorded_by",)
    verbose_name_plural = "账期付款"


class CommandInline(ReadOnlyInline):
    model = OrderCommand
    fields = readonly_fields = ("created_at", "action", "status", "attempts", "last_error")
    verbose_name_plural = "发给电商的指令"


class OrderHistoryInline(HistoryInline):
    model = OrderStatusChange


class OverdueFilter(admin.SimpleListFilter):
    title = "账期逾期"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "已逾期")]

    def queryset(self, request, queryset):
        return overdue(queryset) if self.value() == "yes" else queryset


class AttentionFilter(admin.SimpleListFilter):
    title = "待工作人员处理"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("yes", "电商拒绝或需核实")]

    def queryset(self, request, queryset):
        return needs_attention(queryset) if self.value() == "yes" else queryset


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class PaymentForm(forms.Form):
    serial_no = forms.CharField(label="银行流水号", max_length=64)
    amount = forms.DecimalField(label="金额", max_digits=14, decimal_places=2)
    paid_at = forms.DateTimeField(label="转账时间", help_text="yyyy-MM-dd HH:mm:ss")
    bank_name = forms.CharField(label="付款银行", max_length=100)
    bank_account = forms.CharField(label="付款账号", max_length=40)


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "unit", "supplier", "status", "payment", "payment_status", "due_date", "total",
                    "created_at")
    list_filter = ("status", AttentionFilter, "payment", "payment_status", OverdueFilter, "supplier")
    search_fields = ("number", "storefront_no", "cart_no", "supplier_order_no", "unit__name")
    list_select_related = ("unit", "supplier")
    date_hierarchy = "created_at"
    readonly_fields = ("number", "storefront_no", "cart_no", "unit", "purchaser", "supplier", "status", "payment",
                       "payment_status", "due_date", "total", "area", "masked_address", "receiver", "masked_phone",
                       "invoice_title", "invoice_tax_no", "remark", "supplier_order_no", "supplier_state",
                       "supplier_amount", "stop_reason", "created_by", "created_at", "submitted_at", "completed_at",
                       "invoice_file", "outbound_calls", "after_sales", "supplier_interfaces")
    fieldsets = (
        (None, {"fields": ("number", "status", "stop_reason", "storefront_no", "cart_no", "unit", "purchaser",
                           "supplier", "total", "created_by", "created_at")}),
        ("收货", {"fields": ("area", "masked_address", "receiver", "masked_phone")}),
        ("电商", {"fields": ("supplier_order_no", "supplier_state", "supplier_amount", "submitted_at",
                             "completed_at", "supplier_interfaces", "outbound_calls")}),
        ("付款与发票", {"fields": ("payment", "payment_status", "due_date", "invoice_title", "invoice_tax_no",
                                  "invoice_file")}),
        ("售后", {"fields": ("after_sales",)}),
    )
    inlines = [LineInline, SubOrderInline, ShipmentInline, ReturnInline, PaymentInline, CommandInline,
               OrderHistoryInline]
    actions = ["confirm", "cancel", "refuse_delivery", "record_payment"]

    def has_manage_permission(self, request):
        return request.user.has_perm("orders.manage_order")

    @admin.display(description="收货人手机")
    def masked_phone(self, obj):
        return mask_phone(obj.receiver_phone)

    @admin.display(description="详细地址")
    def masked_address(self, obj):
        return mask_address(obj.address)

    @admin.display(description="外部调用")
    def outbound_calls(self, obj):
        return format_html("{}", outbound_calls_link(obj, "该订单的全部外部调用（指令见下方）"))

    @admin.display(description="电商订单接口")
    def supplier_interfaces(self, obj):
        offered = supplier_offers(obj.supplier)
        return format_html_join("、", "{}{}", ((c.label, "" if offered[c] else "（未提供）") for c in ORDER_CAPABILITIES))

    @admin.display(description="退换货")
    def after_sales(self, obj):
        if obj.status != Order.Status.COMPLETED:
            return "订单完成后可申请退换货"
        if not supplier_offers(obj.supplier)[Capability.RETURNS]:
            return "该电商未提供退换货接口：请与电商线下办理"
        return format_html('<a href="{}">申请退货或换货</a>', reverse("admin:orders_order_return", args=[obj.pk]))

    def changelist_view(self, request, extra_context=None):
        extra = {"place_url": reverse("admin:orders_order_place")} if request.user.has_perm("orders.add_order") else {}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    @admin.display(description="电子发票")
    def invoice_file(self, obj):
        invoice = getattr(obj, "invoice", None)
        if invoice is None or not invoice.issued:
            return "未开票"
        if not invoice.file:
            return f"已开票 {invoice.number}（文件未取到：{invoice.fetch_error or '稍后再取'}）"
        url = reverse("admin:orders_order_invoice", args=[obj.pk])
        return format_html('已开票 {} <a href="{}">下载发票</a>', invoice.number, url)

    def get_urls(self):
        return [
            path("<int:order_id>/invoice/", self.admin_site.admin_view(self.invoice_view), name="orders_order_invoice"),
            path("<int:order_id>/return/", self.admin_site.admin_view(self.return_view), name="orders_order_return"),
            path("place/", self.admin_site.admin_view(self.place_view), name="orders_order_place"),
            *super().get_urls(),
        ]

    def invoice_view(self, request, order_id):
        """The invoice file, for staff with the order view permission only (the file is not served publicly)."""
        if not request.user.has_perm("orders.view_order"):
            raise PermissionDenied
        order = Order.objects.select_related("invoice").filter(pk=order_id).first()
        invoice = getattr(order, "invoice", None) if order else None
        if invoice is None or not invoice.file:
            raise Http404("没有发票文件")
        return FileResponse(invoice.file.open("rb"), as_attachment=True, filename=f"{order.number}.pdf")

    def return_view(self, request, order_id):
        """Ask for a return or exchange of a completed order, with quantities per line."""
        if not self.has_manage_permission(request):
            raise PermissionDenied
        order = Order.objects.get(pk=order_id)
        lines = list(order.lines.all())
        form = ReturnForm(lines, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                created = return_request(order, quantities=form.quantities(lines), exchange=form.cleaned_data["exchange"],
                                         reason=form.cleaned_data["reason"], actor=by_user(request.user))
            except IllegalTransition as refused:
                self.message_user(request, str(refused), messages.ERROR)
            else:
                self.message_user(request, f"已提交退换货 {created.number}，将推送电商", messages.SUCCESS)
                return redirect(reverse("admin:orders_order_change", args=[order.pk]))
        return TemplateResponse(request, "admin/orders/order/return.html", {
            **self.admin_site.each_context(request), "form": form, "order": order, "opts": self.opts,
            "title": f"退换货：{order.number}"})

    def place_view(self, request):
        """Place an order on a purchaser's behalf (at the SKUs' current listed prices)."""
        if not request.user.has_perm("orders.add_order"):
            raise PermissionDenied
        form = PlaceForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                orders, _ = orders_place(form.cart(), actor=by_user(request.user))
            except OrderInvalid as invalid:
                for problem in invalid.problems:
                    self.message_user(request, problem, messages.ERROR)
            else:
                self.message_user(request, "已下单：" + "、".join(o.number for o in orders), messages.SUCCESS)
                return redirect(reverse("admin:orders_order_changelist"))
        return TemplateResponse(request, "admin/orders/order/place.html", {
            **self.admin_site.each_context(request), "form": form, "opts": self.opts, "title": "代采购人下单"})

    @admin.action(description="确认订单（已预下单的）", permissions=["manage"])
    def confirm(self, request, queryset):
        act_on_each(self, request, queryset, lambda order: order_confirm(order, actor=by_user(request.user)),
                    lambda done: f"已为 {done} 个订单发出确认" if done else "")

    @admin.action(description="取消订单（填写原因）", permissions=["manage"])
    def cancel(self, request, queryset):
        return self._with_reason(request, queryset, "取消订单", "cancel",
                                 lambda order, reason: order_cancel(order, actor=by_user(request.user), reason=reason),
                                 lambda done: f"已为 {done} 个订单办理取消")

    @admin.action(description="采购人拒收（填写原因）", permissions=["manage"])
    def refuse_delivery(self, request, queryset):
        return self._with_reason(request, queryset, "采购人拒收", "refuse_delivery",
                                 lambda order, reason: order_refuse_delivery(order, actor=by_user(request.user),
                                                                             reason=reason),
                                 lambda done: f"已登记 {done} 个订单拒收")

    @admin.action(description="登记账期转账", permissions=["manage"])
    def record_payment(self, request, queryset):
        form = PaymentForm(request.POST if "serial_no" in request.POST else None)
        if queryset.count() != 1:
            self.message_user(request, "请只选择一个订单登记转账", messages.WARNING)
            return None
        if not form.is_valid():
            return self._form_page(request, queryset, form, "登记账期转账", "record_payment")
        order, data = queryset.get(), form.cleaned_data
        try:
            payment_record(order, actor=by_user(request.user), **data)
        except IllegalTransition as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(request, f"已登记 {order.number} 的转账，将推送电商核对", messages.SUCCESS)
        return None

    def _with_reason(self, request, queryset, title, action, act, done):
        form = ReasonForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return self._form_page(request, queryset, form, title, action)
        reason = form.cleaned_data["reason"]
        act_on_each(self, request, queryset, lambda order: act(order, reason), lambda n: done(n) if n else "")
        return None

    def _form_page(self, request, queryset, form, title, action):
        return TemplateResponse(request, "admin/orders/order/action_form.html", {
            **self.admin_site.each_context(request), "form": form, "queryset": queryset, "opts": self.opts,
            "title": title, "action": action, "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)})


def supplier_offers(supplier):
    """{capability: whether the supplier's connector has it and staff left it on}, for the order interfaces."""
    protocol = connector_class(supplier.protocol)
    return {capability: protocol.offered(supplier, capability) for capability in ORDER_CAPABILITIES}


class ReturnForm(forms.Form):
    exchange = forms.BooleanField(label="换货（不勾选为退货）", required=False)
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, lines, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for line in lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=f"{line.sku_code} {line.name[:30]}（购买 {line.quantity}）", min_value=0, max_value=line.quantity,
                initial=0, required=False)

    def quantities(self, lines):
        return {line: self.cleaned_data.get(f"line_{line.pk}") or 0 for line in lines}


class PlaceForm(forms.Form):
    purchaser = forms.ModelChoiceField(label="采购人", queryset=Purchaser.objects.filter(is_active=True))
    address = forms.ModelChoiceField(label="收货地址", queryset=DeliveryAddress.objects.select_related("area"))
    credit_terms = forms.BooleanField(label="账期支付", required=False)
    lines = forms.CharField(label="商品", widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="每行一个：电商编码 商品编号 数量，如 DEMO-EMALL SB000001 2（按当前协议价下单）")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("purchaser") and cleaned.get("address") and cleaned["address"].purchaser_id != cleaned[
                "purchaser"].pk:
            self.add_error("address", "不是该采购人的地址")
        self.cart_lines = self._lines(cleaned.get("lines", ""))
        return cleaned

    def _lines(self, text):
        from catalog.models import Sku

        found = []
        for number, row in enumerate(filter(None, (r.strip() for r in text.splitlines())), 1):
            parts = row.split()
            sku = Sku.objects.filter(supplier__code=parts[0], sku_code=parts[1]).select_related("supplier").first() \
                if len(parts) == 3 and parts[2].isdigit() else None
            if sku is None:
                self.add_error("lines", f"第 {number} 行「{row}」不是“电商编码 商品编号 数量”或商品不存在")
                continue
            found.append(CartLine(sku, int(parts[2]), sku.price))
        return found

    def cart(self):
        data = self.cleaned_data
        return Cart(purchaser=data["purchaser"], address=data["address"], lines=self.cart_lines,
                    credit_terms=data["credit_terms"])


@admin.register(OrderCommand)
class OrderCommandAdmin(DeliveryAdmin):
    list_display = ("created_at", "order", "action", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status", "action")
    search_fields = ("order__number",)
    list_select_related = ("order",)
    actions = [resubmit_action("订单指令", SEND_TASK)]


class MismatchInline(ReadOnlyInline):
    model = ReconciliationMismatch
    fields = readonly_fields = ("order_no", "kind", "ours", "theirs")


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(DeliveryAdmin):
    list_display = ("day", "supplier", "status", "our_count", "their_count", "their_total", "mismatch_count",
                    "last_error")
    list_filter = ("status", "supplier")
    list_select_related = ("supplier",)
    inlines = [MismatchInline]
    actions = [resubmit_action("订单对账", RUN_TASK), "again_today"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(mismatch_total=Count("mismatches"))

    @admin.display(description="差异数", ordering="mismatch_total")
    def mismatch_count(self, obj):
        return obj.mismatch_total

    @admin.action(description="对所选电商核对今天的订单", permissions=["change"])
    def again_today(self, request, queryset):
        suppliers = {run.supplier for run in queryset}
        for supplier in suppliers:
            reconciliation_start(supplier, timezone.localdate())
        self.message_user(request, f"已为 {len(suppliers)} 个电商安排今天的对账", messages.SUCCESS)


@admin.register(ReconciliationMismatch)
class ReconciliationMismatchAdmin(ReadOnlyAdmin):
    list_display = ("order_no", "kind", "ours", "theirs", "run")
    list_filter = ("kind", "run__supplier", "run__day")
    search_fields = ("order_no",)
    list_select_related = ("run__supplier",)
