"""The admin home page: the dashboard panels of every app (their `<app>/dashboard.py`), then the app list.

An app adds its panel by having a `dashboard.py` with `panels(request)` returning the panels that user may see
(procurement.kernel.dashboard); nothing here names an app.
"""
from django.contrib import admin
from django.template.response import TemplateResponse

from procurement.appmodules import LOCAL_APPS, app_modules


def dashboard_panels(request):
    panels = [panel for module in app_modules("dashboard") for panel in module.panels(request)]
    return sorted(panels, key=lambda panel: panel.order)


def index(request):
    """Django's admin index with the panels on top; our apps listed before the job queue and the login log."""
    apps = sorted(admin.site.get_app_list(request), key=_app_rank)
    return admin.site.index(request, extra_context={"panels": dashboard_panels(request), "app_list": apps})


def _app_rank(app):
    label = app["app_label"]
    return (LOCAL_APPS.index(label), "") if label in LOCAL_APPS else (len(LOCAL_APPS), app["name"])


def denied(request, exception=None):
    """403 inside the admin's frame, with the way back (the handler for /admin/ paths, procurement/views.py)."""
    return _framed(request, "admin/denied.html", 403, {"exception": _said(exception)})


def not_found(request, exception=None):
    return _framed(request, "admin/not_found.html", 404, {"request_path": request.path})


def _framed(request, template, status, context):
    response = TemplateResponse(request, template, {**admin.site.each_context(request), **context}, status=status)
    return response.render()


def _said(exception):
    """What the refusal said, when it said something in words (not Django's bare class of error)."""
    text = str(exception or "")
    return text if text and any("\u4e00" <= char <= "\u9fff" for char in text) else ""
