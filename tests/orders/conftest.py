"""Fixtures of the order tests: a supplier of each standard with listed SKUs, a purchaser and its address."""
import pytest
from django.contrib.auth.models import Group, User

from catalog.listing import sku_approve
from catalog.models import Sku
from catalog.sync.passes import sync_pass
from procurement.kernel.statemachine import by_source
from tests.orders.factories import DeliveryAddressFactory


@pytest.fixture
def shop(supplier_platform, mall_platform):
    """Two suppliers (one of each standard) with ten listed SKUs each, and a purchaser with an address."""
    emall, _, emall_supplier = supplier_platform(12, broken=False)
    mall, _, mall_supplier = mall_platform(12, broken=False)
    for supplier in (emall_supplier, mall_supplier):
        sync_pass(supplier.pk)
        for sku in Sku.objects.filter(supplier=supplier).order_by("sku_code")[:10]:
            sku_approve(sku, actor=by_source("test"))
    from catalog.extras import extras_refresh

    extras_refresh(mall_supplier.pk)  # the mall supplier's area tree: stock and orders go by its county ids
    address = DeliveryAddressFactory()
    return emall, mall, emall_supplier, mall_supplier, address


@pytest.fixture
def staff(client):
    user = User.objects.create_user("storefront", password="pw-Storefront-1", is_staff=True)
    user.groups.add(Group.objects.get(name="订单管理"))
    client.force_login(user)
    return user
