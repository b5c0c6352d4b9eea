"""A reference supplier platform on the e-mall standard (§7.2.1–§7.2.12), serving docs/supplier-contract.md.

It keeps a generated catalog and a message pool in memory. Tests and the benchmark change products
through `add`, `remove`, `set_price`, `set_shelf` and `change_detail` (each queues the §6.3 message the
change calls for) and compare the mall against `truth()`. Fault switches, beyond the base ones
(settable with POST /_sandbox/faults):
  token_expire_after=N   each token is refused with 5005 token_expired after N calls
  duplicate_messages=1   every message appears twice in each getMessagePool reply
  out_of_order=1         getMessagePool replies are shuffled
  omit_skus=A,B          these SKUs are left out of every batch reply
  conflicting_skus=A,B   these SKUs appear twice in every batch reply, the second time with other values
  attribute_key=K        parameters are sent under the key K (the seed spells it attributeID; default attributeId)
  success_as_text=1      `success` is sent as the text "true" / "false" (§6.1's table types it as a string)
and the switches that break one docking test case each (procurement/suppliers/emall/docking.py):
  token_no_expiry=1      access_token answers neither expires_at nor expires_in
  accept_any_password=1  access_token accepts a wrong password
  expired_without_mark=1 a token it never issued is refused with 5099 "令牌无效" (no token_expired)
  blank_names=1          every detail is sent without its name
  batch_limit=N          batches of up to N SKUs are answered (default 100)
  price_above_mall=A,B   these SKUs' price is sent 1.00 above their mall price
  stock_unreadable=1     stock is sent as the text "有货" instead of a number
  malformed_messages=1   the first message of every getMessagePool reply has no id
  del_not_idempotent=1   deleting a message already deleted is refused
  deleted_return=1       delMessagePool says it deleted, and keeps the messages
  unknown_id_error=1     deleting an id it never issued is refused
and slow_interfaces, pretty_json, html_errors (procurement/suppliers/sandbox_faults.py), order_track_broken and the
other order-side ones (procurement/suppliers/sandbox_orders.py).
The order interfaces (§14–§22) are in sandbox_orders.py, with their own switches (price_changed, out_of_stock,
lose_submit_reply, split_orders, slow_logistics, reconciliation_disagree, invoice_late, payment_rejected,
auto_progress); out_of_stock=AREA also makes the stock interface answer 0 there.
"""
import secrets
import threading
from datetime import datetime, timedelta
from decimal import Decimal

from procurement.kernel import crypto
from procurement.kernel.sandbox import Sandbox
from procurement.kernel.wire import SHANGHAI, format_wire_time
from procurement.suppliers import sandbox_faults
from procurement.suppliers.emall.sandbox_orders import EmallOrderInterfaces
from procurement.suppliers.emall.wire import (
    EMALL_BATCH_MAX,
    EMALL_STATE_OFF,
    EMALL_STATE_ON,
    ErrorCode,
    emall_fail,
    emall_ok,
    emall_split_list,
)
from procurement.suppliers.sandbox_catalog import generate
from procurement.suppliers.sandbox_order_records import switch_list

BATCH_INTERFACES = ("detail_standard", "product_attributes_standard", "product_promise", "shelf_states", "images",
                    "prices")
POOL_PAGE_MAX = 1000
TOKEN_LIFETIME = timedelta(hours=2)
# The login the sandbox accepts unless told otherwise (the demo supplier row is set up with it).
SANDBOX_USERNAME = "mall"
SANDBOX_PASSWORD = "sandbox-password"


