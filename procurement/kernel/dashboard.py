"""The pieces of the admin home page: each app's `<app>/dashboard.py` has `panels(request)`, which returns the
panels that user may see (procurement/admin_home.py gathers them). A panel is a few figures, each linking to the
filtered list behind it, perhaps a table and small charts; it reads a handful of aggregate queries, never one
per row of anything.
"""
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

CHART_DAYS = 30


@dataclass(frozen=True)
class Figure:
    label: str
    value: object
    url: str = ""
    alert: bool = False  # shown as needing attention (when the value is not zero)
    note: str = ""


@dataclass(frozen=True)
class Table:
    headers: tuple
    rows: list  # each a tuple of cells (text or safe HTML)


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    figures: list
    tables: list = field(default_factory=list)
    charts: list = field(default_factory=list)  # safe HTML (procurement.kernel.charts)
    order: int = 50
    url: str = ""  # the app's main list


def changelist(model_label, **filters):
    """The admin list of `model_label` ("app.model") with `filters` as its query string."""
    app_label, model = model_label.lower().split(".")
    url = reverse(f"admin:{app_label}_{model}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def last_days(count=CHART_DAYS):
    """The last `count` local dates, today last."""
    today = timezone.localdate()
    return [today - timedelta(days=back) for back in range(count - 1, -1, -1)]


def counts_by_day(queryset, moment_field, split_by=None, days=CHART_DAYS):
    """{date: count} (or {value of split_by: {date: count}}) over the last `days` local days, in one query."""
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days - 1)
    rows = queryset.filter(**{f"{moment_field}__gte": since}).annotate(day=TruncDate(moment_field))
    keys = ("day", split_by) if split_by else ("day",)
    counted = rows.values(*keys).annotate(n=Count("pk")).order_by()
    if not split_by:
        return {row["day"]: row["n"] for row in counted}
    split = {}
    for row in counted:
        split.setdefault(row[split_by], {})[row["day"]] = row["n"]
    return split


def waited(since):
    """How long ago `since` was, in words ("3 天 4 小时", "25 分钟")."""
    if since is None:
        return "—"
    seconds = int((timezone.now() - since).total_seconds())
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return f"{days} 天 {hours} 小时"
    return f"{hours} 小时 {rest // 60} 分钟" if hours else f"{rest // 60} 分钟"
