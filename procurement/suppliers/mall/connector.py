"""Connector for suppliers on the older mall standard (seed 001), per docs/mall-supplier-contract.md.

The standard has no message pool. The change feed is two things, kept apart in the cursor:
- a census: a walk of every pool (§2.3) and its SKU pages (§2.4); each SKU found is PRESENT, and the walk ends
  with CENSUS_END, which removes the SKUs it did not find. The first docking is a census; afterwards one runs
  every CATALOG_POOL_WALK_HOURS;
- between censuses, the new-SKU (§2.22) and modified-SKU (§2.23) lists since the last read (with an overlap,
  so a SKU listed late is not missed; duplicates are recognised by the inbox).
Prices and shelf states have no such list: the mall refreshes them itself (`polls_prices`). Nothing is
acknowledged (the protocol has no such step).
"""
import json
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from procurement.kernel import crypto, http
from procurement.kernel.retry import RetryPolicy
from procurement.suppliers.base import (
    AccessoriesInterface,
    AccessoryLinksInterface,
    AreasInterface,
    Connector,
    ContentProfile,
    CreditTermsInterface,
    GroupBuysInterface,
    InvoicesInterface,
    OrderCancelInterface,
    OrderQueryInterface,
    OrdersInterface,
    OrderTrackInterface,
    Param,
    RatingsInterface,
    ReconciliationInterface,
    ReturnsInterface,
    SpecialsInterface,
    StockInterface,
    TiersInterface,
    TokenAuth,
    WarrantyInterface,
    chunks,
)
from procurement.suppliers.calls import EnvelopeCalls, as_list, as_object
from procurement.suppliers.mall import wire
from procurement.suppliers.order_calls import ORDER_PATHS, OrderCalls
from procurement.suppliers.records import ChangeEvent, ChangeKind, FeedPage, text
from procurement.suppliers.remote_areas import remote_area_id, remote_area_in

TOKEN_CALL_TIMEOUT = (5, 10)
LIST_OVERLAP = timedelta(minutes=5)
REQUIRED = (("unit", "单位"), ("main_image", "主图地址"), ("service", "售后服务"), ("config", "简要配置"),
            ("energy_saving", "节能产品标识"), ("environmental", "环保产品标识"), ("imported", "进口产品标识"))


