"""What catalog sync and orders need from a supplier platform, whatever its protocol.

A connector is built from a Supplier row (and the settings to reach it, by default the supplier's
own). It declares:
- `parameters`: the settings its protocol needs (account, keys, secrets…), which of them are secret, and
  how each is checked; they are stored per supplier (secret ones encrypted) and the admin form is built
  from this declaration;
- the interfaces it implements, by inheriting the interface classes below: the required ones (change
  feed, detail, shelf states, images, prices) and the optional ones, each tied to a Capability.
  `can(capability)` follows from what the class implements and what staff switched off for the supplier;
  callers ask before they call an optional interface;
- `add_parts`: the product parts fetched for a new SKU, in the order its protocol prescribes (each part
  has its method: detail → details, attributes → attributes, promises, shelf → shelf_states, images, prices;
  a protocol whose detail carries the parameters leaves "attributes" out), and `change_parts`: the parts
  each kind of change calls for.
Batch methods take any number of SKU codes, call the platform `batch_size` at a time, and return
{sku: record} for the SKUs the platform answered for (a SKU missing from the result was not answered).
Token-based protocols add `TokenAuth`; protocols that sign every request do not.
"""
import abc
import enum
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from procurement.kernel.http import Counterparty, OutboundError, Refused
from procurement.suppliers.records import ChangeKind

# The parts of a product the catalog knows, and the connector method that fetches each; a connector names the
# ones it fetches, in its own order.
PART_METHODS = {"detail": "details", "attributes": "attributes", "promises": "promises", "shelf": "shelf_states",
                "images": "images", "prices": "prices"}
PARTS = tuple(PART_METHODS)


@dataclass(frozen=True)
class Param:
    """A setting a protocol needs per supplier. `check(value)` returns why a value is unusable, or ''."""

    name: str
    label: str
    secret: bool = False
    required: bool = True
    help: str = ""
    check: object = None

    def problem(self, value):
        if not value:
            return "必填" if self.required else ""
        return self.check(value) if self.check else ""


class Capability(enum.Enum):
    """An interface beyond the required ones: a connector has it by implementing its Interface class below."""

    PROMISES = "promises"
    STOCK = "stock"
    AREAS = "areas"
    RATINGS = "ratings"
    ACCESSORIES = "accessories"
    ACCESSORY_LINKS = "accessory_links"
    WARRANTY = "warranty"
    GROUP_BUYS = "group_buys"
    SPECIALS = "specials"
    TIERS = "tiers"
    ORDERS = "orders"
    ORDER_CANCEL = "order_cancel"
    ORDER_QUERY = "order_query"
    ORDER_TRACK = "order_track"
    RETURNS = "returns"
    RECONCILIATION = "reconciliation"
    CREDIT_TERMS = "credit_terms"
    INVOICES = "invoices"

    @property
    def label(self):
        return CAPABILITY_LABELS[self]


CAPABILITY_LABELS = {
    Capability.PROMISES: "商品承诺/认证", Capability.STOCK: "库存", Capability.AREAS: "地址",
    Capability.RATINGS: "商品好评度", Capability.ACCESSORIES: "配件服务", Capability.ACCESSORY_LINKS: "配件服务关联",
    Capability.WARRANTY: "延保服务", Capability.GROUP_BUYS: "团购商品", Capability.SPECIALS: "特惠商品",
    Capability.TIERS: "阶梯优惠率", Capability.ORDERS: "下单与确认订单", Capability.ORDER_CANCEL: "取消订单",
    Capability.ORDER_QUERY: "查询订单", Capability.ORDER_TRACK: "物流", Capability.RETURNS: "退换货",
    Capability.RECONCILIATION: "对账", Capability.CREDIT_TERMS: "账期支付", Capability.INVOICES: "电子发票",
}


@dataclass(frozen=True)
class ContentProfile:
    """What a protocol asks of a product beyond the catalog's own rules: more required fields (content key →
    label), yes/no fields, and the content key of a main image whose link must open."""

    required: tuple = ()
    flags: tuple = ()
    main_image: str = ""


class Interface:
    """Base of the interface classes: `capability` is what implementing it lets callers do."""

    capability = None


