"""A reference supplier platform on the older 网上商城 standard (seed 001), serving docs/mall-supplier-contract.md.

It keeps a generated catalog, its 品目池 (pools), an area tree and the new / modified SKU lists in memory,
and serves its product images and pages itself (under `public_url`, or the address a request came to).
Tests change products through `add`, `remove`, `put_in_pool`, `set_price`, `set_shelf` and
`change_detail` and compare the mall against `truth()`. The catalog interfaces are in
sandbox_catalog_interfaces.py, the order interfaces (§22–§31) in sandbox_orders.py, each a mixin.

Fault switches beyond the base ones (settable with POST /_sandbox/faults or `faults.update(...)`):
  token_expire_after=N    each token is refused (1004, token_expired) after N calls
  omit_skus=A,B           these SKUs are left out of every batch reply
  conflicting_skus=A,B    these SKUs appear twice in every batch reply, the second time with another value
  success_as_text=1       `success` is sent as the text "true" / "false"
  alien_pool=1            one more pool, Z9901 "非标品目" (not one of our categories), holding a few SKUs
                          that are also in their proper pools
  unmatched_areas=1       some county names spelled otherwise ("和平区" as "和平"), the last county renamed
  single_sku_detail=1     detail answers only the first SKU of a batch
  dead_images=A,B         these SKUs' images answer 404
  optional_missing=ratings,warranty,…   those ☆ interfaces answer HTTP 404 with an HTML page (never built);
                          names: ratings accessories warranty accessory_links group_buys specials tiers
and the switches that break one docking test case each (procurement/suppliers/mall/docking.py):
  token_no_expiry=1       access_token answers neither expires_at nor expires_in
  accept_any_password=1   access_token accepts a wrong password
  expired_without_mark=1  a token it never issued is refused with 9999 "令牌无效" (no token_expired)
  blank_names=1           every detail is sent without its name
  batch_limit=N           batches of up to N SKUs are answered (default 100)
  price_above_mall=A,B    these SKUs' price is sent 1.00 above their market price
  stock_unreadable=1      stock is sent as the text "有货" instead of a number
and slow_interfaces, pretty_json, html_errors (procurement/suppliers/sandbox_faults.py), order_track_broken, and
the order switches (price_changed, out_of_stock, lose_submit_reply, split_orders, slow_logistics,
reconciliation_disagree, invoice_late, payment_rejected, auto_progress: procurement/suppliers/sandbox_orders.py
and sandbox_orders.py here); out_of_stock=AREA also makes the stock interface answer 0 there.
"""
import threading
from datetime import datetime, timedelta

from procurement.kernel import crypto
from procurement.kernel.sandbox import Sandbox
from procurement.kernel.wire import SHANGHAI, format_wire_time
from procurement.suppliers import sandbox_faults
from procurement.suppliers.mall import sandbox_extras as extras
from procurement.suppliers.mall.sandbox_areas import AreaTree
from procurement.suppliers.mall.sandbox_catalog_interfaces import CatalogInterfaces
from procurement.suppliers.mall.sandbox_files import file_prefix, not_found, serve_file
from procurement.suppliers.mall.sandbox_orders import MallOrderInterfaces
from procurement.suppliers.mall.sandbox_protocol import (
    BATCH_MAX,
    TOKEN_EXPIRED_DESC,
    Call,
    Code,
    Refusal,
    fail,
    ok,
    split_list,
)
from procurement.suppliers.sandbox_catalog import Reference, generate, leaf_for
from procurement.suppliers.sandbox_order_records import ReplyLost

TOKEN_LIFETIME = timedelta(hours=36)
# The login the sandbox accepts unless told otherwise.
SANDBOX_USERNAME = "mall"
SANDBOX_PASSWORD = "sandbox-password"
SKU_PREFIX = "MS"  # the e-mall sandbox's SKUs start with SB: the two never look alike
ALIEN_POOL, ALIEN_POOL_NAME = "Z9901", "非标品目"
SECOND_POOL_EVERY = 40  # every 40th product is also in the next category's pool
ALIEN_EVERY, ALIEN_AT, ALIEN_MAX = 30, 3, 5  # the products in the alien pool: index % 30 == 3, at most 5
EXTRA_FIELDS = ("service", "config", "energySaving", "environmental", "imported")