class MallConnector(OrderCalls, EnvelopeCalls, TokenAuth, StockInterface, AreasInterface, RatingsInterface,
                    AccessoriesInterface, AccessoryLinksInterface, WarrantyInterface, GroupBuysInterface,
                    SpecialsInterface, TiersInterface, OrdersInterface, OrderCancelInterface, OrderQueryInterface,
                    OrderTrackInterface, ReturnsInterface, ReconciliationInterface, CreditTermsInterface,
                    InvoicesInterface, Connector):
    parameters = (
        Param("username", "电商平台用户名", help="电商为商城开设的接口用户名（§2.2）"),
        Param("password", "电商平台密码", secret=True, help="以 SM3 摘要发送，明文不出商城"),
    )
    paths = {**wire.PATHS, **ORDER_PATHS}
    order_sku_key = "skuId"
    batch_size = wire.BATCH_MAX
    add_parts = ("detail", "shelf", "images", "prices")
    change_parts = {ChangeKind.DETAIL: ("detail", "images")}
    polls_prices = True
    content_profile = ContentProfile(required=REQUIRED, flags=("energy_saving", "environmental", "imported"),
                                     main_image="main_image")

    def __init__(self, supplier, endpoint=None, retry=None):
        super().__init__(supplier, endpoint)
        self.retry = retry or RetryPolicy(
            max_attempts=settings.CATALOG_CALL_ATTEMPTS, base_seconds=settings.CATALOG_CALL_BACKOFF_SECONDS,
            cap_seconds=10 * settings.CATALOG_CALL_BACKOFF_SECONDS, jitter=0.2,
        )
        self.detail_batch = self.batch_size  # becomes 1 once the platform shows it answers one SKU per call
        # our area code → the supplier's county id; None: the supplier's stored mapping (SupplierArea rows). The
        # docking test tool maps a test environment's tree in memory instead.
        self.area_ids = None

    def token_expired(self, document):
        return wire.token_expired(document)

    def order_area(self, request):
        """The supplier's own county id for our delivery county (§2.10: the area mapping)."""
        return {"area": self.their_area(request.area_path[-1])}

    def their_area(self, area_code):
        if self.area_ids is None:
            return remote_area_id(self.supplier, area_code)
        return remote_area_in(self.area_ids, self.supplier, area_code)

    # --- §2.2 -----------------------------------------------------------------------------------

    def obtain_token(self):
        params = {"username": self.endpoint["username"], "password": crypto.sm3_hex(self.endpoint["password"]),
                  "timestamp": wire.now_text()}
        result = self.post_once("access_token", params, self.counterparty(), timeout=TOKEN_CALL_TIMEOUT)
        token = result.get("access_token") if isinstance(result, dict) else None
        if not token or not isinstance(token, str):
            raise http.BadReply("access_token 回复中没有 access_token")
        expires_at = wire.parse_time(result.get("expires_at"))
        if expires_at is None:
            seconds = str(result.get("expires_in"))
            expires_at = timezone.now() + timedelta(seconds=int(seconds) if seconds.isdigit() else 36 * 3600)
        return token, expires_at

    # --- the change feed ------------------------------------------------------------------------

    def changes(self, cursor, limit):
        state = FeedState.load(cursor)
        if state.walk is not None or state.census_due():
            return self._census_page(state, limit)
        return self._lists_page(state)

    def acknowledge(self, event_ids):
        """The mall standard has no acknowledgement."""

    def _census_page(self, state, limit):
        pools = ()
        if state.walk is None:
            pools = tuple(wire.read_pools(self.authorised("pools", {})))
            state.start_census([pool for pool, _name in pools])
        events = []
        while state.walk["pools"] and len(events) < limit:
            events += self._pool_page(state)
        if not state.walk["pools"]:
            events.append(state.end_census())
        return FeedPage(events=events, cursor=state.dump(), pools=pools)

    def _pool_page(self, state):
        pool, page = state.walk["pools"][0], state.walk["page"]
        result = as_object(self.authorised("skus", {"pool": pool, "pageNo": str(page),
                                                    "pageSize": str(wire.PAGE_MAX)}, reference=pool))
        skus, page_count = wire.read_sku_page(result)
        state.next_page(page >= page_count or not skus)
        census = str(state.census_no)
        return [ChangeEvent(id=f"c{census}:{sku}", kind=ChangeKind.PRESENT, sku=sku, census=census,
                            raw={"pool": pool, "pageNo": page}, problem=_sku_problem(sku)) for sku in skus]

    def _lists_page(self, state):
        """Both lists from the last time seen in them (less the overlap) up to the supplier's own now: windows go by
        the supplier's clock, so a clock ahead of or behind ours loses nothing."""
        start = state.since_moment() - LIST_OVERLAP
        events = self._listed("new_skus", "n", ChangeKind.ADDED, start)
        events += self._listed("modified_skus", "m", ChangeKind.DETAIL, start)
        latest = max((event.time for event in events if event.time), default=None)
        if latest is not None and latest > state.since_moment():
            state.since = wire.format_time(latest)
        return FeedPage(events=events, cursor=state.dump())

    def _listed(self, interface, prefix, kind, start):
        events, page, page_count = [], 1, 1
        while page <= page_count:
            result = as_object(self.authorised(interface, {
                "startTime": wire.format_time(start), "pageNo": str(page), "pageSize": str(wire.PAGE_MAX)}))
            listed, page_count = wire.read_listed_page(result)
            events += [ChangeEvent(id=f"{prefix}:{wire.compact_time(at)}:{sku}", kind=kind, sku=sku,
                                   time=at, raw={"interface": interface, "time": wire.format_time(at) if at else ""},
                                   problem=_sku_problem(sku)) for sku, at in listed]
            page += 1
        return events

    # --- §2.5–§2.9 ------------------------------------------------------------------------------

    def details(self, skus):
        """§2.5, in batches; a platform that answers only the first SKU of a batch is asked one by one."""
        answered = {}
        remaining = list(dict.fromkeys(skus))
        while remaining:
            chunk, remaining = remaining[:self.detail_batch], remaining[self.detail_batch:]
            records = self._records("detail", chunk, wire.read_detail)
            if len(chunk) > 1 and len(records) <= 1 and records and records[0].sku == chunk[0]:
                self.detail_batch = 1  # single-SKU platform: the rest go one at a time
                remaining = chunk[1:] + remaining
            answered.update(self._answers("detail", set(chunk), records))
        return answered

    def shelf_states(self, skus):
        return self._batch("shelf", "shelf_states", skus, wire.read_shelf)

    def images(self, skus):
        return self._batch("images", "images", skus, wire.read_images)

    def prices(self, skus):
        return self._batch("prices", "prices", skus, wire.read_price)

    def ratings(self, skus):
        return self._batch("ratings", "ratings", skus, wire.read_rating)

    def _batch(self, part, interface, skus, read, **extra):
        return self.batched(part, skus, lambda chunk: self._records(interface, chunk, read, **extra))

    def _records(self, interface, chunk, read, **extra):
        result = self.authorised(interface, {"sku": wire.LIST_SEPARATOR.join(chunk), **extra})
        return [read(item) for item in as_list(result) if isinstance(item, dict)]

    # --- §2.10 / §2.11 --------------------------------------------------------------------------

    def areas(self):
        """The supplier's tree, level by level (provinces, then each one's cities, then each city's counties)."""
        found, parents = [], [""]
        for _level in (1, 2, 3):
            children = []
            for parent in parents:
                params = {"parentId": parent} if parent else {}
                result = as_list(self.authorised("areas", params, reference=parent or "省级"))
                children += [wire.read_area(item, parent) for item in result if isinstance(item, dict)]
            found += children
            parents = [area.id for area in children if area.id]
        return found

    def stock(self, skus, area_code):
        """§2.11 for one of our areas, asked with the supplier's own id of it (the area mapping)."""
        their_area = self.their_area(area_code)
        return self._batch("stock", "stock", skus, lambda item: wire.read_stock(item, area_code), area=their_area)

    # --- the optional interfaces (☆) ------------------------------------------------------------

    def accessories(self):
        return [wire.read_accessory(item) for item in self._pages("accessories") if isinstance(item, dict)]

    def accessory_links(self, skus=None):
        if skus is None:
            items = self._pages("accessory_links")
        else:
            items = [item for chunk in _chunks(skus, self.batch_size)
                     for item in as_list(self.authorised("accessory_links", {"sku": wire.LIST_SEPARATOR.join(chunk)}))]
        links = [wire.read_links(item) for item in items if isinstance(item, dict)]
        return {link.sku: link for link in links if link.sku}

    def warranty(self, skus, area_code):
        their_area = self.their_area(area_code)
        offers = {}
        for chunk in _chunks(skus, self.batch_size):
            result = self.authorised("warranty", {"sku": wire.LIST_SEPARATOR.join(chunk), "area": their_area})
            for item in as_list(result):
                if isinstance(item, dict) and text(item.get("sku")) in chunk:
                    offers[text(item.get("sku"))] = wire.read_warranty(item, area_code)
        return offers

    def group_buys(self):
        return [wire.read_offer("group_buy", item) for item in self._pages("group_buys") if isinstance(item, dict)]

    def specials(self):
        return [wire.read_offer("special", item) for item in self._pages("specials") if isinstance(item, dict)]

    def tiers(self, skus):
        found = {}
        for chunk in _chunks(skus, self.batch_size):
            for item in as_list(self.authorised("tiers", {"sku": wire.LIST_SEPARATOR.join(chunk)})):
                if isinstance(item, dict):
                    found[text(item.get("sku"))] = wire.read_tiers(item)
        return found

    def _pages(self, interface):
        items, page, page_count = [], 1, 1
        while page <= page_count:
            result = as_object(self.authorised(interface, {"pageNo": str(page), "pageSize": str(wire.PAGE_MAX)}))
            page_items, page_count = wire.page_items(result)
            items += page_items
            page += 1
        return items


