"""The customs app's panel of the admin home page: requests and uploads waiting or failed, today's timing."""
from statistics import median

from django.db.models import Count, Q
from django.utils import timezone

from customs.models import DataRequest, Upload
from customs.wire import CUSTOMS_OK
from procurement.kernel.charts import Series, daily_bars
from procurement.kernel.dashboard import Figure, Panel, changelist, counts_by_day, last_days
from procurement.kernel.delivery import Delivery

WAITING = (Delivery.Status.PENDING, Delivery.Status.RETRYING, Delivery.Status.SENDING)


def panels(request):
    if not request.user.has_perm("customs.view_upload"):
        return []
    return [customs_panel()]


def customs_panel():
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    uploads = Upload.objects.aggregate(waiting=Count("pk", filter=Q(status__in=WAITING)),
                                       failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)))
    requests = DataRequest.objects.filter(received_at__gte=today).aggregate(
        total=Count("pk"), refused=Count("pk", filter=~Q(reply_code=CUSTOMS_OK)))
    day = today.isoformat()
    figures = [
        Figure("今日海关请求", requests["total"], changelist("customs.DataRequest", received_at__gte=day)),
        Figure("今日未受理", requests["refused"], changelist("customs.DataRequest", received_at__gte=day,
                                                        reply_code__gte="20000"), alert=True),
        Figure("等待上传", uploads["waiting"], changelist("customs.Upload", status__in=",".join(WAITING))),
        Figure("上传失败待处理", uploads["failed"], changelist("customs.Upload", status__exact=Delivery.Status.FAILED),
               alert=True),
        Figure("今日上传用时中位数", _median_seconds(today), changelist("customs.Upload", done_at__gte=day)),
    ]
    return Panel("customs", "海关跨境支付数据", figures, [], [_upload_chart()], order=40, url=changelist("customs.Upload"))


def _median_seconds(since):
    """Median time from customs' request to our finished upload, over today's finished uploads."""
    times = Upload.objects.filter(done_at__gte=since).values_list("request__received_at", "done_at")
    seconds = [(done - received).total_seconds() for received, done in times]
    if not seconds:
        return "—"
    middle = median(seconds)
    return f"{middle * 1000:.0f} 毫秒" if middle < 1 else f"{middle:.1f} 秒"


def _upload_chart():
    days = last_days()
    split = counts_by_day(Upload.objects.all(), "created_at", split_by="status")
    done = split.get(Delivery.Status.DONE, {})
    failed = split.get(Delivery.Status.FAILED, {})
    return daily_bars(days, [Series("已上传", "ok", done), Series("失败", "bad", failed)], "近 30 天上传")