class MallSupplierSandbox(MallOrderInterfaces, CatalogInterfaces, Sandbox):
    name = "电商平台（网上商城对接标准）"
    token_lifetime = TOKEN_LIFETIME

    def __init__(self, products=None, *, username=SANDBOX_USERNAME, password=SANDBOX_PASSWORD, faults=None,
                 seed=7, reference=None):
        super().__init__(faults)
        reference = reference or Reference()
        self.products, self.seed = products or {}, seed
        self.username, self.password_digest = username, crypto.sm3_hex(password)
        self.public_url = None  # e.g. "http://127.0.0.1:8104"; None: the address each request came to
        self.started = datetime.now(tz=SHANGHAI).replace(microsecond=0)
        self._clock, self.clock_offset = self.started, timedelta()
        self.tokens = {}  # token → {"expires_at", "calls"}
        self.tokens_issued = 0
        self.state_lock = threading.RLock()
        self._set_up_catalog(reference)
        self._set_up_orders()
        self.routes.update(self.catalog_routes())
        self.routes.update(self.order_routes())

    def _set_up_catalog(self, reference):
        self.pools = {}  # pool id → {sku: None}, an ordered set
        self.pool_names = {c["code"]: c["name"] for c in reference.leaves + reference.inner}
        self.pool_names[ALIEN_POOL] = ALIEN_POOL_NAME
        self.home_pools = _home_pools(self.products, reference)
        self.changes = []  # ("new" | "modified", sku, time), oldest first
        self.areas = AreaTree(reference.area_rows)
        self.accessories = extras.accessories(self.seed)
        self.group_buys = extras.offers(self.products, self.seed, self.started, "group_buy")
        self.specials = extras.offers(self.products, self.seed, self.started, "special")

    # --- changes a test makes on the supplier side ----------------------------------------------

    def place(self, skus=None):
        """A first docking's pools: SKUs (default: all) into their pools, listed nowhere."""
        with self.state_lock:
            for sku in self.products if skus is None else skus:
                self._into_pools(sku, self.home_pools[sku])

    def add(self, skus=None, pool=None):
        """SKUs (default: all) into their pools (or `pool`), each listed in new_skus."""
        with self.state_lock:
            for sku in self.products if skus is None else skus:
                self._into_pools(sku, [pool] if pool else self.home_pools[sku])
                self._record("new", sku)

    def remove(self, skus):
        """Out of every pool, silently: the mall finds it by walking the pools."""
        with self.state_lock:
            for members in self.pools.values():
                for sku in skus:
                    members.pop(sku, None)

    def put_in_pool(self, sku, pool):
        with self.state_lock:
            self._into_pools(sku, [pool])

    def set_price(self, sku, price, market_price=None):
        with self.state_lock:
            product = self.products[sku]
            product.price, product.mall_price = str(price), str(market_price or product.mall_price)

    def set_shelf(self, sku, on):
        with self.state_lock:
            self.products[sku].shelf = 1 if on else 0

    def change_detail(self, sku, attributes=None, **detail):
        """Detail fields (the mall standard's service, config… included), `images` or parameters
        ({attributeId: value}); listed in modified_skus."""
        with self.state_lock:
            product = self.products[sku]
            if "images" in detail:
                product.images = detail.pop("images")
            product.extra.update({k: v for k, v in detail.items() if k in EXTRA_FIELDS})
            product.detail.update({k: v for k, v in detail.items() if k not in EXTRA_FIELDS})
            for attribute_id, value in (attributes or {}).items():
                product.attributes = [a for a in product.attributes if a["attributeId"] != attribute_id]
                product.attributes.append({"attributeId": attribute_id, "value": value})
            self._record("modified", sku)

    def truth(self):
        """What the mall should list: SKU → Product for every SKU in at least one pool."""
        with self.state_lock:
            pooled = {sku for members in self.visible_pools().values() for sku in members}
            return {sku: product for sku, product in self.products.items() if sku in pooled}

    def travel(self, delta):
        """Move the sandbox's clock on (tokens expire, the lists' default endTime moves)."""
        with self.state_lock:
            self.clock_offset += delta

    def area_id(self, our_code):
        """The supplier's id of one of our area codes."""
        return self.areas.id_by_code[our_code]

    def _into_pools(self, sku, pools):
        if sku not in self.products:
            raise KeyError(f"no such product: {sku}")
        for pool in pools:
            self.pools.setdefault(pool, {})[sku] = None

    def _record(self, kind, sku):
        # Each change a second later than the one before: their order is unambiguous.
        self._clock += timedelta(seconds=1)
        self.changes.append((kind, sku, self._clock))

    # --- what the interfaces read ---------------------------------------------------------------

    def now(self):
        """The supplier's present: the wall clock (moved by `travel`), past its last change (which may run ahead
        of the wall clock, a second per change)."""
        wall = datetime.now(tz=SHANGHAI) + self.clock_offset
        return max(wall, self._clock + timedelta(seconds=1)) if self.changes else wall

    def visible_pools(self):
        return {pool: members for pool, members in self.pools.items()
                if pool != ALIEN_POOL or self._switch("alien_pool")}

    def pool_name(self, pool):
        return self.pool_names.get(pool, f"品目池 {pool}")

    def changes_between(self, kind, start, end):
        """§18/§19 rows in [start, end): each SKU once, at its latest change in the window, oldest first."""
        latest = {sku: moment for listed, sku, moment in self.changes if listed == kind and start <= moment < end}
        return [{"sku": sku, "time": format_wire_time(moment)}
                for sku, moment in sorted(latest.items(), key=lambda item: item[1])]

    # --- serving --------------------------------------------------------------------------------

    def handle(self, request):
        sandbox_faults.pause_for(self.faults, request.path)
        prefix = file_prefix(request.path)
        if prefix is None:
            return super().handle(request)
        with self.lock:
            self.calls[prefix] += 1
        injected = self._injected_fault()  # the image host is as slow and flaky as the interfaces
        if injected is not None:
            return injected
        with self.state_lock:
            return serve_file(self.products, request.path, self._listed("dead_images"))

    def _route(self, handler, *, token=True, optional=None):
        """`handler(call)` as an interface: the ☆ switch, the token, and the §1 envelope around its result."""
        def route(request):
            if optional and optional in self._listed("optional_missing"):
                return not_found()
            try:
                call = Call(request.params(), self.public_url or f"http://{request.headers.get('host', '')}",
                            batch_max=int(self.faults.extra.get("batch_limit") or BATCH_MAX))
            except ValueError:
                return self._reply(fail(Code.PARAMETER, "请求体无法解析：应为表单或 JSON 对象"))
            with self.state_lock:
                try:
                    if token:
                        self._use_token(call)
                    return self._reply(ok(handler(call)))
                except Refusal as refusal:
                    if refusal.code == Code.PARAMETER and self._switch("html_errors"):
                        return sandbox_faults.HTML_ERROR
                    return self._reply(fail(refusal.code, refusal.desc))
                except ReplyLost as lost:  # done, but the caller never hears so
                    return lost.response
        return route

    def _use_token(self, call):
        held = self.tokens.get(str(call.params.get("token") or ""))
        limit = int(self.faults.extra.get("token_expire_after") or 0)
        if held is None and self._switch("expired_without_mark"):
            raise Refusal(Code.OTHER, "令牌无效")
        if held is None or self.now() >= held["expires_at"] or (limit and held["calls"] >= limit):
            raise Refusal(Code.TOKEN_EXPIRED, TOKEN_EXPIRED_DESC)
        held["calls"] += 1

    def _reply(self, document):
        if self._switch("success_as_text"):
            document = {**document, "success": "true" if document["success"] else "false"}
        return sandbox_faults.json_reply(self.faults, document)

    def _switch(self, name):
        return str(self.faults.extra.get(name, "")).lower() in ("1", "true", "yes", "on")

    def _listed(self, name):
        return set(split_list(self.faults.extra.get(name, "")))


