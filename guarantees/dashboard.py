"""The guarantee app's panel of the admin home page: guarantees by state, what needs staff, openings ahead."""
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html

from guarantees.models import CheckMismatch, CheckRun, Guarantee, OutboundMessage, Section
from guarantees.services.guarantees import REVIEWABLE
from procurement.kernel.charts import Series, daily_bars
from procurement.kernel.dashboard import Figure, Panel, Table, changelist, counts_by_day, last_days
from procurement.kernel.delivery import Delivery

Status, Review = Guarantee.Status, Guarantee.Review
OPENINGS_DAYS = 7
MISMATCH_DAYS = 7


def panels(request):
    if not request.user.has_perm("guarantees.view_guarantee"):
        return []
    return [guarantee_panel()]


def guarantee_panel():
    now = timezone.localtime().replace(microsecond=0)
    by_state = dict(Guarantee.objects.values_list("status").annotate(n=Count("pk")).order_by())
    due = Q(status=Status.ISSUED, section__status=Section.Status.NORMAL, section__opening_time__lte=now)
    needs = Guarantee.objects.aggregate(
        to_review=Count("pk", filter=Q(review=Review.PENDING, status__in=REVIEWABLE)),
        review_rejected=Count("pk", filter=Q(review=Review.REJECTED)), restore_due=Count("pk", filter=due))
    sent = OutboundMessage.objects.aggregate(
        restore_failed=Count("pk", filter=Q(interface=OutboundMessage.Interface.RESTORE, status=Delivery.Status.FAILED)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)))
    window = {"opening_time__gte": now, "opening_time__lt": now + timedelta(days=OPENINGS_DAYS)}
    openings = Section.objects.filter(**window).aggregate(sections=Count("pk", distinct=True),
                                                           guarantees=Count("guarantees"))
    figures = [
        Figure("待审核保函", needs["to_review"], changelist("guarantees.Guarantee", review__exact=Review.PENDING,
                                                     status__in=",".join(REVIEWABLE))),
        Figure("审核驳回", needs["review_rejected"], changelist("guarantees.Guarantee", review__exact=Review.REJECTED)),
        Figure(f"{OPENINGS_DAYS} 天内开标标段", openings["sections"], _openings_url(window),
               note=f"涉及保函 {openings['guarantees']} 份"),
        Figure("待还原（已开标）", needs["restore_due"], changelist(
            "guarantees.Guarantee", status__exact=Status.ISSUED, section__status__exact=Section.Status.NORMAL,
            opening="passed"), alert=True),
        Figure("还原失败", sent["restore_failed"], changelist(
            "guarantees.OutboundMessage", interface__exact=OutboundMessage.Interface.RESTORE,
            status__exact=Delivery.Status.FAILED), alert=True),
        Figure("发送失败的报文", sent["failed"], changelist("guarantees.OutboundMessage",
                                                     status__exact=Delivery.Status.FAILED), alert=True),
        _mismatch_figure(now),
    ]
    states = [(format_html('<a href="{}">{}</a>', changelist("guarantees.Guarantee", status__exact=value), label),
               by_state.get(value, 0)) for value, label in Status.choices if by_state.get(value)]
    return Panel("guarantees", "电子保函", figures, [Table(("保函状态", "份数"), states)] if states else [],
                 [_issued_chart()], order=30, url=changelist("guarantees.Guarantee"))


def _openings_url(window):
    return changelist("guarantees.Section", opening_time__gte=window["opening_time__gte"].isoformat(),
                      opening_time__lt=window["opening_time__lt"].isoformat())


def _mismatch_figure(now):
    recent = CheckRun.objects.filter(created_at__gte=now - timedelta(days=MISMATCH_DAYS))
    mismatches = CheckMismatch.objects.filter(run__in=recent).count()
    return Figure(f"近 {MISMATCH_DAYS} 天对账差异", mismatches,
                  changelist("guarantees.CheckMismatch", days=str(MISMATCH_DAYS)), alert=True)


def _issued_chart():
    days = last_days()
    issued = counts_by_day(Guarantee.objects.all(), "generated_at")
    return daily_bars(days, [Series("出函", "info", issued)], "近 30 天出函")
