"""Whether products' main images open (seed 001 §2.7: 图片地址必须外网独立链接存在，可以直接访问到).

Checked through the one outbound client (a GET of the first bytes, so servers that refuse HEAD still
answer), a few at a time, each with a short timeout; a result is reused for CATALOG_IMAGE_CHECK_HOURS, so
a page of SKUs sharing images, or a product seen again, costs nothing more.
"""
import hashlib
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from catalog.models import LinkCheck
from catalog.validation import is_web_url
from procurement.kernel import http

COUNTERPARTY_KIND = "image"


def links_reachable(urls, owner_code):
    """{url: (ok, detail)} for every http(s) URL of `urls`, from recent checks or checked now."""
    urls = sorted({url for url in urls if url and is_web_url(url)})
    if not urls or not settings.CATALOG_IMAGE_CHECK:
        return {}
    known = _recent({_digest(url): url for url in urls})
    missing = [url for url in urls if url not in known]
    with http.recorded_together():  # thousands of small calls: their attempt rows go in one insert
        fresh = dict(_check_all(missing, owner_code))
    _remember(fresh)
    return {**known, **fresh}


def _recent(by_digest):
    since = timezone.now() - timedelta(hours=settings.CATALOG_IMAGE_CHECK_HOURS)
    rows = LinkCheck.objects.filter(url_hash__in=list(by_digest), checked_at__gte=since)
    return {by_digest[digest]: (ok, detail) for digest, ok, detail in rows.values_list("url_hash", "ok", "detail")}


def _check_all(urls, owner_code):
    if len(urls) <= 1 or settings.CATALOG_IMAGE_CHECK_WORKERS <= 1:
        return [(url, _check(url, owner_code)) for url in urls]
    contexts = [copy_context() for _ in urls]  # each check records what it was for, as the pass's calls do

    def in_thread(context, url):
        try:
            return url, context.run(_check, url, owner_code)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=settings.CATALOG_IMAGE_CHECK_WORKERS, thread_name_prefix="link-check") as pool:
        return list(pool.map(in_thread, contexts, urls))


def _check(url, owner_code):
    counterparty = http.Counterparty(COUNTERPARTY_KIND, owner_code, "")
    timeout = (settings.CATALOG_IMAGE_CHECK_TIMEOUT, settings.CATALOG_IMAGE_CHECK_TIMEOUT)
    try:
        reply = http.call(counterparty, "main_image", url, method="GET", headers={"Range": "bytes=0-1023"},
                          timeout=timeout, reference=url[:100], clear_text_allowed=True)  # images, not interfaces
    except http.OutboundError as error:
        return False, str(error)[:300]
    return True, f"HTTP {reply.status}"


def _remember(results):
    now = timezone.now()
    rows = [LinkCheck(url_hash=_digest(url), url=url, ok=ok, detail=detail, checked_at=now)
            for url, (ok, detail) in results.items()]
    LinkCheck.objects.bulk_create(rows, update_conflicts=True, unique_fields=["url_hash"],
                                  update_fields=["url", "ok", "detail", "checked_at"])


def _digest(url):
    return hashlib.sha256(url.encode("utf-8")).hexdigest()