class FeedState:
    """The cursor of the mall feed, as JSON: the list window's start, the census in progress and the last one's end."""

    def __init__(self, since="", census_no=0, walk=None, census_done=""):
        self.since, self.census_no, self.walk, self.census_done = since, census_no, walk, census_done

    @classmethod
    def load(cls, cursor):
        try:
            return cls(**json.loads(cursor)) if cursor else cls()
        except (ValueError, TypeError):
            return cls()

    def dump(self):
        return json.dumps({"since": self.since, "census_no": self.census_no, "walk": self.walk,
                           "census_done": self.census_done}, ensure_ascii=False, separators=(",", ":"))

    def census_due(self):
        done = _instant(self.census_done)
        return done is None or timezone.now() - done >= timedelta(hours=settings.CATALOG_POOL_WALK_HOURS)

    def start_census(self, pools):
        self.census_no += 1
        self.walk = {"pools": list(dict.fromkeys(pools)), "page": 1, "started": timezone.now().isoformat()}

    def next_page(self, pool_done):
        if pool_done:
            self.walk["pools"].pop(0)
            self.walk["page"] = 1
        else:
            self.walk["page"] += 1

    def end_census(self):
        started = _instant(self.walk["started"])
        event = ChangeEvent(id=f"c{self.census_no}:end", kind=ChangeKind.CENSUS_END, sku="", time=started,
                            census=str(self.census_no), raw={"started": self.walk["started"]})
        self.census_done, self.walk = timezone.now().isoformat(), None
        # After the first docking, the lists are read from its start.
        self.since = self.since or (wire.format_time(started) if started else "")
        return event

    def since_moment(self):
        return wire.parse_time(self.since) or timezone.now() - LIST_OVERLAP


def _instant(text):
    """Our own instants in the cursor (census start and end), kept to the microsecond."""
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _sku_problem(sku):
    if wire.LIST_SEPARATOR in sku:
        return f"商品编号「{sku}」含有列表分隔符“{wire.LIST_SEPARATOR}”，无法批量查询"
    if len(sku) > 64:
        return f"商品编号「{sku[:64]}…」超过 64 个字符"
    return ""


def _chunks(items, size):
    return chunks(dict.fromkeys(items), size)
