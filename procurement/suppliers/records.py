"""Protocol-neutral records: what a connector returns, whatever its supplier's wire format.

Catalog sync, stock, orders and the docking tool read only these. A connector reads its protocol's
replies into them and coerces without failing: a value that makes no sense stays visible to
validation (a number where a name should be becomes its text), an entry that cannot be read at all
is named in `problems` rather than silently dropped.
"""
import enum
from dataclasses import dataclass, field
from datetime import datetime

from procurement.kernel.storable import storable


def text(value):
    """Any wire value as stripped, storable text ('' for None); lists joined by commas (a multi-choice value)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(text(item) for item in value)
    return storable(str(value)).strip()


def as_list(value):
    return value if isinstance(value, list) else []


_FLAGS = {"true": True, "1": True, "是": True, "yes": True, "false": False, "0": False, "否": False, "no": False}


def flag(value):
    """A yes/no as True or False (booleans, "true"/"false", 1/0, 是/否), None when it is neither."""
    if isinstance(value, bool):
        return value
    return _FLAGS.get(text(value).lower())


@dataclass(frozen=True)
class Attachment:
    name: str
    url: str


@dataclass(frozen=True)
class ProductDetail:
    """The descriptive part of a product. `extra` holds fields a protocol adds (e.g. after-sales service)."""

    sku: str
    name: str = ""
    category: str = ""
    brand: str = ""
    model: str = ""
    unit: str = ""
    url: str = ""
    introduction: str = ""
    attachments: tuple = ()
    extra: dict = field(default_factory=dict)
    # Protocols whose detail carries the parameters too give them here (else None: asked for separately).
    attributes: "ProductAttributes | None" = None


@dataclass(frozen=True)
class ProductAttributes:
    """Standard parameters as (attribute id, value) pairs; `problems` names entries that could not be read."""

    sku: str
    values: tuple = ()
    problems: tuple = ()

    # The seed's spelling first (§6.1 信息域 and our catalogsParam publish `attributeID`), an alias beside it.
    ID_KEYS = ("attributeID", "attributeId")

    @classmethod
    def read(cls, sku, entries):
        """From the wire's list of {attributeID, value} entries, whichever contract carried it."""
        values, problems = [], []
        for position, entry in enumerate(as_list(entries), 1):
            found = next((entry[key] for key in cls.ID_KEYS if isinstance(entry, dict) and key in entry), "")
            if not text(found):
                shown = str(entry)
                problems.append(f"第 {position} 个参数没有参数项 ID（{'/'.join(cls.ID_KEYS)}）："
                                f"{shown if len(shown) <= 80 else shown[:80] + '…'}")
                continue
            values.append((text(found), text(entry.get("value"))))
        return cls(sku=text(sku), values=tuple(values), problems=tuple(problems))


@dataclass(frozen=True)
class ProductPromises:
    sku: str
    codes: tuple = ()


@dataclass(frozen=True)
class ShelfState:
    """On (True) or off (False) the supplier's shelf; None when the reply said neither (`said` keeps what it said)."""

    sku: str
    on: bool | None
    said: str = ""


@dataclass(frozen=True)
class ProductImages:
    """Image URLs, the main image first."""

    sku: str
    urls: tuple = ()


@dataclass(frozen=True)
class PriceQuote:
    """The agreement price and the public price it must not exceed, as the exact texts sent.

    `mall_price` is the e-mall standard's 商城售价 and the mall standard's 市场价: whichever the protocol
    calls it, the agreement price may not be above it.
    """

    sku: str
    price: str
    mall_price: str


@dataclass(frozen=True)
class StockLevel:
    """Stock of a SKU for a delivery area; `quantity` None when the reply gave no number (`said` keeps it)."""

    sku: str
    area: str
    quantity: int | None
    said: str = ""


class ChangeKind(enum.Enum):
    """What a change event says happened to a SKU."""

    ADDED = "added"
    REMOVED = "removed"
    DETAIL = "detail"
    PRICE = "price"
    SHELF = "shelf"
    OTHER = "other"  # a change the protocol defines and the catalog has no use for: stored and acknowledged
    # A full walk of the supplier's pools (a census): every SKU found is PRESENT (added if the mall lacks it);
    # its CENSUS_END (no SKU) removes the SKUs the census did not find.
    PRESENT = "present"
    CENSUS_END = "census_end"


@dataclass(frozen=True)
class ChangeEvent:
    """One change of a supplier's feed, as the connector understood it.

    `id` is unique per supplier (the protocol's message id, or one the connector derives); `problem` says
    why it can never be applied as sent (kept failed for staff, never acknowledged).
    """

    id: str
    kind: ChangeKind
    sku: str
    time: datetime | None = None
    raw: dict = field(default_factory=dict, compare=False)
    problem: str = ""
    note: str = ""  # what staff should know of it (e.g. an OTHER event: which of the protocol's kinds it was)
    census: str = ""  # PRESENT and CENSUS_END: which census (the connector's own numbering)


