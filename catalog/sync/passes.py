"""One sync pass over a supplier's change feed: the code the schedule, `sync_supplier` and the admin all run.

A pass holds its supplier with a lease (renewed, and checked inside every page's transaction), so two
workers never apply the same supplier at once, and a killed worker's lease simply runs out. Each page:
read the connector's feed from its cursor and store the events (inbox) with the new cursor, fetch what
they call for in full batches, apply them in one transaction, then acknowledge the applied ones at the
supplier. Transient trouble ends the pass and backs off; after CATALOG_SYNC_MAX_FAILURES of them, or on
a permanent error, the supplier's sync stops for staff.
"""
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone

from catalog.models import SupplierMessage, SupplierSync, SyncRun
from catalog.sync.apply import Context, apply_page
from catalog.sync.census import census_end_plans
from catalog.sync.inbox import (
    MessagesTaken,
    inbox_due,
    inbox_mark_acknowledged,
    inbox_store,
    inbox_unacknowledged,
)
from catalog.sync.links import links_reachable
from catalog.sync.plan import fetch_parts, plan_page
from catalog.sync.pools import pools_check
from catalog.sync.refresh import refresh_done, refresh_due, refresh_plans
from catalog.validation import Rules
from procurement.kernel.http import OutboundError, PermanentError, purpose
from procurement.kernel.lease import Lease, new_holder
from procurement.kernel.retry import RetryPolicy, is_transient
from procurement.models import Supplier
from procurement.suppliers.registry import connector_for

logger = logging.getLogger(__name__)


class LeaseLost(Exception):
    """Another worker took the supplier over (this one was too slow, or presumed dead)."""


def sync_pass(supplier_id, *, trigger="schedule", progress=None):
    """Run one pass for the supplier; returns its SyncRun, or None when another pass holds the supplier."""
    supplier = Supplier.objects.get(pk=supplier_id)
    connector = connector_for(supplier)  # an unknown protocol fails here, before any lease or run exists
    owner = new_holder()
    if not _lease_claim(supplier, owner):
        return None
    SyncRun.objects.filter(supplier=supplier, outcome=SyncRun.Outcome.RUNNING).update(
        outcome=SyncRun.Outcome.INTERRUPTED, finished_at=timezone.now())
    run = SyncRun.objects.create(supplier=supplier, trigger=trigger)
    try:
        with purpose(run._meta.label_lower, run.pk):
            finished = _Pass(supplier, connector, run, owner, progress).drain()
    except LeaseLost as error:
        _finish(run, connector, SyncRun.Outcome.INTERRUPTED, str(error) or "同步被其他任务接管")
        return run
    except Exception as error:
        if not isinstance(error, OutboundError):
            logger.exception("sync pass of %s failed", supplier.code)
        with transaction.atomic():  # the run's outcome and the supplier's sync state are seen together
            _finish(run, connector, SyncRun.Outcome.FAILED, _describe(error))
            _sync_failed(supplier, error)
    else:
        with transaction.atomic():
            _finish(run, connector, SyncRun.Outcome.DONE, "")
            _sync_succeeded(supplier, finished)
    finally:
        sync_lease(supplier).release(owner)
    return run


class _Pass:
    def __init__(self, supplier, connector, run, owner, progress):
        self.supplier, self.connector, self.run, self.owner = supplier, connector, run, owner
        self.progress = progress or (lambda run: None)
        self.deadline = time.monotonic() + settings.CATALOG_PASS_SECONDS
        self.rules = Rules.load()

    def drain(self):
        """Pages until the feed has nothing new and nothing is due; False when time ran out first."""
        self._acknowledge(inbox_unacknowledged(self.supplier))
        if refresh_due(self.supplier, self.connector):
            self._refresh_prices()
        while time.monotonic() < self.deadline:
            self.still_ours()
            page = self._read_feed()
            due = inbox_due(self.supplier, settings.CATALOG_POOL_PAGE)
            if not due:
                _refuse_blocked_feed(self.supplier, page.events)
                return True
            self._apply(due)
        return False

    def _read_feed(self):
        state = SupplierSync.objects.get(supplier=self.supplier)
        page = self.connector.changes(state.feed_cursor, settings.CATALOG_POOL_PAGE)
        with transaction.atomic():  # the events and the cursor past them are kept together
            stored = inbox_store(self.supplier, page.events, self.run)
            if page.cursor != state.feed_cursor:
                SupplierSync.objects.filter(pk=state.pk).update(feed_cursor=page.cursor)
        self._count(received=stored.stored, duplicates=stored.duplicates, reused=stored.reused,
                    failed=page.unreadable)
        self._acknowledge(stored.already_applied)
        if page.pools:
            pools_check(self.supplier, page.pools, self.rules)
        return page

    def _apply(self, due):
        ends = [m for m in due if m.kind == SupplierMessage.Kind.CENSUS_END]
        events = [m for m in due if m.kind != SupplierMessage.Kind.CENSUS_END]
        skus = {s.sku_code: s for s in self.supplier.skus.filter(sku_code__in={m.sku_code for m in events})}
        removals, ended = census_end_plans(self.supplier, ends)
        self._apply_plans([*plan_page(events, skus, self.connector).values(), *removals], also_applied=ended)

    def _refresh_prices(self):
        started = timezone.now()
        for plans in refresh_plans(self.supplier):
            self.still_ours()
            self._apply_plans(plans)
        refresh_done(self.supplier, started)

    def _apply_plans(self, plans, also_applied=()):
        fetched = fetch_parts(self.connector, plans, workers=settings.CATALOG_FETCH_WORKERS)
        context = Context(self.rules, self.connector, self._reachable(fetched))
        try:
            result = apply_page(self.supplier, plans, fetched, context=context, run=self.run,
                                still_ours=self.still_ours, also_applied=also_applied)
        except MessagesTaken as error:
            raise LeaseLost(str(error)) from error
        self._count(applied=len(result.applied), failed=result.failed, skus_new=result.skus_new,
                    skus_changed=result.skus_changed, skus_delisted=result.skus_delisted)
        self._acknowledge(result.applied)

    def _reachable(self, fetched):
        """Whether the fetched products' main images open, for protocols that ask for it."""
        key = self.connector.content_profile.main_image
        if not key:
            return {}
        return links_reachable([detail.extra.get(key, "") for detail in fetched.get("detail", {}).values()],
                               self.supplier.code)

    def _acknowledge(self, message_ids):
        if message_ids:
            self.connector.acknowledge(message_ids)
            inbox_mark_acknowledged(self.supplier, message_ids)

    def _count(self, **increments):
        for name, value in increments.items():
            setattr(self.run, name, getattr(self.run, name) + value)
        self.run.calls = dict(self.connector.calls)
        self.run.save(update_fields=[*increments, "calls"])
        self.progress(self.run)

    def still_ours(self):
        if not sync_lease(self.supplier).renew(self.owner, settings.CATALOG_LEASE_SECONDS):
            raise LeaseLost("同步被其他任务接管")


