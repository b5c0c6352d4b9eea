"""The daily checkbaohanlist: each guarantor's list of guarantees beside ours, every difference recorded."""
from collections import Counter
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guarantees import client
from guarantees.models import CheckMismatch, CheckRun, Guarantee, Guarantor
from procurement.kernel.delivery import delivery_send, enqueue_when_committed
from procurement.kernel.wire import format_wire_money, format_wire_time, parse_wire_time

Kind = CheckMismatch.Kind
RUN_TASK = "guarantees.jobs.run_check"
# checkbaohanlist status: 0 issued, 1 withdrawn (退保).
_QUIT_CODE, _ISSUED_CODE = "1", "0"
_WITHOUT_GUARANTEE = {Guarantee.Status.APPLYING, Guarantee.Status.APPLIED, Guarantee.Status.DECLINED}


def check_runs_create(guarantors=None, today=None, include_today=False):
    """One run per guarantor (default: every enabled one) over the GUARANTEE_CHECK_DAYS days before today, and
    today too when `include_today` (staff reconciling now want today's guarantees; the daily job runs after
    midnight and checks the days that are over)."""
    today = today or timezone.localdate()
    start = today - timedelta(days=settings.GUARANTEE_CHECK_DAYS)
    end = today if include_today else today - timedelta(days=1)
    guarantors = Guarantor.objects.filter(enabled=True) if guarantors is None else guarantors
    with transaction.atomic():
        runs = [CheckRun.objects.create(guarantor=g, start_date=start, end_date=end) for g in guarantors]
        for run in runs:
            enqueue_when_committed(RUN_TASK, run.pk)
    return runs


def check_run_send(pk):
    return delivery_send(CheckRun, pk, _reconcile, related=("guarantor",))


def _reconcile(run):
    listed = client.check_list(run.guarantor, run.start_date, run.end_date)
    theirs = {}
    for row in listed:  # a guarantee listed twice is compared as first listed, and the repeat recorded
        theirs.setdefault(row["applyno"], row)
    ours = _ours(run, set(theirs))
    mismatches = [m for applyno in sorted(set(theirs) | set(ours))
                  for m in _compare(applyno, ours.get(applyno), theirs.get(applyno))]
    times_listed = Counter(row["applyno"] for row in listed)
    mismatches += [{"applyno": applyno, "kind": Kind.LISTED_TWICE, "theirs": f"列出 {count} 次"}
                   for applyno, count in sorted(times_listed.items()) if count > 1]
    with transaction.atomic():
        run.mismatches.all().delete()
        CheckMismatch.objects.bulk_create([CheckMismatch(run=run, **m) for m in mismatches])
        CheckRun.objects.filter(pk=run.pk).update(their_count=len(theirs), our_count=len(ours))


def _ours(run, their_applynos):
    """Our guarantees issued in the range, plus any they listed (to compare those wherever they fall)."""
    start = timezone.make_aware(datetime.combine(run.start_date, time.min))
    end = timezone.make_aware(datetime.combine(run.end_date + timedelta(days=1), time.min))
    in_range = Guarantee.objects.filter(guarantor=run.guarantor, generated_at__gte=start, generated_at__lt=end)
    listed = Guarantee.objects.filter(guarantor=run.guarantor, applyno__in=their_applynos)
    rows = (in_range | listed).exclude(status__in=_WITHOUT_GUARANTEE).only(
        "applyno", "baohanno", "status", "rate", "cost", "generated_at"
    )
    return {g.applyno: g for g in rows}


def _compare(applyno, ours, theirs):
    if theirs is None:
        return [{"applyno": applyno, "kind": Kind.MISSING_THEIRS, "ours": ours.baohanno}]
    if ours is None:
        return [{"applyno": applyno, "kind": Kind.MISSING_OURS, "theirs": str(theirs.get("baohanno", ""))}]
    our_status = _QUIT_CODE if ours.status == Guarantee.Status.QUIT else _ISSUED_CODE
    pairs = [
        (Kind.BAOHANNO, ours.baohanno, str(theirs.get("baohanno", "")), str.__eq__),
        (Kind.STATUS, our_status, str(theirs.get("status", "")), str.__eq__),
        (Kind.RATE, _rate_text(ours.rate), str(theirs.get("rate", "")), _same_number),
        (Kind.COST, "" if ours.cost is None else format_wire_money(ours.cost), str(theirs.get("cost", "")),
         _same_number),
        (Kind.GENERATETIME, "" if ours.generated_at is None else format_wire_time(ours.generated_at),
         str(theirs.get("generatetime", "")), _same_time),
    ]
    return [{"applyno": applyno, "kind": kind, "ours": mine, "theirs": other[:100]}
            for kind, mine, other, same in pairs if not same(mine, other)]


def _rate_text(value):
    return "" if value is None else format(value.normalize(), "f")


def _same_time(mine, theirs):
    """The same second on the wire (`yyyy-MM-dd HH:mm:ss`, Beijing time); unreadable text never matches."""
    try:
        return parse_wire_time(mine) == parse_wire_time(theirs)
    except ValueError:
        return False


def _same_number(mine, theirs):
    try:
        return Decimal(mine) == Decimal(theirs)
    except InvalidOperation:
        return False