class PromisesInterface(Interface):
    capability = Capability.PROMISES

    @abc.abstractmethod
    def promises(self, skus):
        """ProductPromises per SKU."""


class StockInterface(Interface):
    capability = Capability.STOCK

    @abc.abstractmethod
    def stock(self, skus, area_code):
        """StockLevel per SKU for a delivery area (one of our area codes)."""


class AreasInterface(Interface):
    """The supplier's own area tree, which the mall maps onto its areas by name."""

    capability = Capability.AREAS

    @abc.abstractmethod
    def areas(self):
        """Every RemoteArea of the supplier's tree (provinces, their cities, their counties)."""


class RatingsInterface(Interface):
    capability = Capability.RATINGS

    @abc.abstractmethod
    def ratings(self, skus):
        """Rating per SKU."""


class AccessoriesInterface(Interface):
    capability = Capability.ACCESSORIES

    @abc.abstractmethod
    def accessories(self):
        """Every Accessory (and service) the supplier offers."""


class AccessoryLinksInterface(Interface):
    capability = Capability.ACCESSORY_LINKS

    @abc.abstractmethod
    def accessory_links(self, skus=None):
        """AccessoryLinks per SKU (None: every SKU that has some)."""


class WarrantyInterface(Interface):
    capability = Capability.WARRANTY

    @abc.abstractmethod
    def warranty(self, skus, area_code):
        """{sku: [WarrantyOffer]} for a delivery area (one of our area codes)."""


class GroupBuysInterface(Interface):
    capability = Capability.GROUP_BUYS

    @abc.abstractmethod
    def group_buys(self):
        """Every group-buy Offer."""


class SpecialsInterface(Interface):
    capability = Capability.SPECIALS

    @abc.abstractmethod
    def specials(self):
        """Every special Offer."""


class TiersInterface(Interface):
    capability = Capability.TIERS

    @abc.abstractmethod
    def tiers(self, skus):
        """{sku: [TierDiscount]}."""


class OrdersInterface(Interface):
    """Pre-order (stock locked, prices checked) and confirm (seed 000 §7.2.11–12, seed 001 §2.12.1–2)."""

    capability = Capability.ORDERS

    @abc.abstractmethod
    def order_submit(self, request):
        """An OrderRequest → the SupplierOrder created (or the one already made for that number); Refused otherwise."""

    @abc.abstractmethod
    def order_confirm(self, our_number, supplier_number):
        """Confirm a pre-order: its OrderState afterwards."""


class OrderCancelInterface(Interface):
    capability = Capability.ORDER_CANCEL

    @abc.abstractmethod
    def order_cancel(self, our_number, supplier_number):
        """Cancel an unconfirmed order: its OrderState; Refused after confirmation."""


class OrderQueryInterface(Interface):
    capability = Capability.ORDER_QUERY

    @abc.abstractmethod
    def order_query(self, our_number):
        """The SupplierOrder the supplier holds for our number, or None when it holds none."""


class OrderTrackInterface(Interface):
    capability = Capability.ORDER_TRACK

    @abc.abstractmethod
    def order_track(self, our_number, supplier_number):
        """Every Package shipped for the order."""


class ReturnsInterface(Interface):
    capability = Capability.RETURNS

    @abc.abstractmethod
    def return_apply(self, our_number, supplier_number, service_number, exchange, lines, reason):
        """Push a return (exchange=False) or an exchange of (sku, quantity) lines: the supplier's service id."""

    @abc.abstractmethod
    def return_query(self, service_id):
        """ReturnProgress of a return or exchange."""


class ReconciliationInterface(Interface):
    capability = Capability.RECONCILIATION

    @abc.abstractmethod
    def reconciliation(self, day):
        """ReconciliationList of the orders submitted on `day`."""


class CreditTermsInterface(Interface):
    capability = Capability.CREDIT_TERMS

    @abc.abstractmethod
    def payment_push(self, our_number, supplier_number, payment):
        """Push the purchaser's bank transfer (serial, amount, paid_at, bank, account): the supplier's receipt id."""

    @abc.abstractmethod
    def payment_check(self, our_number):
        """PaymentCheck: whether the supplier has found the transfer."""