def _refuse_blocked_feed(supplier, events):
    """A full page of events we hold but cannot apply (failed ones stay unacknowledged): nothing new gets through."""
    if len(events) < settings.CATALOG_POOL_PAGE:
        return
    failed = SupplierMessage.objects.filter(supplier=supplier, message_id__in=[e.id for e in events],
                                            status=SupplierMessage.Status.FAILED).values("message_id").distinct().count()
    if failed == len({e.id for e in events}):
        raise PermanentError(f"电商消息池最前的 {len(events)} 条消息都已记录但无法处理（失败待人工处理），"
                             "新消息取不到：请在「电商消息」中重新处理或排查这些消息")


def sync_lease(supplier):
    """The lease a pass holds on its supplier (so two workers never apply the same supplier at once)."""
    return Lease(SupplierSync.objects.filter(supplier=supplier), "lease_owner", "lease_until")


def _lease_claim(supplier, owner):
    SupplierSync.objects.get_or_create(supplier=supplier)
    return sync_lease(supplier).claim(owner, settings.CATALOG_LEASE_SECONDS)


def _finish(run, connector, outcome, error):
    run.outcome, run.error, run.finished_at = outcome, error[:4000], timezone.now()
    run.calls = dict(connector.calls)
    run.save(update_fields=["outcome", "error", "finished_at", "calls"])


def _sync_succeeded(supplier, drained):
    now = timezone.now()
    wait = timedelta(minutes=supplier.poll_interval_minutes) if drained else timedelta(0)
    SupplierSync.objects.filter(supplier=supplier).update(
        failures=0, last_error="", last_success_at=now, next_poll_at=now + wait)
    Supplier.objects.filter(pk=supplier.pk).update(last_polled_at=now)


def _sync_failed(supplier, error):
    """Transient: back off, up to a bound. Permanent (or a bug): stop until staff resume the supplier."""
    state = SupplierSync.objects.get(supplier=supplier)
    failures = state.failures + 1
    policy = RetryPolicy(max_attempts=settings.CATALOG_SYNC_MAX_FAILURES,
                         base_seconds=settings.CATALOG_SYNC_BACKOFF_SECONDS)
    halted = ""
    # A busy or restarting database (locked, deadlock, connection lost) passes like a network fault.
    transient = isinstance(error, OperationalError) or (isinstance(error, OutboundError) and is_transient(error))
    if not transient:
        halted = f"永久性错误，已停止自动同步：{_describe(error)}"
    elif failures >= policy.max_attempts:
        halted = f"连续 {failures} 次失败，已停止自动同步：{_describe(error)}"
    SupplierSync.objects.filter(pk=state.pk).update(
        failures=failures, last_error=_describe(error)[:4000], halted_reason=halted,
        next_poll_at=timezone.now() + policy.delay(failures),
    )


def _describe(error):
    return f"{type(error).__name__}: {error}"


def sync_resume(supplier):
    """Staff restart a stopped supplier sync: fresh failure budget, polled at once."""
    SupplierSync.objects.get_or_create(supplier=supplier)
    return SupplierSync.objects.filter(supplier=supplier).update(
        halted_reason="", failures=0, next_poll_at=timezone.now())
