"""What catalog sync and orders need from a supplier platform, whatever its protocol, and the registry.

A connector is built from a Supplier row. Interfaces a protocol may lack are declared in
`capabilities`; callers ask `connector.can(Capability.X)` before calling them. Batch methods take any
number of SKU codes, call the platform `batch_size` at a time, and return {sku: item} for the SKUs
the platform answered for (a SKU missing from the result was not answered).

Tokens live in RemoteToken. Every worker reads the stored token; the one that finds it missing,
expired, or refused (`token_expired`) refreshes it under the row's lock, so a crowd of workers
refreshes it once, and the call is retried once with the new token.
"""
import abc
import enum
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from procurement.kernel.http import OutboundError, Refused


class Capability(enum.Enum):
    MESSAGE_POOL = "message_pool"
    PROMISES = "promises"
    STOCK = "stock"
    ORDER_SUBMIT = "order_submit"
    ORDER_CONFIRM = "order_confirm"
    ORDER_CANCEL = "order_cancel"
    ORDER_QUERY = "order_query"
    ORDER_TRACK = "order_track"


class TokenExpired(Refused):
    """The platform refused our token: refreshed once and the call retried once; a second refusal stands."""


@dataclass(frozen=True)
class PoolMessage:
    """One entry of a supplier's change-message pool, as the connector understood it."""

    id: str
    type: int
    sku: str
    time: datetime | None = None
    state: int | None = None
    raw: dict = field(default_factory=dict, compare=False)


class Connector(abc.ABC):
    """Base of every supplier connector; subclasses implement the calls their protocol has."""

    capabilities = frozenset()
    batch_size = 100
    # A stored token is renewed this long before its stated expiry.
    token_margin = timedelta(minutes=5)

    def __init__(self, supplier):
        self.supplier = supplier
        self.calls = Counter()
        self._calls_lock = threading.Lock()
        self.unreadable_messages = 0
        self._token = ("", None)  # (token, expires_at) as last read or obtained

    def count_call(self, interface):
        """Count a call made (batches may be fetched from several threads at once)."""
        with self._calls_lock:
            self.calls[interface] += 1

    def can(self, capability):
        return capability in self.capabilities

    @abc.abstractmethod
    def obtain_token(self):
        """Ask the platform for a new token: returns (token, expires_at)."""

    @abc.abstractmethod
    def messages(self, size):
        """Up to `size` pending change messages, as PoolMessage."""

    @abc.abstractmethod
    def acknowledge(self, message_ids):
        """Delete these messages from the platform's pool (only ever the ones we applied)."""

    @abc.abstractmethod
    def details(self, skus):
        """Name, category, brand, model, link, introduction and attachments per SKU."""

    @abc.abstractmethod
    def attributes(self, skus):
        """Standard parameters (attribute id → value) per SKU."""

    @abc.abstractmethod
    def promises(self, skus):
        """Promise / certification / seven-day-return codes per SKU."""

    @abc.abstractmethod
    def shelf_states(self, skus):
        """On or off the supplier's shelf, per SKU."""

    @abc.abstractmethod
    def images(self, skus):
        """Image URLs per SKU, primary first."""

    @abc.abstractmethod
    def prices(self, skus):
        """Protocol price and mall price per SKU, as the exact text sent."""

    @abc.abstractmethod
    def stock(self, skus, area_code):
        """Stock quantity per SKU for a delivery area."""

    # --- tokens ---------------------------------------------------------------------------------

    def token(self):
        """The token this connector last saw if still good, else the stored one if good, else a fresh one.

        Kept for the connector's life (one pass) instead of read before every call: when another worker
        has refreshed it meanwhile, the platform answers token_expired and `with_token` picks the new one up.
        """
        from procurement.models import RemoteToken

        if self._usable(self._token):
            return self._token[0]
        row = RemoteToken.objects.filter(supplier_id=self.supplier.pk).only("token", "expires_at").first()
        if row and self._usable((row.token, row.expires_at)):
            self._token = (row.token, row.expires_at)
            return row.token
        return self.refresh_token(stale=row.token if row else "")

    def _usable(self, known):
        token, expires_at = known
        return bool(token and expires_at and expires_at > timezone.now() + self.token_margin)

    def refresh_token(self, stale):
        """Replace `stale` under the row lock, unless another worker already did; returns the live token."""
        from procurement.models import RemoteToken

        failure = None
        with transaction.atomic():
            row, _ = RemoteToken.objects.select_for_update().get_or_create(supplier_id=self.supplier.pk)
            if row.token and row.token != stale and row.expires_at and row.expires_at > timezone.now():
                self._token = (row.token, row.expires_at)
                return row.token
            try:
                token, expires_at = self.obtain_token()
            except OutboundError as error:
                # Leave the block normally so the attempt row written by the call is kept.
                failure = error
            else:
                row.token, row.expires_at, row.refreshed_at = token, expires_at, timezone.now()
                row.save(update_fields=["token", "expires_at", "refreshed_at"])
                self._token = (token, expires_at)
                return token
        raise failure

    def with_token(self, send):
        """`send(token)`; on TokenExpired, refresh once and send once more."""
        token = self.token()
        try:
            return send(token)
        except TokenExpired:
            return send(self.refresh_token(stale=token))


def chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]
