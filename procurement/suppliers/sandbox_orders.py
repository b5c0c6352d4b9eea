"""The order book both sandbox suppliers keep: pre-orders that lock stock, confirm, cancel, split children, and
the supplier's own progress (ship, deliver, refusal) driven by tests, by the demo's auto-progress, or both.

Protocol-neutral; procurement/suppliers/emall/sandbox_orders.py and procurement/suppliers/mall/sandbox_orders.py
read each contract's parameters, procurement/suppliers/sandbox_order_interfaces.py serves them, and its
`OrderControls` is what a test drives the supplier side with (both sandboxes have it):

  sandbox.orders                thirdOrder → SupplierOrder (lines, state, children, packages, invoice,
                                payments, returns, locked stock); sandbox.orders_created counts orders made
  sandbox.ship(third_order, order_id=None)             confirmed parts (or the one child) → shipped, a package each
  sandbox.deliver(third_order, order_id=None)          shipped (and confirmed) parts → completed (4)
  sandbox.refuse_delivery(third_order, order_id=None)  → refused (6); its stock goes back
  sandbox.issue_invoice(third_order)   sandbox.check_payments(third_order=None)   sandbox.advance_all()

Switches (faults.extra) this book reads: price_changed, out_of_stock, split_orders, slow_logistics,
invoice_late, payment_rejected, reconciliation_disagree, auto_progress (lose_submit_reply is the protocols'),
and the ones that break a docking test case each:
  confirm_ignored=1        confirm answers success but the order stays unconfirmed (state 1)
  cancel_refused=1         cancel is refused even before confirmation
  cancel_after_confirm=1   a confirmed order can be cancelled (the contracts forbid it)
  duplicate_creates=1      a second submit with the same thirdOrder makes another order
  order_track_broken=1     the logistics interface answers a failure (sandbox_order_interfaces.py)
  invoice_broken=1         the invoice interface answers a failure (sandbox_order_interfaces.py)
  reconciliation_broken=1  the reconciliation interface answers a failure (sandbox_order_interfaces.py)
"""
from datetime import timedelta
from decimal import Decimal

from procurement.kernel.wire import format_wire_time
from procurement.suppliers.sandbox_order_records import (
    OrderRefusal,
    OrderStepError,
    Package,
    Refused,
    State,
    SupplierOrder,
    switch_count,
    switch_delays,
    switch_list,
    switch_on,
)
from procurement.suppliers.sandbox_order_settlement import Settlement

CARRIER, WAREHOUSE = "顺丰速运", "天津仓"


