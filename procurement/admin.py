"""Admin for suppliers, their accounts and tokens, reference data and the exchange log."""
from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from procurement import admin_calls  # noqa: F401  (registers the outbound call log)
from procurement.docking.admin import start_run, supplier_runs_link, withdraw_trust
from procurement.kernel.adminconfirm import confirm_many
from procurement.kernel.adminkit import (
    HistoryInline,
    ReadOnlyInline,
    show_secret_once,
    transition_action,
)
from procurement.kernel.fields import mask_secret
from procurement.models import (
    AccessToken,
    Area,
    Brand,
    Platform,
    Promise,
    Supplier,
    SupplierAccount,
    SupplierArea,
    SupplierContact,
    SupplierStatusChange,
)
from procurement.services import accounts
from procurement.services.suppliers import supplier_set_docking_status
from procurement.suppliers.admin_links import supplier_calls_link
from procurement.suppliers.forms import SupplierForm, parameter_fieldsets
from procurement.suppliers.remote_areas import remote_area_map

DockingStatus = Supplier.DockingStatus
_KEEP = "留空则保持不变"


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_active")
    search_fields = ("code", "name")


class ContactInline(admin.TabularInline):
    model = SupplierContact
    extra = 0


class SupplierHistoryInline(HistoryInline):
    model = SupplierStatusChange
    state_field = "docking_status"


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    form = SupplierForm
    list_display = ("code", "name", "protocol", "docking_status", "sync_enabled", "last_polled_at")
    list_filter = ("protocol", "docking_status", "sync_enabled", "platforms")
    search_fields = ("code", "name")
    readonly_fields = ("docking_status", "docking_runs", "last_polled_at", "outbound_calls")
    filter_horizontal = ("platforms",)
    inlines = [ContactInline, SupplierHistoryInline]
    # 测试通过 and 正式 come only from docking runs (procurement/docking): a passing run, then the trust mark granted
    # on it in the run's admin.
    actions = [
        start_run,
        withdraw_trust,
        transition_action(supplier_set_docking_status, DockingStatus.DOCKING, "恢复为对接中"),
    ]

    def has_grant_trust_mark_permission(self, request):
        return request.user.has_perm("procurement.grant_trust_mark")

    @admin.display(description="对接测试")
    def docking_runs(self, obj):
        return supplier_runs_link(obj) if obj and obj.pk else "—"

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ("name", "code", "protocol", "base_url", "platforms", "docking_status", "docking_runs",
                               "note")}),
            *parameter_fieldsets(),
            ("同步", {"fields": ("sync_enabled", "poll_interval_minutes", "interfaces_off", "last_polled_at",
                               "outbound_calls")}),
        ]

    @admin.display(description="外部调用")
    def outbound_calls(self, obj):
        return supplier_calls_link(obj, "该电商的全部外部调用") if obj and obj.pk else "—"


class AccountForm(forms.ModelForm):
    new_password = forms.CharField(
        label="密码", required=False, widget=forms.PasswordInput, help_text="新建时必填；修改时" + _KEEP
    )

    class Meta:
        model = SupplierAccount
        fields = ("supplier", "username", "is_active")

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("new_password"):
            self.add_error("new_password", "新建账号必须设置密码")
        return cleaned


class TokenInline(ReadOnlyInline):
    model = AccessToken
    fields = ("prefix", "issued_at", "expires_at", "revoked_at")
    readonly_fields = fields
    ordering = ("-issued_at",)


@admin.register(SupplierAccount)
class SupplierAccountAdmin(admin.ModelAdmin):
    form = AccountForm
    list_display = ("username", "supplier", "is_active", "locked_until", "last_login_at")
    list_filter = ("is_active", "supplier")
    search_fields = ("username", "supplier__name", "supplier__code")
    list_select_related = ("supplier",)
    readonly_fields = ("secret_state", "failed_logins", "locked_until", "last_login_at", "created_at")
    inlines = [TokenInline]
    actions = ["regenerate_secret", "unlock", "revoke_tokens"]

    @admin.display(description="签名密钥")
    def secret_state(self, obj):
        return mask_secret(obj.client_secret)

    def save_model(self, request, obj, form, change):
        password = form.cleaned_data.get("new_password")
        if change:
            super().save_model(request, obj, form, change)
            if password:
                accounts.account_set_password(obj, password)
            return
        created = accounts.account_create(
            supplier=obj.supplier, username=obj.username, clear_password=password, is_active=obj.is_active
        )
        obj.pk = created.pk
        obj.client_secret = created.client_secret
        self._show_secret_once(request, created)

    def _show_secret_once(self, request, account):
        show_secret_once(self, request, f"账号 {account.username} 的签名密钥", account.client_secret, "电商")

    @admin.action(description="重新生成签名密钥", permissions=["change"])
    @confirm_many("重新生成签名密钥")
    def regenerate_secret(self, request, queryset):
        for account in queryset:
            accounts.account_regenerate_secret(account)
            self._show_secret_once(request, account)

    @admin.action(description="解除登录锁定", permissions=["change"])
    @confirm_many("解除登录锁定")
    def unlock(self, request, queryset):
        for account in queryset:
            accounts.account_unlock(account)
        self.message_user(request, f"已解除 {queryset.count()} 个账号的锁定", messages.SUCCESS)

    @admin.action(description="吊销全部令牌", permissions=["change"])
    @confirm_many("吊销全部令牌")
    def revoke_tokens(self, request, queryset):
        revoked = accounts.token_revoke(AccessToken.objects.filter(account__in=queryset))
        self.message_user(request, f"已吊销 {revoked} 个令牌", messages.SUCCESS)


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "account", "issued_at", "expires_at", "state")
    list_filter = ("account__supplier",)
    search_fields = ("prefix", "account__username")
    list_select_related = ("account",)
    readonly_fields = ("account", "prefix", "issued_at", "expires_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ["revoke"]

    @admin.display(description="状态")
    def state(self, obj):
        if obj.revoked_at:
            return "已吊销"
        return "有效" if obj.expires_at > timezone.now() else "已过期"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="吊销所选令牌", permissions=["change"])
    @confirm_many("吊销所选令牌")
    def revoke(self, request, queryset):
        revoked = accounts.token_revoke(queryset)
        self.message_user(request, f"已吊销 {revoked} 个令牌", messages.SUCCESS)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "english_name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name", "english_name")


@admin.register(Promise)
class PromiseAdmin(admin.ModelAdmin):
    list_display = ("code", "kind", "name", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    filter_horizontal = ("areas",)


class AreaMappingForm(forms.ModelForm):
    class Meta:
        model = SupplierArea
        fields = ("area",)


@admin.register(SupplierArea)
class SupplierAreaAdmin(admin.ModelAdmin):
    """A supplier's own areas and the areas of ours they stand for: staff map by hand what the names did not."""

    form = AreaMappingForm
    list_display = ("supplier", "remote_id", "name", "level", "parent_remote_id", "area", "mapped_by", "seen_at")
    list_filter = ("mapped_by", "supplier", "level")
    search_fields = ("remote_id", "name", "area__name")
    list_select_related = ("supplier", "area")
    autocomplete_fields = ("area",)
    readonly_fields = ("supplier", "remote_id", "name", "level", "parent_remote_id", "mapped_by", "seen_at")
    fields = ("supplier", "remote_id", "name", "level", "parent_remote_id", "area", "mapped_by", "seen_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        remote_area_map(obj, form.cleaned_data["area"])
