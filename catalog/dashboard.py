"""The catalog's panels of the admin home page: the review queue and invalid SKUs; the suppliers' sync."""
from django.db.models import Count, Min, Q
from django.utils.html import format_html

from catalog.admin.labels import rule_label
from catalog.listing import awaiting_review
from catalog.models import Sku, SkuFinding, SupplierMessage, SyncRun
from procurement.kernel.adminwords import error_in_words, local_time, truncated
from procurement.kernel.charts import Series, daily_bars
from procurement.kernel.dashboard import Figure, Panel, Table, changelist, counts_by_day, last_days, waited
from procurement.models import Supplier

Reason = Sku.ReviewReason


def panels(request):
    shown = []
    if request.user.has_perm("catalog.view_sku"):
        shown.append(review_panel())
    if request.user.has_perm("catalog.view_suppliersync"):
        shown.append(sync_panel())
    return shown


def review_panel():
    queue = Sku.objects.filter(awaiting_review()).aggregate(
        total=Count("pk"), oldest=Min("updated_at"), new=Count("pk", filter=Q(review_reason=Reason.NEW)),
        changed=Count("pk", filter=Q(review_reason=Reason.CHANGED)),
        returned=Count("pk", filter=Q(review_reason=Reason.RETURNED)))
    invalid = (SkuFinding.objects.filter(sku__status=Sku.Status.INVALID).values("rule")
               .annotate(skus=Count("sku", distinct=True)).order_by("-skus", "rule"))
    invalid_total = Sku.objects.filter(status=Sku.Status.INVALID).count()
    figures = [
        Figure("待审核", queue["total"], changelist("catalog.ReviewItem"), note=f"最久已等待 {waited(queue['oldest'])}"),
        Figure("新商品", queue["new"], changelist("catalog.ReviewItem", review_reason__exact=Reason.NEW)),
        Figure("内容变更", queue["changed"], changelist("catalog.ReviewItem", review_reason__exact=Reason.CHANGED)),
        Figure("下架后重新送审", queue["returned"],
               changelist("catalog.ReviewItem", review_reason__exact=Reason.RETURNED)),
        Figure("校验未通过", invalid_total, changelist("catalog.Sku", status__exact=Sku.Status.INVALID), alert=True),
    ]
    rows = [(format_html('<a href="{}">{}</a>', changelist("catalog.Sku", status__exact=Sku.Status.INVALID,
                                                           rule=row["rule"]), rule_label(row["rule"])), row["skus"])
            for row in invalid]
    return Panel("review", "商品审核", figures, [Table(("校验未通过的规则", "商品数"), rows)] if rows else [], order=10,
                 url=changelist("catalog.ReviewItem"))


def sync_panel():
    suppliers = list(Supplier.objects.values(
        "pk", "code", "name", "docking_status", "sync_enabled", "sync__last_success_at", "sync__failures",
        "sync__halted_reason", "sync__last_error").annotate(
        failed=Count("messages", filter=Q(messages__status=SupplierMessage.Status.FAILED))).order_by("code"))
    stopped = sum(1 for row in suppliers if row["sync__halted_reason"])
    failing = sum(1 for row in suppliers if row["sync__failures"] and not row["sync__halted_reason"])
    figures = [
        Figure("电商", len(suppliers), changelist("procurement.Supplier")),
        Figure("同步已停止", stopped, changelist("catalog.SupplierSync", state="stopped"), alert=True),
        Figure("同步重试中", failing, changelist("catalog.SupplierSync", state="retrying"), alert=True),
        Figure("失败待处理消息", sum(row["failed"] for row in suppliers),
               changelist("catalog.SupplierMessage", status__exact=SupplierMessage.Status.FAILED), alert=True),
    ]
    return Panel("sync", "电商对接与同步", figures, [Table(
        ("电商", "对接状态", "上次成功同步", "连续失败", "同步状态", "失败消息"), [_supplier_row(row) for row in suppliers])],
        [_sync_chart()], order=20, url=changelist("catalog.SupplierSync"))


_DOCKING = dict(Supplier.DockingStatus.choices)


def _supplier_row(row):
    state = changelist("catalog.SupplierSync", supplier__id__exact=row["pk"])
    failed = changelist("catalog.SupplierMessage", supplier__id__exact=row["pk"],
                        status__exact=SupplierMessage.Status.FAILED)
    return (format_html('<a href="{}" title="{}">{}</a>', state, row["name"], row["code"]),
            _DOCKING.get(row["docking_status"], row["docking_status"]), local_time(row["sync__last_success_at"]),
            row["sync__failures"] or 0, _sync_state(row), format_html('<a href="{}">{}</a>', failed, row["failed"]))


def _sync_state(row):
    if row["sync__halted_reason"]:
        return format_html('<span class="bad">已停止</span>：{}', truncated(error_in_words(row["sync__halted_reason"])))
    if not row["sync_enabled"]:
        return "未开启自动同步"
    if row["sync__failures"]:
        return format_html('重试中：{}', truncated(error_in_words(row["sync__last_error"])))
    return "正常" if row["sync__last_success_at"] else "尚未同步"


def _sync_chart():
    days = last_days()
    runs = counts_by_day(SyncRun.objects.all(), "started_at", split_by="outcome")
    worked = runs.get(SyncRun.Outcome.DONE, {})
    failed = {day: runs.get(SyncRun.Outcome.FAILED, {}).get(day, 0) + runs.get(SyncRun.Outcome.INTERRUPTED, {}).get(
        day, 0) for day in days}
    return daily_bars(days, [Series("成功", "ok", worked), Series("失败或中断", "bad", failed)], "近 30 天同步")
