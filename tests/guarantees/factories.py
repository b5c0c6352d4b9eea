"""Factories for the guarantee app: guarantors, sections, guarantees at any point of their life."""
import functools
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from guarantees.models import Guarantee, Guarantor, Section
from guarantees.sandbox_pdf import signed_pdf, text_pdf
from guarantees.signatures import pdf_signatures_inspect
from procurement.kernel import crypto

APPSECRET = "test-appsecret-0123456789abcdef"


class GuarantorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guarantor

    name = factory.Sequence(lambda n: f"测试银行{n}")
    appkey = factory.Sequence(lambda n: f"bank{n}")
    appsecret = APPSECRET
    base_url = "http://127.0.0.1:9/"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    project_no = factory.Sequence(lambda n: f"TJZC-2026-{n:04d}")
    project_name = "天津市某区政务中心改造工程"
    section_no = factory.Sequence(lambda n: f"TJZC-2026-{n:04d}-01")
    section_name = "施工一标段"
    tenderer = "天津市某区机关事务管理局"
    tenderer_code = "11120000MB1234567P"
    deposit_amount = Decimal("20000.00")
    opening_time = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    sm4_key = factory.LazyFunction(crypto.new_sm4_key)


class GuaranteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guarantee

    applyno = factory.Sequence(lambda n: f"BH2026{n:08d}")
    section = factory.SubFactory(SectionFactory)
    guarantor = factory.SubFactory(GuarantorFactory)
    bidder_name = "天津示例建设工程有限公司"
    bidder_code = "91120000MA05DEM21Q"
    deposit_amount = Decimal("20000.00")
    basic_account_no = "12050188000000001234"
    status = Guarantee.Status.APPLIED


class IssuedGuaranteeFactory(GuaranteeFactory):
    status = Guarantee.Status.ISSUED
    baohanno = factory.Sequence(lambda n: f"SBH{n:06d}")
    apply_status = "1"
    payer_name = "天津示例建设工程有限公司"
    payer_account = "12050188000000001234"
    generated_at = factory.LazyFunction(timezone.now)
    rate = Decimal("0.0015")
    cost = Decimal("100.00")
    # Issued as the sandbox bank issues it: signed by a certificate of its test CA, and inspected on arrival.
    cipher_file = factory.django.FileField(from_func=lambda: ContentFile(_signed_cipher_pdf(), name="cipher.pdf"))
    cipher_signature = factory.LazyFunction(lambda: pdf_signatures_inspect(_signed_cipher_pdf()))


@functools.cache
def _signed_cipher_pdf():
    return signed_pdf(text_pdf("投标保函（密文）", ["applyno: 测试"]))
