"""Lengths of what guarantors send: any the seed and our columns allow; a published limit, named when it refuses."""
import re
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework import serializers

from guarantees.api import serializers as s
from guarantees.models import Guarantee, InboundNotice, InvoiceRequest
from tests.guarantees.conftest import pdf_b64
from tests.guarantees.factories import GuaranteeFactory, IssuedGuaranteeFactory
from tests.guarantees.test_notices import baohannotice_fields

pytestmark = pytest.mark.django_db
DOC = Path(settings.BASE_DIR) / "docs" / "guarantee-interface.md"
# A download URL as an object store signs it: the 609 characters that were refused, and the 2,048 most browsers take.
SIGNED_URL = "https://oss.bank.example/baohan/SBH000123.pdf?X-Amz-Signature=" + "a" * 547
assert len(SIGNED_URL) == 609
LONGEST_URL = "https://oss.bank.example/baohan/SBH000123.pdf?sig=" + "b" * (2048 - 50)


def signed_url(length):
    return "https://oss.bank.example/b.pdf?sig=" + "c" * (length - 35)


@pytest.mark.parametrize("url", [SIGNED_URL, LONGEST_URL, signed_url(s.LIMITS["baohanurl"])])
def test_baohannotice_with_a_long_signed_download_url_registers_the_guarantee(notice, guarantor, url):
    applied = GuaranteeFactory(guarantor=guarantor)

    reply = notice.post("baohannotice", baohannotice_fields(applied, baohanurl=url))

    assert reply == {"code": 1, "message": "接收成功"}
    applied.refresh_from_db()
    assert applied.status == Guarantee.Status.ISSUED and applied.cipher_url == url


def test_restorenotice_with_a_long_download_url_is_stored_in_full(notice, guarantor):
    restoring = IssuedGuaranteeFactory(guarantor=guarantor, status=Guarantee.Status.RESTORING)

    reply = notice.post("restorenotice", {"applyno": restoring.applyno, "baohanno": restoring.baohanno,
                                          "baohanurl": LONGEST_URL, "baohanfile": pdf_b64()})

    assert reply["code"] == 1, reply
    restoring.refresh_from_db()
    assert restoring.plain_url == LONGEST_URL


def test_invoicenotice_with_a_long_invoice_url_and_an_e_invoice_number_is_recorded(notice, guarantor):
    guarantee = IssuedGuaranteeFactory(guarantor=guarantor, status=Guarantee.Status.RESTORED)
    invoice = InvoiceRequest.objects.create(guarantee=guarantee, amount="100.00", status=InvoiceRequest.Status.SENT)
    e_invoice_no = "2612000000" * 4  # longer than the 30 characters we used to allow

    reply = notice.post("invoicenotice", {"baohanno": guarantee.baohanno, "invoiceurl": LONGEST_URL,
                                          "invoiceno": e_invoice_no, "applystatus": "1"})

    assert reply["code"] == 1, reply
    invoice.refresh_from_db()
    assert (invoice.invoice_url, invoice.invoice_no) == (LONGEST_URL, e_invoice_no)


def test_a_long_baohanno_is_accepted_and_kept_as_the_notices_reference(notice, guarantor):
    applied = GuaranteeFactory(guarantor=guarantor)
    baohanno = "TJ-BH-" + "9" * (s.LIMITS["baohanno"] - 6)

    reply = notice.post("baohannotice", baohannotice_fields(applied, baohanno=baohanno))

    assert reply["code"] == 1, reply
    assert Guarantee.objects.get(pk=applied.pk).baohanno == baohanno


@pytest.mark.parametrize("name", ["baohanno", "baohanurl", "payername", "payeraccount", "instname"])
def test_a_value_over_its_published_limit_is_refused_naming_the_parameter_and_the_limit(notice, guarantor, name):
    applied = GuaranteeFactory(guarantor=guarantor)
    limit = s.LIMITS[name]

    reply = notice.post("baohannotice", baohannotice_fields(applied, **{name: "9" * (limit + 1)}))

    assert reply == {"code": 0, "message": f"{name}: 长度为 {limit + 1} 个字符，超过上限 {limit} 个字符"}
    assert Guarantee.objects.get(pk=applied.pk).status == Guarantee.Status.APPLIED


# Where each served text goes: its limit must fit the column, or PostgreSQL refuses the row (as a bare code 0).
COLUMNS = {
    (s.BaohanNotice, "baohanno"): [(Guarantee, "baohanno"), (InboundNotice, "reference")],
    (s.BaohanNotice, "applyno"): [(Guarantee, "applyno"), (InboundNotice, "reference")],
    (s.BaohanNotice, "baohanurl"): [(Guarantee, "cipher_url")],
    (s.BaohanNotice, "payername"): [(Guarantee, "payer_name")],
    (s.BaohanNotice, "payeraccount"): [(Guarantee, "payer_account")],
    (s.BaohanNotice, "instname"): [(Guarantee, "inst_name")],
    (s.RestoreNotice, "baohanurl"): [(Guarantee, "plain_url")],
    (s.InvoiceNotice, "invoiceurl"): [(InvoiceRequest, "invoice_url")],
    (s.InvoiceNotice, "invoicecode"): [(InvoiceRequest, "invoice_code")],
    (s.InvoiceNotice, "invoiceno"): [(InvoiceRequest, "invoice_no")],
}


@pytest.mark.parametrize(("served", "column"), [(key, column) for key, columns in COLUMNS.items() for column in columns],
                         ids=lambda value: getattr(value, "__name__", str(value)))
def test_every_served_limit_fits_the_column_it_is_stored_in(served, column):
    serializer, name = served
    model, field_name = column
    field_max = model._meta.get_field(field_name).max_length

    assert serializer().fields[name].max_length == s.LIMITS[name]
    assert field_max is None or field_max >= s.LIMITS[name], f"{model.__name__}.{field_name}"


def test_every_limit_is_published_in_the_interface_document():
    published = dict(re.findall(r"^\| `(\w+)` \| (\d+) ", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE))
    served = {name: field.max_length for notice in (s.BaohanNotice, s.RestoreNotice, s.InvoiceNotice, s.QuitNotice)
              for name, field in notice().fields.items()
              if isinstance(field, serializers.CharField) and name in s.LIMITS}

    assert {name: int(cap) for name, cap in published.items() if name in served} == served
