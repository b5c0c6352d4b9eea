"""The catalog side of the mall sandbox: contract §2–§19 (token, pools, products, areas, stock, ☆ data, lists).

A mixin for MallSupplierSandbox (procurement/suppliers/mall/sandbox.py), which holds the state these read
and wraps each handler in `_route` (token, envelope, refusals); the order interfaces are another mixin with
its own `order_routes()` (sandbox_orders.py). Each handler takes a `Call` and returns the `result`, or raises
`Refusal`.
"""
import secrets

from procurement.kernel import crypto
from procurement.kernel.wire import format_wire_time
from procurement.suppliers.mall import sandbox_extras as extras
from procurement.suppliers.mall import sandbox_rows as rows
from procurement.suppliers.mall.sandbox_protocol import Code, Refusal, paged

# The ☆ interfaces, by the name `optional_missing` takes: path → name
OPTIONAL = {"/api/product/ratings": "ratings", "/api/product/accessories": "accessories",
            "/api/product/warranty": "warranty", "/api/product/accessory_links": "accessory_links",
            "/api/promotion/group_buys": "group_buys", "/api/promotion/specials": "specials",
            "/api/promotion/tiers": "tiers"}


class CatalogInterfaces:
    def catalog_routes(self):
        handlers = {
            "/api/product/pools": self.pool_list, "/api/product/skus": self.pool_skus,
            "/api/product/detail": self.details, "/api/product/shelf_states": self.shelf_states,
            "/api/product/images": self.images, "/api/product/prices": self.prices,
            "/api/area/children": self.area_children, "/api/product/stock": self.stock,
            "/api/product/new_skus": self.new_skus, "/api/product/modified_skus": self.modified_skus,
            "/api/product/ratings": self.ratings, "/api/product/accessories": self.accessory_list,
            "/api/product/warranty": self.warranty, "/api/product/accessory_links": self.accessory_links,
            "/api/promotion/group_buys": self.group_buy_list, "/api/promotion/specials": self.special_list,
            "/api/promotion/tiers": self.tiers,
        }
        routes = {path: self._route(handler, optional=OPTIONAL.get(path)) for path, handler in handlers.items()}
        routes["/api/auth/access_token"] = self._route(self.access_token, token=False)
        return routes

    # --- §2 token ---------------------------------------------------------------------------------

    def access_token(self, call):
        username, password = call.text("username"), call.text("password").lower()
        call.time("timestamp")
        if username != self.username or not (crypto.constant_time_equals(password, self.password_digest)
                                             or self._switch("accept_any_password")):
            raise Refusal(Code.CREDENTIALS, "用户名或密码错误（password 应为密码的 SM3 摘要，小写十六进制）")
        token, expires_at = secrets.token_hex(16), self.now() + self.token_lifetime
        self.tokens[token] = {"expires_at": expires_at, "calls": 0}
        self.tokens_issued += 1
        if self._switch("token_no_expiry"):
            return {"access_token": token}
        return {"access_token": token, "expires_at": format_wire_time(expires_at),
                "expires_in": int(self.token_lifetime.total_seconds())}

    # --- §3–§9 pools and products -----------------------------------------------------------------

    def pool_list(self, call):
        return [{"id": pool, "name": self.pool_name(pool)} for pool in sorted(self.visible_pools())]

    def pool_skus(self, call):
        pool = call.text("pool")
        members = self.visible_pools().get(pool)
        if members is None:
            raise Refusal(Code.PARAMETER, f"pool：品目池 {pool} 不存在")
        return paged(list(members), call.page(), key="skus", pool=pool)

    def details(self, call):
        skus = call.skus()[:1] if self._switch("single_sku_detail") else call.skus()
        return self._batch(skus, lambda product: rows.detail(product, call.base_url))

    def shelf_states(self, call):
        return self._batch(call.skus(), rows.shelf)

    def images(self, call):
        return self._batch(call.skus(), lambda product: rows.images(product, call.base_url))

    def prices(self, call):
        return self._batch(call.skus(), rows.prices)

    def ratings(self, call):
        return self._batch(call.skus(), lambda product: extras.rating(self.seed, product.sku))

    # --- §10–§11 areas and stock ------------------------------------------------------------------

    def area_children(self, call):
        parent = call.text("parentId", required=False)
        try:
            return self.areas.children(parent, unmatched=self._switch("unmatched_areas"))
        except KeyError:
            raise Refusal(Code.AREA, f"parentId：地区 {parent} 不存在") from None

    def stock(self, call):
        county = self._county(call)
        empty = self.area_out_of_stock(county)
        return self._batch(call.skus(), lambda product: rows.stock(product, county, empty))

    def _county(self, call):
        area_id = call.text("area")
        county = self.areas.county(area_id)
        if county is None:
            raise Refusal(Code.AREA, f"area：地区 {area_id} 不存在或不是区县（应为电商的区县 id）")
        return county

    # --- ☆ §12–§17 ----------------------------------------------------------------------------------

    def accessory_list(self, call):
        return paged(self.accessories, call.page())

    def accessory_links(self, call):
        def links(product):
            return {"sku": product.sku, "accessories": extras.accessory_links(self.seed, product.sku, self.accessories)}
        if call.text("sku", required=False):
            return self._batch(call.skus(), links)
        linked = [row for row in map(links, self.products.values()) if row["accessories"]]
        return paged(linked, call.page())

    def warranty(self, call):
        county = self._county(call)
        return self._batch(call.skus(), lambda product: {
            "sku": product.sku, "area": county.id, "services": extras.warranty(self.seed, product, county.code)})

    def group_buy_list(self, call):
        return paged(self.group_buys, call.page())

    def special_list(self, call):
        return paged(self.specials, call.page())

    def tiers(self, call):
        return self._batch(call.skus(), lambda product: {"sku": product.sku,
                                                         "tiers": extras.tiers(self.seed, product.sku)})

    # --- §18–§19 new and modified SKUs -------------------------------------------------------------

    def new_skus(self, call):
        return self._listed_changes("new", call)

    def modified_skus(self, call):
        return self._listed_changes("modified", call)

    def _listed_changes(self, kind, call):
        start, end = call.time("startTime"), call.time("endTime", default=self.now())
        page = call.page()
        return paged(self.changes_between(kind, start, end), page, key="skus")

    # --- batches ------------------------------------------------------------------------------------

    def _spoiled(self, row):
        """A row as the docking-case switches spoil it (blank_names, price_above_mall, stock_unreadable)."""
        if "name" in row and self._switch("blank_names"):
            row = {**row, "name": ""}
        if "marketPrice" in row and row["sku"] in self._listed("price_above_mall"):
            row = {**row, "price": rows.money_plus_one(row["marketPrice"])}
        if "num" in row and self._switch("stock_unreadable"):
            row = {**row, "num": "有货"}
        return row

    def _batch(self, skus, shape):
        """One row per known SKU asked for; the omit_skus / conflicting_skus switches applied."""
        omitted, conflicting = self._listed("omit_skus"), self._listed("conflicting_skus")
        result = []
        for sku in skus:
            if sku in self.products and sku not in omitted:
                result.append(self._spoiled(shape(self.products[sku])))
                if sku in conflicting:
                    result.append(rows.conflicting(result[-1]))
        return result
