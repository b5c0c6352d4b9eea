"""Connector for suppliers on the e-mall standard (seed 000 §7.2.1–§7.2.10), per docs/supplier-contract.md.

Every interface is a form POST answered in the §6.1 envelope. Transient trouble (timeouts, refused
connections, 5xx, unparseable replies) is retried a few times with a short back-off inside the call;
what is still failing then is raised for the sync pass to retry later or stop on. The change feed is
the message pool: no cursor (the pool itself is the position), acknowledged by delMessagePool.
"""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from procurement.kernel import crypto, http
from procurement.kernel.retry import RetryPolicy
from procurement.kernel.wire import format_wire_time, parse_wire_time
from procurement.suppliers.base import (
    Connector,
    CreditTermsInterface,
    InvoicesInterface,
    OrderCancelInterface,
    OrderQueryInterface,
    OrdersInterface,
    OrderTrackInterface,
    Param,
    PromisesInterface,
    ReconciliationInterface,
    StockInterface,
    TokenAuth,
    chunks,
)
from procurement.suppliers.calls import EnvelopeCalls, as_list
from procurement.suppliers.emall import wire
from procurement.suppliers.order_calls import ORDER_PATHS, OrderCalls
from procurement.suppliers.records import FeedPage

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


class EmallConnector(OrderCalls, EnvelopeCalls, TokenAuth, PromisesInterface, StockInterface, OrdersInterface,
                     OrderCancelInterface, OrderQueryInterface, OrderTrackInterface, ReconciliationInterface,
                     CreditTermsInterface, InvoicesInterface, Connector):
    """The standard requires submit and confirm; the other order interfaces are the contract's recommended ones
    (staff switch off, per supplier, those a platform lacks)."""

    parameters = (
        Param("username", "电商平台用户名", help="电商为卖场开设的接口用户名（§7.2.1 username）"),
        Param("password", "电商平台密码", secret=True, help="以 SM3 摘要发送，明文不出卖场"),
    )
    batch_size = wire.EMALL_BATCH_MAX
    finding_codes = wire.FINDING_CODES
    paths = {**PATHS, **ORDER_PATHS}
    # §6.3, a type-6 (added to the pool) message: detail, parameters, promises, shelf state, images, then price.
    add_parts = ("detail", "attributes", "promises", "shelf", "images", "prices")

    def __init__(self, supplier, endpoint=None, retry=None):
        super().__init__(supplier, endpoint)
        self.retry = retry or RetryPolicy(
            max_attempts=settings.CATALOG_CALL_ATTEMPTS, base_seconds=settings.CATALOG_CALL_BACKOFF_SECONDS,
            cap_seconds=10 * settings.CATALOG_CALL_BACKOFF_SECONDS, jitter=0.2,
        )

    # --- §7.2.1 ---------------------------------------------------------------------------------

    def obtain_token(self):
        params = {
            "username": self.endpoint["username"],
            "password": crypto.sm3_hex(self.endpoint["password"]),
            "timestamp": format_wire_time(timezone.now()),
        }
        # One short try: the refresh holds the token row's lock (on SQLite, the database's) meanwhile;
        # a failure ends the pass, which is retried with back-off.
        result = self.post_once("access_token", params, self.counterparty(), timeout=TOKEN_CALL_TIMEOUT)
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

    # --- §7.2.2 / §7.2.10: the message pool is the change feed ------------------------------------

    def changes(self, cursor, limit):
        result = self.authorised("getMessagePool", {"size": str(limit)})
        read = [wire.read_message(item) for item in as_list(result)]
        # Entries without a usable id, type or SKU cannot be stored or deleted: counted, never silently lost.
        return FeedPage(events=[event for event in read if event is not None], unreadable=read.count(None))

    def acknowledge(self, event_ids):
        for chunk in chunks(event_ids, self.batch_size):
            self.authorised("delMessagePool", {"id": wire.EMALL_LIST_SEPARATOR.join(chunk)})

    # --- §7.2.3–§7.2.9 --------------------------------------------------------------------------

    def details(self, skus):
        return self._batch("detail", "detail_standard", skus, wire.read_detail)

    def attributes(self, skus):
        return self._batch("attributes", "product_attributes_standard", skus, wire.read_attributes)

    def promises(self, skus):
        return self._batch("promises", "product_promise", skus, wire.read_promises)

    def shelf_states(self, skus):
        return self._batch("shelf", "shelf_states", skus, wire.read_shelf)

    def images(self, skus):
        return self._batch("images", "images", skus, wire.read_images)

    def prices(self, skus):
        return self._batch("prices", "prices", skus, wire.read_price)

    def stock(self, skus, area_code):
        return self._batch("stock", "stock", skus, lambda item: wire.read_stock(item, area_code), area=area_code)

    def _batch(self, part, interface, skus, read, **extra):
        def fetch(chunk):
            result = self.authorised(interface, {"sku": wire.EMALL_LIST_SEPARATOR.join(chunk), **extra})
            return [read(item) for item in as_list(result) if isinstance(item, dict)]
        return self.batched(part, skus, fetch)

    def token_expired(self, document):
        return wire.emall_reply_is_token_expired(document)

    def order_area(self, request):
        """§7.1.6 area codes, the mall's own, of the three levels."""
        province, city, county = (tuple(request.area_path) + ("", "", ""))[:3]
        return {"province": province, "city": city, "county": county}
