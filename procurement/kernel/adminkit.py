"""Admin building blocks shared by every app: read-only audit views and actions that call services."""
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html

from procurement.kernel.delivery import deliveries_resubmit
from procurement.kernel.statemachine import IllegalTransition, by_user


def outbound_calls_link(obj, label="查看外部调用"):
    """A link to the outbound calls made for `obj` (recorded under procurement.kernel.http.purpose)."""
    return calls_link({"purpose_kind": obj._meta.label_lower, "purpose_id": obj.pk}, label)


def calls_link(filters, label):
    app_label, model = settings.OUTBOUND_ATTEMPT_MODEL.lower().split(".")
    url = reverse(f"admin:{app_label}_{model}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(filters), label)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit rows (histories, exchange logs): staff browse them, nobody edits them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryAdmin(ReadOnlyAdmin):
    """Outbound deliveries (procurement.delivery): read-only, except that failed ones can be resubmitted
    (which needs the change permission)."""

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.opts.fields] + ["outbound_calls"]

    @admin.display(description="外部调用")
    def outbound_calls(self, obj):
        return outbound_calls_link(obj) if obj and obj.pk else "—"


def resubmit_action(model_label, send_task):
    """The admin action that sends the selected failed deliveries again (the others are left as they are):
    each one's `send_task` job is queued with the commit."""

    @admin.action(description="重新发送所选（仅失败待处理的）", permissions=["change"])
    def resubmit(modeladmin, request, queryset):
        count = deliveries_resubmit(queryset, send_task)
        modeladmin.message_user(request, f"已重新排队 {count} 条{model_label}", messages.SUCCESS)

    return resubmit


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


_SECRETS_SHOWN = "_secrets_shown_once"


def show_secret_once(modeladmin, request, whose, secret, recipient):
    """A freshly made secret, shown to the staff member this once: in the response to this very request
    (SecretOnceMiddleware), never stored anywhere readable (not the session, not the messages)."""
    request.__dict__.setdefault(_SECRETS_SHOWN, []).append({"whose": whose, "value": secret, "recipient": recipient})


class SecretOnceMiddleware:
    """Answers a request that made secrets with a page showing them, in place of the page it would have gone
    to next (which the page links to). The page is not cached; the secrets are not kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        secrets = request.__dict__.pop(_SECRETS_SHOWN, None)
        if not secrets:
            return response
        next_url = response["Location"] if response.has_header("Location") else request.get_full_path()
        page = render(request, "admin/secret_once.html",
                      {**admin.site.each_context(request), "secrets": secrets, "next_url": next_url})
        add_never_cache_headers(page)
        return page


def act_on_each(modeladmin, request, queryset, act, done):
    """act(obj) for each object; reports done(count) unless it is empty, then each refused object by name."""
    count, refused = 0, []
    for obj in queryset:
        try:
            act(obj)
            count += 1
        except IllegalTransition as exc:
            refused.append(f"{obj}：{exc}")
    summary = done(count)
    if summary:
        modeladmin.message_user(request, summary, messages.SUCCESS)
    for line in refused:
        modeladmin.message_user(request, line, messages.WARNING)


def transition_action(service, to_state, label, permission="change", reason=""):
    """An admin action that moves each selected object to `to_state` through `service`.

    Objects that may not make the move are reported by name; the others are moved.
    """

    def action(modeladmin, request, queryset):
        act_on_each(modeladmin, request, queryset,
                    lambda obj: service(obj, to_state, actor=by_user(request.user), reason=reason or label),
                    lambda moved: f"{label}：{moved} 条已处理" if moved else "")

    action.__name__ = f"move_to_{to_state}"
    action.short_description = label
    action.allowed_permissions = (permission,)
    return action