def _home_pools(products, reference):
    """SKU → its pools: its category's (the generated one, if a breaker spoiled it), every 40th in a second
    one, a few also in the alien pool (shown only with alien_pool on)."""
    leaf_codes = {category["code"] for category in reference.leaves}
    pools = {}
    for index, product in enumerate(products.values()):
        category = product.detail.get("category")
        pools[product.sku] = [category if category in leaf_codes else leaf_for(index, reference)["code"]]
        if index % SECOND_POOL_EVERY == SECOND_POOL_EVERY - 1:
            pools[product.sku].append(leaf_for(index + 1, reference)["code"])
        if index % ALIEN_EVERY == ALIEN_AT and index // ALIEN_EVERY < ALIEN_MAX:
            pools[product.sku].append(ALIEN_POOL)
    return pools


def build_sandbox(skus, *, seed=7, broken=True, pooled=None, **credentials):
    """A sandbox of `skus` generated products (MS000001…), the first `pooled` (default: all) in their pools:
    a first docking. The others are known to the supplier but in no pool yet (for `add`)."""
    products = generate(skus, seed=seed, broken=broken, base_url="", prefix=SKU_PREFIX)
    sandbox = MallSupplierSandbox(products, seed=seed, **credentials)
    sandbox.place(list(products)[:pooled])
    return sandbox


DEMO_AUTO_PROGRESS = "60,120"  # a confirmed order ships a minute later and is delivered two minutes after that


def build_demo_sandbox(public_base_url):
    """`make run`: a few hundred products, a dozen of which break a validation rule each; orders progress
    on their own.

    `public_base_url` is the mall's address: this sandbox needs none (it renders its own URLs from the
    address each request came to, unless `public_url` is set).
    """
    sandbox = build_sandbox(300)
    sandbox.faults.update(auto_progress=DEMO_AUTO_PROGRESS)
    return sandbox
