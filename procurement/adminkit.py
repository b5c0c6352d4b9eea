"""Admin building blocks shared by every app: read-only audit views and actions that call services."""
from django.contrib import admin, messages

from procurement.statemachine import IllegalTransition, by_user


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit rows (histories, exchange logs): staff browse them, nobody edits them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False
    # Relations each row shows (its str() or a column): joined once instead of a query per row.
    select_related = ()

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return rows.select_related(*self.select_related) if self.select_related else rows

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HistoryInline(ReadOnlyInline):
    """The timeline of a stateful object: one row per transition."""

    fields = ("at", "from_state", "to_state", "actor", "source", "reason")
    readonly_fields = fields
    verbose_name = verbose_name_plural = "状态历史"
    select_related = ("actor",)


def show_secret_once(modeladmin, request, whose, secret, recipient):
    """A freshly made secret, shown to the staff member this once (never stored anywhere readable)."""
    modeladmin.message_user(
        request, f"{whose}：{secret}（只显示这一次，请安全地交给{recipient}）", messages.WARNING
    )


def transition_action(service, to_state, label, permission="change", reason=""):
    """An admin action that moves each selected object to `to_state` through `service`.

    Objects that may not make the move are reported by name; the others are moved.
    """

    def action(modeladmin, request, queryset):
        moved, refused = 0, []
        for obj in queryset:
            try:
                service(obj, to_state, actor=by_user(request.user), reason=reason or label)
                moved += 1
            except IllegalTransition as exc:
                refused.append(f"{obj}：{exc}")
        if moved:
            modeladmin.message_user(request, f"{label}：{moved} 条已处理", messages.SUCCESS)
        for line in refused:
            modeladmin.message_user(request, line, messages.WARNING)

    action.__name__ = f"move_to_{to_state}"
    action.short_description = label
    action.allowed_permissions = (permission,)
    return action
