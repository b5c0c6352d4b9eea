"""Factories for the docking core: platforms, suppliers, their accounts, reference data."""
import factory
from django.contrib.auth.hashers import make_password

from procurement.kernel import crypto
from procurement.models import Area, Brand, Platform, Promise, Supplier, SupplierAccount

ACCOUNT_PASSWORD = "Correct-Horse-9"


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform
        django_get_or_create = ("code",)

    code = "TJ-DZMC"
    name = "天津市政府采购电子卖场"


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试电商{n}")
    code = factory.Sequence(lambda n: f"SUP{n:03d}")
    protocol = "emall"
    base_url = "http://127.0.0.1:9/"
    # Trusted (正式) unless a test says otherwise: most tests are about what a trusted supplier's goods and orders
    # do; the gating of the others is tested in tests/docking/test_gating.py.
    docking_status = Supplier.DockingStatus.PRODUCTION
    parameters = factory.LazyAttribute(lambda o: {"username": o.username})
    secret_parameters = factory.LazyAttribute(lambda o: {"password": o.password} if o.password else {})

    class Params:
        username = "mall"
        password = "remote-secret"

    @factory.post_generation
    def platforms(self, create, extracted, **kwargs):
        if create:
            self.platforms.add(*(extracted if extracted is not None else [PlatformFactory()]))


class SupplierAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierAccount

    supplier = factory.SubFactory(SupplierFactory)
    username = factory.Sequence(lambda n: f"supplier-{n}")
    password = factory.LazyFunction(lambda: make_password(crypto.sm3_hex(ACCOUNT_PASSWORD)))
    client_secret = factory.Sequence(lambda n: f"{n:032x}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{110000 + n * 10000}")
    name = factory.Sequence(lambda n: f"省{n}")
    level = 1


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    code = factory.Sequence(lambda n: f"brand{n}")
    name = factory.Sequence(lambda n: f"品牌{n}")
    english_name = factory.Sequence(lambda n: f"Brand{n}")


class PromiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Promise

    code = factory.Sequence(lambda n: f"P{n:03d}")
    kind = Promise.Kind.COMMITMENT
    name = factory.Sequence(lambda n: f"承诺{n}")
    description = "说明"
