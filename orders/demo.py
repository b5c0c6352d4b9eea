"""Demo data for `make run`: a purchasing unit with a purchaser, and a few orders once the demo suppliers' SKUs
have arrived.

The SKUs come with the suppliers' first sync pass, a minute or so after start, so the orders are placed by a
one-off schedule (演示订单) that retries each minute until both demo suppliers have SKUs, then removes itself.
If a demo supplier has nothing listed yet, it approves three of its valid SKUs as 演示数据 (a reviewer would);
the sandbox suppliers then ship and deliver the orders on their own (their auto_progress switch).
"""
from decimal import Decimal

from django.utils import timezone
from django_q.models import Schedule

from catalog.listing import sku_approve
from catalog.models import Sku
from orders.models import DeliveryAddress, Order, Purchaser, PurchasingUnit
from orders.services.intake import Cart, CartLine, OrderInvalid, orders_place
from procurement.demo import DEMO_MALL_SUPPLIER_CODE, DEMO_SUPPLIER_CODE
from procurement.kernel.http import OutboundError
from procurement.kernel.statemachine import IllegalTransition, by_source
from procurement.models import Area

DEMO_UNIT = ("天津市某区机关事务管理局（演示）", "11120101MB0DEMA01")
DEMO_PURCHASER = "demo-purchaser"
SCHEDULE_NAME = "演示订单（载入演示数据后）"
ACTOR = "演示数据"
# storefront number → (supplier, how many SKUs in the cart, credit terms)
DEMO_ORDERS = {
    "DEMO-SHOP-0001": (DEMO_SUPPLIER_CODE, 2, False),
    "DEMO-SHOP-0002": (DEMO_SUPPLIER_CODE, 1, True),
    "DEMO-SHOP-0003": (DEMO_MALL_SUPPLIER_CODE, 2, False),
    "DEMO-SHOP-0004": (DEMO_MALL_SUPPLIER_CODE, 1, True),
}


def load_demo(stdout):
    address = _demo_address()
    if not Order.objects.filter(storefront_no__in=DEMO_ORDERS).exists():
        Schedule.objects.update_or_create(
            name=SCHEDULE_NAME,
            defaults={"func": "orders.demo.demo_orders_place", "schedule_type": Schedule.MINUTES, "minutes": 1,
                      "repeats": -1, "next_run": timezone.now()},
        )
    stdout.write(f"演示采购人：{address.purchaser.name}（{address.purchaser.unit.name}），"
                 f"示例电商的商品同步后自动下 {len(DEMO_ORDERS)} 张演示订单")


def _demo_address():
    from procurement.kernel.credit_code import credit_code_check_character

    code = DEMO_UNIT[1] + credit_code_check_character(DEMO_UNIT[1])
    unit, _ = PurchasingUnit.objects.get_or_create(
        credit_code=code,
        defaults={"name": DEMO_UNIT[0], "region": Area.objects.get(code="120101"),
                  "credit_limit": Decimal("200000.00"), "credit_days": 30},
    )
    purchaser, _ = Purchaser.objects.get_or_create(
        external_id=DEMO_PURCHASER, defaults={"unit": unit, "name": "张老师", "phone": "13900001234"},
    )
    address = purchaser.addresses.first()
    if address is None:
        address = DeliveryAddress.objects.create(
            purchaser=purchaser, area=Area.objects.get(code="120101"), address="天津市和平区南京路 100 号 3 楼",
            receiver="张老师", receiver_phone="13900001234",
        )
    return address


def demo_orders_place():
    """The schedule's job: place each demo order whose supplier has SKUs; done once all are placed."""
    address = _demo_address()
    placed = set(Order.objects.filter(storefront_no__in=DEMO_ORDERS).values_list("storefront_no", flat=True))
    for storefront_no, (supplier_code, count, credit) in DEMO_ORDERS.items():
        if storefront_no in placed:
            continue
        skus = _listed(supplier_code, count)
        if len(skus) < count:
            continue  # the supplier's first sync pass has not brought enough valid SKUs yet
        cart = Cart(purchaser=address.purchaser, address=address, credit_terms=credit, storefront_no=storefront_no,
                    lines=[CartLine(sku, 1 + n, sku.price) for n, sku in enumerate(skus)],
                    remark="演示订单")
        try:
            orders_place(cart, actor=by_source(ACTOR))
            placed.add(storefront_no)
        except (OrderInvalid, OutboundError):
            continue  # out of stock in the demo area or the sandbox unreachable: the next minute tries again
    if placed >= set(DEMO_ORDERS):
        Schedule.objects.filter(name=SCHEDULE_NAME).delete()
    return sorted(placed)


def _listed(supplier_code, count):
    listed = list(_sellable(supplier_code).filter(status=Sku.Status.LISTED)[:count])
    if len(listed) >= count:
        return listed
    for sku in _sellable(supplier_code).filter(status=Sku.Status.PENDING_REVIEW, findings__isnull=True)[:3]:
        try:
            sku_approve(sku, actor=by_source(ACTOR), reason="演示数据：自动审核通过")
        except IllegalTransition:
            continue  # changed under us since the query (a new invalid version): another will do
    return list(_sellable(supplier_code).filter(status=Sku.Status.LISTED)[:count])


def _sellable(supplier_code):
    return (Sku.objects.filter(supplier__code=supplier_code, price__gt=0).exclude(shelf_on=False)
            .order_by("sku_code"))
