"""Admin building blocks shared by every app: read-only audit views and actions that call services."""
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html

from procurement.kernel.adminconfirm import action_confirmed, confirm_many, needs_reason
from procurement.kernel.adminwords import local_time
from procurement.kernel.delivery import deliveries_resubmit
from procurement.kernel.statemachine import IllegalTransition, StateHistory, by_user


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
    @confirm_many("重新发送")
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
    """The timeline of a stateful object: one row per transition, its states named as the object's choices name
    them (the rows store the codes)."""

    fields = ("at", "from_label", "to_label", "actor", "source", "reason")
    readonly_fields = fields
    verbose_name = verbose_name_plural = "状态历史"
    select_related = ("actor",)
    state_field = "status"  # the parent model's field whose states the rows record

    def state_names(self):
        return dict(self.parent_model._meta.get_field(self.state_field).choices or ())

    @admin.display(description="原状态")
    def from_label(self, obj):
        return self.state_names().get(obj.from_state, obj.from_state or "—")

    @admin.display(description="新状态")
    def to_label(self, obj):
        return self.state_names().get(obj.to_state, obj.to_state or "—")


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


def act_on_each(modeladmin, request, queryset, act, done, state_field="status"):
    """act(obj) for each object; reports done(count) unless nothing was done, then each refused object by name,
    with why and what it is now (another user's change that won, say)."""
    count, refused = 0, []
    for obj in queryset:
        try:
            act(obj)
            count += 1
        except IllegalTransition as exc:
            refused.append(refusal_line(obj, exc, state_field))
    summary = done(count) if count else ""
    if summary:
        modeladmin.message_user(request, summary, messages.SUCCESS)
    if refused:
        modeladmin.message_user(request, f"未处理 {len(refused)} 条：", messages.WARNING)
    for line in refused:
        modeladmin.message_user(request, line, messages.WARNING)


def refusal_line(obj, exc, state_field="status"):
    """'<obj>：<why>；现为「<state>」（<who> <when>）': what a refused row is now, read again after the refusal."""
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    if fresh is None:
        return f"{obj}：{exc}；该记录已不存在"
    line = f"{obj}：{exc}"
    display = getattr(fresh, f"get_{state_field}_display", None)
    if display is not None:
        line += f"；现为「{display()}」"
    last = latest_change(fresh)
    if last is not None:
        line += f"（{last.actor or last.source or '系统'} 于 {local_time(last.at)}）"
    return line


def latest_change(obj):
    """The newest history row of `obj` (the first StateHistory model pointing at it), or None."""
    for relation in obj._meta.related_objects:
        if issubclass(relation.related_model, StateHistory):
            rows = relation.related_model._default_manager.filter(**{relation.field.name: obj})
            return rows.select_related("actor").order_by("-at", "-id").first()
    return None


def transition_action(service, to_state, label, permission="change", reason="", ask_reason=False,
                      state_field="status"):
    """An admin action that moves each selected object to `to_state` through `service`.

    It asks for confirmation when it touches more than one row, and for a reason when `ask_reason`; objects
    that may not make the move are reported by name with what they are now; the others are moved.
    """

    def action(modeladmin, request, queryset):
        page, given = action_confirmed(modeladmin, request, queryset, action.__name__, label, ask_reason)
        if page is not None:
            return page
        why = given or reason or label
        act_on_each(modeladmin, request, queryset,
                    lambda obj: service(obj, to_state, actor=by_user(request.user), reason=why),
                    lambda moved: f"{label}：{moved} 条已处理", state_field=state_field)
        return None

    action.__name__ = f"move_to_{to_state}"
    action.short_description = label
    action.allowed_permissions = (permission,)
    return needs_reason(action) if ask_reason else action


class ObjectActionsMixin:
    """The list's actions named in `object_actions` as buttons on an object's page: each runs the action on that
    one object (asking for a reason where the action does), then comes back to the page (or where
    `after_object_action` says)."""

    object_actions = ()

    def get_urls(self):
        view = self.admin_site.admin_view(self.object_action_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_act"
        return [path("<path:object_id>/act/<str:action>/", view, name=name), *super().get_urls()]

    def object_action_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        chosen = self.get_actions(request).get(action)
        if chosen is None or action not in self.object_actions:
            raise PermissionDenied
        queryset = self.get_queryset(request).filter(pk=object_id)
        obj = queryset.first()
        if obj is None:
            raise Http404("记录不存在")
        response = chosen[0](self, request, queryset)
        return response or redirect(self.after_object_action(request, obj, action))

    def after_object_action(self, request, obj, action):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])

    def object_action_buttons(self, request, obj):
        """(name, label, asks for a reason, url) of each object action this user may run."""
        actions = self.get_actions(request)
        return [(name, actions[name][2], getattr(actions[name][0], "needs_reason", False),
                 reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_act", args=[obj.pk, name]))
                for name in self.object_actions if name in actions and self.object_action_offered(obj, name)]

    def object_action_offered(self, obj, action):
        """Whether the button makes sense for `obj` in its current state (the service decides in the end)."""
        return True

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["object_actions"] = self.object_action_buttons(request, obj) if obj is not None else []
        return super().render_change_form(request, context, add, change, form_url, obj)
