"""Factories for the order side: purchasing units, purchasers and their delivery addresses."""
import factory

from orders.models import DeliveryAddress, Order, Purchaser, PurchasingUnit
from procurement.kernel.credit_code import credit_code_check_character
from procurement.models import Area


def credit_code(n):
    """A well-formed unified social credit code (GB 32100) for the n-th unit."""
    first = f"12120000{n:09d}"
    return first + credit_code_check_character(first)


class PurchasingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchasingUnit

    name = factory.Sequence(lambda n: f"天津市第{n}中学")
    credit_code = factory.Sequence(credit_code)
    region = factory.LazyFunction(lambda: Area.objects.get(code="120000"))
    credit_limit = "50000.00"
    credit_days = 30


class PurchaserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Purchaser

    unit = factory.SubFactory(PurchasingUnitFactory)
    name = factory.Sequence(lambda n: f"采购员{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    external_id = factory.Sequence(lambda n: f"buyer-{n}")


class DeliveryAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryAddress

    purchaser = factory.SubFactory(PurchaserFactory)
    area = factory.LazyFunction(lambda: Area.objects.get(code="120101"))
    address = "天津市和平区南京路 100 号 3 楼"
    receiver = "王老师"
    receiver_phone = "13812345678"
    is_default = True


class OrderFactory(factory.django.DjangoModelFactory):
    """An order as intake makes one (no lines: for lists and figures, not for the supplier side)."""

    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"PO20261201{n:08d}")
    purchaser = factory.SubFactory(PurchaserFactory)
    unit = factory.SelfAttribute("purchaser.unit")
    supplier = factory.SubFactory("tests.procurement.factories.SupplierFactory")
    total = "100.00"
    area = factory.LazyFunction(lambda: Area.objects.get(code="120101"))
    address = "天津市和平区南京路 100 号 3 楼"
    receiver = "王老师"
    receiver_phone = "13812345678"
    invoice_title = factory.SelfAttribute("unit.name")
    invoice_tax_no = factory.SelfAttribute("unit.credit_code")