class InvoicesInterface(Interface):
    capability = Capability.INVOICES

    @abc.abstractmethod
    def invoice_query(self, our_number, supplier_number):
        """InvoiceInfo of the order's e-invoice."""


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach a supplier's platform: its base URL and its declared parameters' values."""

    base_url: str
    values: dict

    def __getitem__(self, name):
        return self.values.get(name, "")

    def secrets(self, parameters):
        return tuple(self.values.get(p.name, "") for p in parameters if p.secret and self.values.get(p.name))


class Connector(abc.ABC):
    """Base of every supplier connector: batching, call counting, capabilities, the change feed."""

    parameters = ()
    # validation rule (catalog.validation) → the protocol's own error code for it, where it has one
    finding_codes = {}
    content_profile = ContentProfile()
    # A feed without price and shelf changes: the mall refreshes listed SKUs' prices and shelf states itself.
    polls_prices = False
    batch_size = 100
    add_parts = PARTS  # every part, in the order a protocol asks for a new SKU's (its connector says)
    change_parts = {ChangeKind.DETAIL: ("detail", "attributes"), ChangeKind.PRICE: ("prices",),
                    ChangeKind.SHELF: ("shelf",)}

    def __init__(self, supplier, endpoint=None):
        self.supplier = supplier
        self.endpoint = endpoint or supplier.endpoint()
        self.calls = Counter()
        self._calls_lock = threading.Lock()
        # (part, sku) → why a batch reply does not count as an answer for that SKU (e.g. two different entries)
        self.unanswered = {}
        # part → SKUs a batch reply held that were not asked for (left out of the answer; the docking tool names them)
        self.unasked = {}

    @classmethod
    def capabilities(cls):
        """Every capability this connector's class implements."""
        return frozenset(klass.capability for klass in cls.__mro__
                         if issubclass(klass, Interface) and klass.capability is not None)

    @classmethod
    def offered(cls, supplier, capability):
        """Whether `supplier`, on this protocol, has `capability`: implemented here and not switched off by staff."""
        return capability in cls.capabilities() and capability.value not in (supplier.interfaces_off or ())

    def can(self, capability):
        return self.offered(self.supplier, capability)

    def counterparty(self, *secrets):
        """Who the call log records; the declared secrets and `secrets` are masked wherever they appear."""
        return Counterparty("supplier", self.supplier.code, self.endpoint.base_url,
                            secrets=(*self.endpoint.secrets(self.parameters), *secrets))

    def count_call(self, interface):
        """Count a call made (batches may be fetched from several threads at once)."""
        with self._calls_lock:
            self.calls[interface] += 1

    def parts_for(self, kind):
        """The parts a change of `kind` calls for, in add order."""
        if kind is ChangeKind.ADDED:
            return self.add_parts
        wanted = set(self.change_parts.get(kind, ()))
        return tuple(part for part in self.add_parts if part in wanted)

    def fetch(self, part, skus):
        """{sku: record} of one product part (PART_METHODS) for `skus`."""
        return getattr(self, PART_METHODS[part])(skus)

    def batched(self, part, skus, fetch_chunk):
        """{sku: record} over `skus` (duplicates dropped, order kept), `batch_size` at a time through
        fetch_chunk(codes) → records. Only the SKUs asked for count; a SKU answered twice with different
        data is left unanswered, with the reason in `unanswered`."""
        answered = {}
        for chunk in chunks(dict.fromkeys(skus), self.batch_size):
            answered.update(self._answers(part, set(chunk), fetch_chunk(chunk)))
        return answered

    def _answers(self, part, wanted, records):
        answered, ambiguous = {}, set()
        for record in records:
            if record.sku not in wanted:
                self.unasked.setdefault(part, set()).add(record.sku)
                continue
            if record.sku in answered and answered[record.sku] != record:
                ambiguous.add(record.sku)
            answered.setdefault(record.sku, record)
        for sku in ambiguous:
            del answered[sku]
            self.unanswered[(part, sku)] = "回复中该商品出现两条不同的数据"
        return answered

    # --- the change feed ------------------------------------------------------------------------

    @abc.abstractmethod
    def changes(self, cursor, limit):
        """A FeedPage of at most `limit` change events after `cursor` (this connector's own text, '' at first)."""

    @abc.abstractmethod
    def acknowledge(self, event_ids):
        """Tell the platform these events were applied (and committed); a no-op where the protocol has no such step."""

    # --- the required product interfaces ---------------------------------------------------------

    @abc.abstractmethod
    def details(self, skus):
        """ProductDetail per SKU."""

    @abc.abstractmethod
    def shelf_states(self, skus):
        """ShelfState per SKU."""

    @abc.abstractmethod
    def images(self, skus):
        """ProductImages per SKU."""

    @abc.abstractmethod
    def prices(self, skus):
        """PriceQuote per SKU."""