class EmallSupplierSandbox(EmallOrderInterfaces, Sandbox):
    name = "电商平台（电子卖场对接标准）"

    def __init__(self, products=None, *, username=SANDBOX_USERNAME, password=SANDBOX_PASSWORD, faults=None):
        super().__init__(faults)
        self.products = products or {}
        self.username, self.password_digest = username, crypto.sm3_hex(password)
        self.pool = set()
        self.pending = {}  # message id → message, oldest first
        self.deleted = []  # every id delMessagePool removed, in order
        self.tokens = {}  # token → calls made with it
        self.tokens_issued = 0
        self._next_id = 1
        self._clock = datetime.now(tz=SHANGHAI).replace(microsecond=0)
        self.state_lock = threading.RLock()
        self.routes = {"/api/auth2/access_token": self.access_token, "/api/product/getMessagePool": self.get_messages,
                       "/api/product/delMessagePool": self.delete_messages, "/api/product/stock": self.stock}
        for interface in BATCH_INTERFACES:
            self.routes[f"/api/product/{interface}"] = self._batch_route(interface)
        self._set_up_orders()
        self.routes.update(self.order_routes())

    def handle(self, request):
        sandbox_faults.pause_for(self.faults, request.path)
        return super().handle(request)

    # --- changes a test makes on the supplier side ----------------------------------------------

    def add(self, skus=None):
        """Put SKUs (default: all) into the mall's pool: one type-6 add message each."""
        for sku in self.products if skus is None else skus:
            self.pool.add(sku)
            self._queue(6, sku, EMALL_STATE_ON)

    def remove(self, skus):
        for sku in skus:
            self.pool.discard(sku)
            self._queue(6, sku, EMALL_STATE_OFF)

    def set_price(self, sku, price, mall_price=None):
        product = self.products[sku]
        product.price, product.mall_price = str(price), str(mall_price or product.mall_price)
        self._queue(2, sku)

    def set_shelf(self, sku, on):
        self.products[sku].shelf = EMALL_STATE_ON if on else EMALL_STATE_OFF
        self._queue(4, sku, self.products[sku].shelf)

    def change_detail(self, sku, attributes=None, **detail):
        product = self.products[sku]
        product.detail.update(detail)
        for attribute_id, value in (attributes or {}).items():
            product.attributes = [a for a in product.attributes if a["attributeId"] != attribute_id]
            product.attributes.append({"attributeId": attribute_id, "value": value})
        self._queue(16, sku)

    def _queue(self, kind, sku, state=None):
        with self.state_lock:
            message_id = str(self._next_id)
            self._next_id += 1
            # Each message a second later than the one before: their order is unambiguous.
            self._clock += timedelta(seconds=1)
            message = {"id": message_id, "type": kind, "time": format_wire_time(self._clock), "sku": sku}
            if state is not None:
                message["state"] = state
            self.pending[message_id] = message

    def truth(self):
        """What the mall should hold once every message is applied: SKU → the products' wire data."""
        return {sku: self.products[sku] for sku in self.pool}

    # --- interfaces -----------------------------------------------------------------------------

    def access_token(self, request):
        params = request.params()
        if params.get("username") != self.username:
            return self._reply_fail(ErrorCode.UNKNOWN_USER)
        if (not crypto.constant_time_equals(str(params.get("password", "")).lower(), self.password_digest)
                and not self._switch("accept_any_password")):
            return self._reply_fail(ErrorCode.WRONG_PASSWORD)
        if not params.get("timestamp"):
            return self._reply_fail(ErrorCode.MISSING_PARAMETER, "缺少 timestamp")
        token = secrets.token_hex(16)
        with self.state_lock:
            self.tokens[token] = 0
            self.tokens_issued += 1
        expires_at = datetime.now(tz=SHANGHAI) + TOKEN_LIFETIME
        if self._switch("token_no_expiry"):
            return self._reply_ok({"access_token": token})
        return self._reply_ok({"access_token": token, "expires_at": format_wire_time(expires_at),
                    "expires_in": int(TOKEN_LIFETIME.total_seconds())})

    def get_messages(self, request):
        refused = self._check_token(request)
        if refused:
            return refused
        size = request.params().get("size", "100")
        size = min(int(size), POOL_PAGE_MAX) if str(size).isdigit() and int(size) > 0 else 100
        with self.state_lock:
            page = list(self.pending.values())[:size]
        if self._switch("duplicate_messages"):
            page = [m for message in page for m in (message, dict(message))]
        if self._switch("out_of_order"):
            with self.lock:
                self.faults.rng.shuffle(page)
        if self._switch("malformed_messages") and page:
            page = [{key: value for key, value in page[0].items() if key != "id"}, *page[1:]]
        return self._reply_ok(page)

    def delete_messages(self, request):
        refused = self._check_token(request)
        if refused:
            return refused
        ids = emall_split_list(request.params().get("id"))
        if not ids:
            return self._reply_fail(ErrorCode.MISSING_PARAMETER, "缺少 id")
        if len(ids) > EMALL_BATCH_MAX:
            return self._reply_fail(ErrorCode.OTHER, f"一次最多删除 {EMALL_BATCH_MAX} 条消息")
        with self.state_lock:
            if self._switch("del_not_idempotent") and set(ids) & set(self.deleted):
                return self._reply_fail(ErrorCode.OTHER, "消息已删除")
            if self._switch("unknown_id_error") and any(
                    i not in self.pending and i not in self.deleted for i in ids):
                return self._reply_fail(ErrorCode.OTHER, "消息不存在")
            if self._switch("deleted_return"):
                return self._reply_ok({"deleted": sum(1 for i in ids if i in self.pending)})
            removed = [message_id for message_id in ids if self.pending.pop(message_id, None) is not None]
            self.deleted.extend(removed)
        return self._reply_ok({"deleted": len(removed)})

    def stock(self, request):
        refused = self._check_token(request)
        if refused:
            return refused
        area = str(request.params().get("area", ""))
        empty, unreadable = self.area_out_of_stock(area), self._switch("stock_unreadable")
        return self._batch(request, lambda product: {"sku": product.sku, "area": area,
                                                     "num": "有货" if unreadable else 0 if empty else
                                                     product.stock.get(area, 0)})

    def _batch_route(self, interface):
        def route(request):
            return self._check_token(request) or self._batch(request, lambda product: emall_item(product, interface))
        return route

    def _batch(self, request, shape):
        skus = emall_split_list(request.params().get("sku"))
        if not skus:
            return self._reply_fail(ErrorCode.MISSING_PARAMETER, "缺少 sku")
        limit = int(self.faults.extra.get("batch_limit") or EMALL_BATCH_MAX)
        if len(skus) > limit:
            return self._reply_fail(ErrorCode.OTHER, f"一次最多查询 {limit} 个商品")
        omitted = set(emall_split_list(self.faults.extra.get("omit_skus", "")))
        conflicting = set(emall_split_list(self.faults.extra.get("conflicting_skus", "")))
        rows = []
        for sku in skus:
            if sku in self.products and sku not in omitted:
                rows.append(self._spelled(shape(self.products[sku])))
                if sku in conflicting:
                    rows.append(_conflicting(rows[-1]))
        return self._reply_ok(rows)

    def _spelled(self, row):
        if self._switch("blank_names") and "name" in row:
            row = {**row, "name": ""}
        if "price" in row and row["sku"] in switch_list(self.faults, "price_above_mall"):
            row = {**row, "price": f"{Decimal(row['mall_price']) + 1:.2f}"}
        key = self.faults.extra.get("attribute_key")
        if key and isinstance(row.get("attributes"), list):
            row = {**row, "attributes": [{key: a["attributeId"], "value": a["value"]} for a in row["attributes"]]}
        return row

    def _reply_ok(self, result):
        return self._reply(emall_ok(result))

    def _reply_fail(self, code, desc=None):
        if code is ErrorCode.MISSING_PARAMETER and self._switch("html_errors"):
            return sandbox_faults.HTML_ERROR
        return self._reply(emall_fail(code, desc))

    def _reply(self, document):
        if self._switch("success_as_text"):
            document = {**document, "success": "true" if document["success"] else "false"}
        return sandbox_faults.json_reply(self.faults, document)

    def _check_token(self, request):
        token = request.params().get("token") or request.params().get("access_token")
        limit = int(self.faults.extra.get("token_expire_after") or 0)
        with self.state_lock:
            if token not in self.tokens and self._switch("expired_without_mark"):
                return self._reply_fail(ErrorCode.OTHER, "令牌无效")
            if token not in self.tokens or (limit and self.tokens[token] >= limit):
                return self._reply_fail(ErrorCode.TOKEN_EXPIRED)
            self.tokens[token] += 1
        return None

    def _switch(self, name):
        return str(self.faults.extra.get(name, "")).lower() in ("1", "true", "yes", "on")


