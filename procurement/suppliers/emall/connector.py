"""Connector for suppliers on the e-mall standard (seed 000 §7.2.1–§7.2.10), per docs/supplier-contract.md.

Every interface is a form POST answered in the §6.1 envelope. Transient trouble (timeouts, refused
connections, 5xx, unparseable replies) is retried a few times with a short back-off inside the call;
what is still failing then is raised for the sync pass to retry later or stop on.
"""
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from procurement.kernel import crypto, http
from procurement.kernel.retry import RetryPolicy
from procurement.kernel.wire import format_wire_time, parse_wire_time
from procurement.suppliers.base import Capability, Connector, PoolMessage, TokenExpired, chunks
from procurement.suppliers.emall.wire import (
    EMALL_BATCH_MAX,
    EMALL_LIST_SEPARATOR,
    emall_reply_is_token_expired,
)

PATHS = {
    "access_token": "/api/auth2/access_token",
    "getMessagePool": "/api/product/getMessagePool",
    "delMessagePool": "/api/product/delMessagePool",
    "detail_standard": "/api/product/detail_standard",
    "product_attributes_standard": "/api/product/product_attributes_standard",
    "product_promise": "/api/product/product_promise",
    "shelf_states": "/api/product/shelf_states",
    "stock": "/api/product/stock",
    "images": "/api/product/images",
    "prices": "/api/product/prices",
}


TOKEN_CALL_TIMEOUT = (5, 10)


class EmallConnector(Connector):
    capabilities = frozenset({Capability.MESSAGE_POOL, Capability.PROMISES, Capability.STOCK})
    batch_size = EMALL_BATCH_MAX

    def __init__(self, supplier, retry=None):
        super().__init__(supplier)
        self.retry = retry or RetryPolicy(
            max_attempts=settings.CATALOG_CALL_ATTEMPTS, base_seconds=settings.CATALOG_CALL_BACKOFF_SECONDS,
            cap_seconds=10 * settings.CATALOG_CALL_BACKOFF_SECONDS, jitter=0.2,
        )

    def _counterparty(self, *secrets):
        return http.Counterparty("supplier", self.supplier.code, self.supplier.base_url,
                                 secrets=(self.supplier.remote_password, *secrets))

    # --- §7.2.1 ---------------------------------------------------------------------------------

    def obtain_token(self):
        params = {
            "username": self.supplier.remote_username,
            "password": crypto.sm3_hex(self.supplier.remote_password),
            "timestamp": format_wire_time(timezone.now()),
        }
        # One short try: the refresh holds the token row's lock (on SQLite, the database's) meanwhile;
        # a failure ends the pass, which is retried with back-off.
        result = self._post_once("access_token", params, self._counterparty(), timeout=TOKEN_CALL_TIMEOUT)
        token = result.get("access_token") if isinstance(result, dict) else None
        if not token or not isinstance(token, str):
            raise http.BadReply("access_token 回复中没有 access_token")
        return token, self._expiry(result)

    def _expiry(self, result):
        try:
            return parse_wire_time(result.get("expires_at"))
        except ValueError:
            seconds = result.get("expires_in")
            lifetime = int(seconds) if str(seconds).isdigit() else 3600
            return timezone.now() + timedelta(seconds=lifetime)

    # --- §7.2.2 / §7.2.10 -----------------------------------------------------------------------

    def messages(self, size):
        result = self._authorised("getMessagePool", {"size": str(size)})
        parsed = [_pool_message(item) for item in _as_list(result)]
        # Entries without a usable id, type or SKU cannot be stored or deleted: counted, never silently lost.
        self.unreadable_messages += parsed.count(None)
        return [message for message in parsed if message is not None]

    def acknowledge(self, message_ids):
        for chunk in chunks(message_ids, self.batch_size):
            self._authorised("delMessagePool", {"id": EMALL_LIST_SEPARATOR.join(chunk)})

    # --- §7.2.3–§7.2.9 --------------------------------------------------------------------------

    def details(self, skus):
        return self._batch("detail_standard", skus)

    def attributes(self, skus):
        return self._batch("product_attributes_standard", skus)

    def promises(self, skus):
        return self._batch("product_promise", skus)

    def shelf_states(self, skus):
        return self._batch("shelf_states", skus)

    def images(self, skus):
        return self._batch("images", skus)

    def prices(self, skus):
        return self._batch("prices", skus)

    def stock(self, skus, area_code):
        return self._batch("stock", skus, area=area_code)

    def _batch(self, interface, skus, **extra):
        answered = {}
        for chunk in chunks(dict.fromkeys(skus), self.batch_size):
            wanted = set(chunk)
            result = self._authorised(interface, {"sku": EMALL_LIST_SEPARATOR.join(chunk), **extra})
            for item in _as_list(result):
                if isinstance(item, dict) and str(item.get("sku", "")) in wanted:
                    answered[str(item["sku"])] = item
        return answered

    # --- calling --------------------------------------------------------------------------------

    def _authorised(self, interface, params):
        return self.with_token(
            lambda token: self._post(interface, {**params, "token": token}, counterparty=self._counterparty(token))
        )

    def _post(self, interface, params, *, counterparty):
        for attempt in range(1, self.retry.max_attempts + 1):
            try:
                return self._post_once(interface, params, counterparty)
            except http.TransientError as error:
                if not self.retry.should_retry(error, attempt):
                    raise
                time.sleep(self.retry.delay(attempt).total_seconds())

    def _post_once(self, interface, params, counterparty, timeout=None):
        self.count_call(interface)
        reply = http.call(counterparty, interface, PATHS[interface], data=params,
                          reference=params.get("sku", "")[:100], timeout=timeout)
        document = reply.json()
        if not isinstance(document, dict) or not isinstance(document.get("success"), bool):
            http.bad_reply(reply.attempt_id, "回复不是 §6.1 报文")
        if emall_reply_is_token_expired(document):
            http.record_outcome(reply.attempt_id, "refused", "token_expired")
            raise TokenExpired("令牌已过期（token_expired）", reply.attempt_id, code=str(document.get("code", "")))
        if not document["success"]:
            http.refuse(reply, document.get("code", ""), str(document.get("desc", "")))
        return document.get("result")


def _as_list(result):
    if not isinstance(result, list):
        raise http.BadReply("result 应为数组")
    return result


def _pool_message(item):
    """A PoolMessage from one entry of getMessagePool, or None when it has no usable id, type or SKU."""
    if not isinstance(item, dict):
        return None
    message_id, sku = str(item.get("id") or "").strip(), str(item.get("sku") or "").strip()
    kind = _integer(item.get("type"))
    if not message_id or not sku or kind is None or len(message_id) > 64 or len(sku) > 64:
        return None
    try:
        sent_at = parse_wire_time(item.get("time"))
    except ValueError:
        sent_at = None
    return PoolMessage(id=message_id, type=kind, sku=sku, time=sent_at, state=_integer(item.get("state")), raw=item)


def _integer(value):
    try:
        return int(str(value).strip())
    except ValueError:
        return None