@dataclass
class FeedPage:
    """A page of a connector's change feed: its events, the cursor to keep after storing them, how many
    entries could not be read at all (counted, never silently lost), and the pools (category codes) the
    supplier said it has, when the page read them (the mall checks them against its categories)."""

    events: list
    cursor: str = ""
    unreadable: int = 0
    pools: tuple = ()


# --- the optional interfaces of the mall standard (seed 001 §2.8, 2.17, 2.19, 2.20) ----------------------

@dataclass(frozen=True)
class Rating:
    """A 5-point score and the good / neutral / bad shares in percent, as texts (None where unreadable)."""

    sku: str
    score: str
    good: str
    neutral: str
    bad: str


@dataclass(frozen=True)
class Accessory:
    """An accessory (配件) or a service the supplier sells with its products."""

    id: str
    is_service: bool
    name: str
    params: str
    price: str


@dataclass(frozen=True)
class AccessoryLinks:
    sku: str
    accessory_ids: tuple


@dataclass(frozen=True)
class WarrantyOffer:
    """An extended-warranty service for a SKU in a delivery area (our area code)."""

    sku: str
    area: str
    id: str
    name: str
    content: str
    price: str


@dataclass(frozen=True)
class Offer:
    """A group-buy (团购) or special (特惠) offer: `kind` is "group_buy" or "special"; times as aware datetimes."""

    kind: str
    id: str
    sku: str
    price: str
    quantity: int | None
    applied_on: object
    starts_at: object
    ends_at: object


@dataclass(frozen=True)
class TierDiscount:
    """From `quantity` pieces on, `rate` percent off."""

    sku: str
    quantity: int
    rate: str


@dataclass(frozen=True)
class RemoteArea:
    """One node of a supplier's own area tree (province 1, city 2, county 3)."""

    id: str
    name: str
    level: int
    parent_id: str = ""


# --- orders (seed 000 §7.2.11–12; seed 001 §2.12–2.18, 2.21) ------------------------------------------

class OrderState(enum.Enum):
    """An order's state as the supplier reports it (both contracts number them 1–6)."""

    PLACED = 1  # pre-ordered, stock locked, not yet confirmed
    CONFIRMED = 2
    SHIPPED = 3
    COMPLETED = 4  # delivered
    CANCELLED = 5
    REFUSED = 6  # the purchaser refused the delivery
    UNKNOWN = 0


@dataclass(frozen=True)
class OrderLineRequest:
    sku: str
    quantity: int
    price: str  # the price the purchaser saw, as text


@dataclass(frozen=True)
class OrderRequest:
    """What the mall sends a supplier for one order (ours, one supplier's lines)."""

    number: str
    lines: tuple
    total: str
    receiver: str
    mobile: str
    area_path: tuple  # our area codes, province → city → county
    address: str
    credit_terms: bool
    invoice_title: str
    invoice_tax_no: str
    remark: str = ""


@dataclass(frozen=True)
class SupplierOrderLine:
    sku: str
    quantity: int
    price: str


@dataclass(frozen=True)
class SupplierOrder:
    """The supplier's view of one of our orders (and of the child orders it split it into)."""

    number: str
    our_number: str
    state: OrderState
    amount: str = ""
    freight: str = ""
    lines: tuple = ()
    children: tuple = ()


@dataclass(frozen=True)
class TrackStep:
    at: object
    what: str
    who: str


@dataclass(frozen=True)
class Package:
    """One shipment (a child order's parcel): carrier, waybill and dispatch numbers, what it holds, its steps."""

    supplier_order: str
    carrier: str
    waybill: str
    dispatch: str
    lines: tuple  # (sku, name, quantity)
    steps: tuple


class ReturnState(enum.Enum):
    APPLIED = 1
    AGREED = 2
    RECEIVED = 3
    DONE = 4
    REJECTED = 5
    UNKNOWN = 0


@dataclass(frozen=True)
class ReturnProgress:
    service_id: str
    state: ReturnState
    note: str = ""


class Delivery(enum.Enum):
    PENDING = 1
    DELIVERED = 2
    REFUSED = 3
    UNKNOWN = 0


@dataclass(frozen=True)
class ReconciliationRow:
    supplier_order: str
    our_number: str
    delivery: Delivery
    invoiced: bool | None
    amount: str


@dataclass(frozen=True)
class ReconciliationList:
    rows: tuple
    total_amount: str
    count: int | None


class PaymentState(enum.Enum):
    PENDING = 1
    CONFIRMED = 2
    WRONG = 3
    UNKNOWN = 0


@dataclass(frozen=True)
class PaymentCheck:
    state: PaymentState
    note: str = ""


@dataclass(frozen=True)
class InvoiceInfo:
    issued: bool
    code: str = ""
    number: str = ""
    amount: str = ""
    issued_at: object = None
    url: str = ""


@dataclass(frozen=True)
class BankTransfer:
    """A purchaser's transfer for a credit-terms order, as pushed to the supplier (texts as sent)."""

    serial: str
    amount: str
    paid_at: str
    bank: str
    account: str