def emall_item(product, interface):
    """A product as the e-mall contract's batch interfaces send it."""
    return {
        "detail_standard": lambda: {"sku": product.sku, **product.detail},
        "product_attributes_standard": lambda: {"sku": product.sku, "attributes": product.attributes},
        "product_promise": lambda: {"sku": product.sku, "promises": product.promises},
        "shelf_states": lambda: {"sku": product.sku, "state": product.shelf},
        "images": lambda: {"sku": product.sku, "images": product.images},
        "prices": lambda: {"sku": product.sku, "price": product.price, "mall_price": product.mall_price},
    }[interface]()


def _conflicting(row):
    """The same SKU's row with other values (a price, a name, a state…): what an ambiguous batch reply holds."""
    changed = dict(row)
    for key in ("price", "name", "num", "state"):
        if key in changed:
            changed[key] = f"{changed[key]}9" if key != "state" else 1 - int(changed[key])
            return changed
    changed["images"] = list(reversed(changed.get("images", [])))
    return changed


def build_sandbox(skus, *, seed=7, broken=True, base_url="https://mall.sandbox-supplier.cn", **credentials):
    """A sandbox whose `skus` products are all in the pool, each announced by a type-6 message."""
    sandbox = EmallSupplierSandbox(generate(skus, seed=seed, broken=broken, base_url=base_url), **credentials)
    sandbox.add()
    return sandbox


DEMO_AUTO_PROGRESS = "60,120"  # a confirmed order ships a minute later and is delivered two minutes after that


def build_demo_sandbox(public_base_url):
    """`make run`: a few hundred products, a dozen of which break a validation rule each; orders progress
    on their own."""
    sandbox = build_sandbox(300)
    sandbox.faults.update(auto_progress=DEMO_AUTO_PROGRESS)
    return sandbox