class OrderBook(Settlement):
    def __init__(self, products, *, lock, clock, faults, prefix, on_sale, move_price):
        """`on_sale(sku)`: whether the supplier sells it now; `move_price(sku, price)`: the supplier changes a
        price (as its own set_price does); `clock()`: the supplier's present."""
        self.products, self.lock, self.clock, self.faults, self.prefix = products, lock, clock, faults, prefix
        self.on_sale, self.move_price = on_sale, move_price
        self.orders = {}  # thirdOrder → SupplierOrder
        self._ids = {}  # every orderId (children too) → its (parent) order
        self.created = self.invoices_issued = self.packages_sent = 0
        self.serials = {}  # serialNo → (order, Payment)
        self.service_nos, self.services = {}, {}  # serviceNo / serviceId → AfterSale
        self._moved = set()  # SKUs whose price price_changed has moved

    # --- what the interfaces do -------------------------------------------------------------------

    def submit(self, third_order, lines, area, order_price, receiver):
        """(order, created): the order `third_order` already names, whatever its state; else a new one in
        state 1 with its stock locked, once every line passes."""
        with self.lock:
            if third_order in self.orders and not switch_on(self.faults, "duplicate_creates"):
                return self.orders[third_order], False
            self._move_prices(lines)
            self._check_lines(lines, area, order_price)
            self.created, now = self.created + 1, self.clock()
            order = SupplierOrder(f"{self.prefix}{now:%Y%m%d}{self.created:04d}", third_order, lines, area, receiver,
                                  now)
            for line in lines:
                order.locked[line.sku] = self._take(self.products[line.sku], area, line.num)
            self.orders[third_order] = self._ids[order.order_id] = order
            return order, True

    def find(self, third_order="", order_id=""):
        """The order named by thirdOrder or orderId (a child's too); both given must name the same one."""
        if not third_order and not order_id:
            raise OrderRefusal(Refused.MISSING, "缺少参数 thirdOrder（或 orderId）")
        by_third = self.orders.get(third_order) if third_order else None
        by_id = self._ids.get(order_id) if order_id else None
        if third_order and order_id and by_third is not by_id and (by_third or by_id):
            raise OrderRefusal(Refused.PARAMETER, f"orderId {order_id} 与 thirdOrder {third_order} 不是同一订单")
        order = by_third or by_id
        if order is None:
            named = " ".join(f"{key} {value}" for key, value in (("thirdOrder", third_order), ("orderId", order_id))
                             if value)
            raise OrderRefusal(Refused.NOT_FOUND, f"订单不存在：{named}")
        return order

    def confirm(self, order):
        """Confirmed (again: no change); with split_orders on, a several-line order splits into one child a line."""
        if order.state == State.CANCELLED:
            raise OrderRefusal(Refused.OTHER, f"订单 {order.order_id} 已取消，不能确认")
        if order.state == State.SUBMITTED and not switch_on(self.faults, "confirm_ignored"):
            order.state, order.confirmed_at = State.CONFIRMED, self.clock()
            if switch_on(self.faults, "split_orders") and len(order.lines) > 1:
                self._split(order)
        return order

    def cancel(self, order):
        """Cancelled (again: no change) and its stock released; refused once confirmed."""
        if switch_on(self.faults, "cancel_refused"):
            raise OrderRefusal(Refused.OTHER, f"订单 {order.order_id} 暂不能取消")
        allowed = (State.SUBMITTED, State.CANCELLED, State.CONFIRMED) if switch_on(
            self.faults, "cancel_after_confirm") else (State.SUBMITTED, State.CANCELLED)
        if order.state not in allowed:
            raise OrderRefusal(Refused.CONFIRMED, f"订单 {order.order_id} 已确认，不能取消（当前状态："
                                                  f"{State.LABELS[order.state]}）；可由采购人拒收")
        if order.state in (State.SUBMITTED, State.CONFIRMED):
            order.state, order.finished_at = State.CANCELLED, self.clock()
            self._release(order, order.lines)
        return order

    def track(self, order):
        """The packages sent so far; with slow_logistics=N none for the first N calls after the first left."""
        packages = order.all_packages()
        if packages:
            order.track_calls += 1
            if order.track_calls <= switch_count(self.faults, "slow_logistics"):
                return []
        return packages

    def stock_in(self, product, area):
        if area.names & switch_list(self.faults, "out_of_stock"):
            return 0
        return max(0, int(product.stock.get(area.county, 0)))

    # --- the supplier's own progress --------------------------------------------------------------

    def order(self, third_order):
        with self.lock:
            if third_order not in self.orders:
                raise OrderStepError(f"没有订单 {third_order}")
            return self.orders[third_order]

    def ship(self, third_order, order_id=None):
        with self.lock:
            order = self.order(third_order)
            parts = self._parts(order, order_id, (State.CONFIRMED,), "发货")
            packages = [self._ship(part, self.clock()) for part in parts]
            self._follow(order)
            return packages

    def deliver(self, third_order, order_id=None):
        return self._finish_parts(third_order, order_id, State.COMPLETED)

    def refuse_delivery(self, third_order, order_id=None):
        return self._finish_parts(third_order, order_id, State.REFUSED)

    def advance_all(self):
        """Every open order one step on (confirmed → shipped → delivered), the waiting payments checked and every
        open return one step on; the thirdOrders that moved."""
        with self.lock:
            moved = []
            for order in self.orders.values():
                parts = [part for part in order.parts() if part.state in (State.CONFIRMED, State.SHIPPED)]
                for part in parts:
                    self._step_on(order, part)
                self._follow(order)
                moved += [order.third_order] if parts else []
            self.check_payments()
            for service in self.services.values():
                if service.state < 4:
                    self.advance_return(service.service_id)
            return moved

    def advance_due(self):
        """auto_progress=A,B: a confirmed part ships A seconds after its confirmation and is delivered B seconds
        after it shipped; a payment is checked A seconds after it came. Each step dated when it fell due."""
        delays = switch_delays(self.faults, "auto_progress")
        if delays is None:
            return
        ship_after, deliver_after = (timedelta(seconds=seconds) for seconds in delays)
        with self.lock:
            now = self.clock()
            for order in self.orders.values():
                for part in order.parts():
                    if part.state == State.CONFIRMED and part.confirmed_at + ship_after <= now:
                        self._ship(part, part.confirmed_at + ship_after)
                    if part.state == State.SHIPPED and part.shipped_at + deliver_after <= now:
                        self._finish(order, part, State.COMPLETED, part.shipped_at + deliver_after)
                self._follow(order)
            self.check_payments(before=now - ship_after)

    # --- inside -----------------------------------------------------------------------------------

    def _move_prices(self, lines):
        """price_changed: each listed SKU's price moves once (while it stays listed), at the submit that
        first orders it, as if it had changed since the buyer saw it."""
        listed = switch_list(self.faults, "price_changed")
        self._moved &= listed
        for line in lines:
            product = self.products.get(line.sku)
            if line.sku in listed - self._moved and product is not None:
                self._moved.add(line.sku)
                self.move_price(line.sku, moved_price(product))

    def _check_lines(self, lines, area, order_price):
        total = sum((line.amount for line in lines), Decimal("0"))
        if order_price != total:
            raise OrderRefusal(Refused.PARAMETER, f"orderPrice：{order_price:.2f} 与商品金额合计 {total:.2f} 不符")
        problems = [problem for problem in (self._line_problem(line, area) for line in lines) if problem]
        if problems:
            raise OrderRefusal(problems[0][0], "；".join(desc for _, desc in problems))

    def _line_problem(self, line, area):
        product = self.products.get(line.sku)
        if product is None or not self.on_sale(line.sku):
            return Refused.PRODUCT, f"{line.sku} 商品不存在或不可售"
        if line.price != Decimal(product.price):
            return Refused.PRICE, f"{line.sku} 价格已变化：下单价 {line.price:.2f}，当前协议价 {product.price}"
        available = self.stock_in(product, area)
        if available < line.num:
            return Refused.STOCK, f"{line.sku} 库存不足：{area.label} 可售 {available}，需要 {line.num}"
        return None

    def _take(self, product, area, num):
        """Lock `num` units in each of our area codes the order's area lies in (county, city, province)."""
        taken = {}
        for code in area.codes:
            if code in product.stock:
                taken[code] = min(num, max(0, int(product.stock[code])))
                product.stock[code] -= taken[code]
        return taken

    def _release(self, order, lines):
        for line in lines:
            for code, units in order.locked.pop(line.sku, {}).items():
                self.products[line.sku].stock[code] = self.products[line.sku].stock.get(code, 0) + units

    def _split(self, order):
        order.children = [SupplierOrder(f"{order.order_id}-{n}", order.third_order, [line], order.area, order.receiver,
                                        order.submitted_at, State.CONFIRMED, order.confirmed_at)
                          for n, line in enumerate(order.lines, 1)]
        self._ids.update({child.order_id: order for child in order.children})

    def _parts(self, order, order_id, states, verb):
        parts = [part for part in order.parts() if not order_id or part.order_id == order_id]
        if order_id and not parts:
            raise OrderStepError(f"订单 {order.third_order} 没有子订单 {order_id}")
        ready = [part for part in parts if part.state in states]
        if not ready:
            raise OrderStepError(f"订单 {order.third_order} 没有可{verb}的部分（状态 "
                                 f"{', '.join(State.LABELS[part.state] for part in parts)}）")
        return ready

    def _step_on(self, order, part):
        if part.state == State.CONFIRMED:
            self._ship(part, self.clock())
        else:
            self._finish(order, part, State.COMPLETED, self.clock())

    def _ship(self, part, moment):
        self.packages_sent += 1
        lines = [{"sku": line.sku, "name": self.products[line.sku].detail.get("name", line.sku), "num": line.num}
                 for line in part.lines]
        package = Package(part.order_id, CARRIER, f"SF{self.packages_sent:010d}", f"FY{self.packages_sent:06d}",
                          lines, [_step(moment, "您的订单已出库", WAREHOUSE)])
        part.packages.append(package)
        part.state, part.shipped_at = State.SHIPPED, moment
        return package

    def _finish_parts(self, third_order, order_id, state):
        with self.lock:
            order = self.order(third_order)
            for part in self._parts(order, order_id, (State.CONFIRMED, State.SHIPPED), "妥投或拒收"):
                if part.state == State.CONFIRMED:
                    self._ship(part, self.clock())
                self._finish(order, part, state, self.clock())
            self._follow(order)
            return order

    def _finish(self, order, part, state, moment):
        content = f"已签收，签收人：{order.receiver.get('name', '')}" if state == State.COMPLETED else "客户拒收，商品退回"
        for package in part.packages:
            package.steps.append(_step(moment, content, "配送员"))
        part.state, part.finished_at = state, moment
        if state == State.REFUSED:
            self._release(order, part.lines)

    def _follow(self, order):
        """A split order's state follows its children: the least advanced open child's, and once every child
        is finished, completed if any child was delivered (refused if none); a delivered order is invoiced
        then, unless invoice_late holds it back."""
        if order.children:
            states = [child.state for child in order.children]
            open_states = [state for state in states if state not in State.FINISHED]
            finished = State.COMPLETED if State.COMPLETED in states else State.REFUSED
            order.state = min(open_states) if open_states else finished
            order.finished_at = None if open_states else max(child.finished_at for child in order.children)
        if order.state == State.COMPLETED and order.invoice is None and not switch_count(self.faults, "invoice_late"):
            self.issue_invoice(order.third_order)


def moved_price(product):
    """The price a day later: 1.00 more, or 1.00 less where more would pass the mall price (and less stays
    above nothing)."""
    price, ceiling = Decimal(product.price), Decimal(product.mall_price)
    up, down = price + 1, price - 1
    return f"{up if up <= ceiling or down <= 0 else down:.2f}"


def _step(moment, content, operator):
    return {"time": format_wire_time(moment), "content": content, "operator": operator}