class TokenExpired(Refused):
    """The platform refused our token: refreshed once and the call retried once; a second refusal stands."""


class RowTokenStore:
    """Where a connector keeps its platform token: by default the supplier's RemoteToken row (shared by every
    worker), refreshed under the row's lock."""

    def __init__(self, supplier):
        self.supplier = supplier

    def read(self):
        """(token, expires_at) as stored, or ("", None)."""
        from procurement.models import RemoteToken

        row = RemoteToken.objects.filter(supplier_id=self.supplier.pk).only("token", "expires_at").first()
        return (row.token, row.expires_at) if row else ("", None)

    def replace(self, stale, obtain):
        """The live (token, expires_at): the stored one if another worker already replaced `stale`, else
        obtain() → stored. An OutboundError of obtain() is raised once the lock is let go (its attempt row kept)."""
        from procurement.models import RemoteToken

        failure = None
        with transaction.atomic():
            row, _ = RemoteToken.objects.select_for_update().get_or_create(supplier_id=self.supplier.pk)
            if row.token and row.token != stale and row.expires_at and row.expires_at > timezone.now():
                return row.token, row.expires_at
            try:
                token, expires_at = obtain()
            except OutboundError as error:
                # Leave the block normally so the attempt row written by the call is kept.
                failure = error
            else:
                row.token, row.expires_at, row.refreshed_at = token, expires_at, timezone.now()
                row.save(update_fields=["token", "expires_at", "refreshed_at"])
                return token, expires_at
        raise failure


class MemoryTokenStore:
    """A token kept in memory only (a docking test run's, against a test environment): never written to the
    supplier's RemoteToken row, shared by the threads of one run under a lock."""

    def __init__(self):
        self.known, self.lock = ("", None), threading.Lock()

    def read(self):
        return self.known

    def replace(self, stale, obtain):
        with self.lock:
            token, expires_at = self.known
            if token and token != stale and expires_at and expires_at > timezone.now():
                return self.known
            self.known = obtain()
            return self.known


class TokenAuth:
    """For protocols with an access token: kept in a token store (by default the supplier's RemoteToken row,
    RowTokenStore), refreshed once under the store's lock when missing, expired or refused (`token_expired`),
    and the call retried once.

    Every worker reads the stored token; the one that finds it unusable refreshes it under the lock, so a
    crowd of workers refreshes it once. The subclass defines `obtain_token()` → (token, expires_at). A
    connector given another `token_store` (the docking test tool's MemoryTokenStore) keeps its tokens there.
    """

    # A stored token is renewed this long before its stated expiry.
    token_margin = timedelta(minutes=5)
    token_store = None

    @abc.abstractmethod
    def obtain_token(self):
        """Ask the platform for a new token: returns (token, expires_at)."""

    def tokens(self):
        if self.token_store is None:
            self.token_store = RowTokenStore(self.supplier)
        return self.token_store

    def token(self):
        """The token this connector last saw if still good, else the stored one if good, else a fresh one.

        Kept for the connector's life (one pass) instead of read before every call: when another worker
        has refreshed it meanwhile, the platform answers token_expired and `with_token` picks the new one up.
        """
        known = getattr(self, "_token", ("", None))
        if self._usable(known):
            return known[0]
        stored = self.tokens().read()
        if self._usable(stored):
            self._token = stored
            return stored[0]
        return self.refresh_token(stale=stored[0])

    def _usable(self, known):
        token, expires_at = known
        return bool(token and expires_at and expires_at > timezone.now() + self.token_margin)

    def refresh_token(self, stale):
        """Replace `stale` under the store's lock, unless another worker already did; returns the live token."""
        self._token = self.tokens().replace(stale, self.obtain_token)
        return self._token[0]

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
