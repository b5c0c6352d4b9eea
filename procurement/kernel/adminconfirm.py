"""The confirmation page of admin actions that change states: shown when an action touches more than one row,
and whenever it needs a reason; "select all N" and the list's filters survive it."""
import functools

from django import forms
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

CONFIRMED = "_confirmed"
SHOWN_ROWS = 100


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("请填写原因")
        return reason


def needs_reason(action):
    """Marks an action as asking for a reason (its button on an object's page gets a text box)."""
    action.needs_reason = True
    return action


def action_confirmed(modeladmin, request, queryset, action_name, label, ask_reason):
    """(None, reason) when the action may go ahead now, else (the confirmation page, None).

    A reason typed on the object's page comes with the first request; one row without a reason asked goes at once.
    """
    if ask_reason:
        form = ReasonForm(request.POST if "reason" in request.POST else None)
        form.fields["reason"].label = f"{label}原因"
        if form.is_valid() and (CONFIRMED in request.POST or "_from_page" in request.POST or queryset.count() == 1):
            return None, form.cleaned_data["reason"]
    else:
        form = None
        if CONFIRMED in request.POST or queryset.count() <= 1:
            return None, ""
    return _page(modeladmin, request, queryset, action_name, label, form), None


def _page(modeladmin, request, queryset, action_name, label, form):
    count = queryset.count()
    return TemplateResponse(request, "admin/confirm_action.html", {
        **modeladmin.admin_site.each_context(request),
        "title": f"确认：{label}", "label": label, "opts": modeladmin.opts, "form": form, "count": count,
        "shown": list(queryset[:SHOWN_ROWS]), "more": max(count - SHOWN_ROWS, 0), "action": action_name,
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        # "select all N" must survive the confirmation page, or only the visible page would be acted on.
        "select_across": request.POST.get("select_across") == "1", "index": request.POST.get("index", 0),
        "confirmed_name": CONFIRMED,
    })


def confirm_many(label):
    """Decorates an admin action that changes states: with more than one row it first shows the confirmation page."""

    def decorate(action):
        @functools.wraps(action)
        def confirmed_first(modeladmin, request, queryset):
            page, _ = action_confirmed(modeladmin, request, queryset, action.__name__, label, ask_reason=False)
            return page if page is not None else action(modeladmin, request, queryset)

        return confirmed_first

    return decorate
