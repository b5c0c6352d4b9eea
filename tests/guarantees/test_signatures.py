"""The guarantee file's digital signature (第三方CA证书签章，遵循PKI体系): inspected on arrival, shown to staff in review."""
import binascii
import io
import re
from datetime import datetime

import pytest
from asn1crypto import algos, cms, core
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from guarantees import sandbox_pdf
from guarantees.errors import NotAllowed
from guarantees.models import Guarantee
from guarantees.sandbox_pdf import signed_pdf, tampered_pdf, text_pdf
from guarantees.services.guarantees import guarantee_review
from guarantees.signatures import Verdict, pdf_signatures_inspect
from procurement.kernel.statemachine import by_source
from tests.guarantees.conftest import pdf_b64
from tests.guarantees.factories import GuaranteeFactory, IssuedGuaranteeFactory
from tests.guarantees.test_admin import staff
from tests.guarantees.test_lifecycle import issued
from tests.guarantees.test_notices import baohannotice_fields

STAFF = by_source("测试")
PDF = text_pdf("投标保函（密文）", ["applyno: BH1", "biddername: 天津示例建设工程有限公司"])
SM3, SM2_WITH_SM3 = "1.2.156.10197.1.401", "1.2.156.10197.1.501"


def test_a_file_signed_by_the_banks_certificate_verifies_and_names_signer_issuer_and_validity():
    result = pdf_signatures_inspect(signed_pdf(PDF))

    assert (result["verdict"], result["summary"]) == (Verdict.OK, "数字签名有效，签名后未被修改")
    [signature] = result["signatures"]
    assert (signature["signer"], signature["issuer"]) == ("CN=沙箱银行天津分行, O=电子保函沙箱, C=CN",
                                                          "CN=沙箱测试 CA（仅供测试）, O=电子保函沙箱, C=CN")
    assert (signature["verified"], signature["intact"], signature["modified_after_signing"]) == ("valid", True, False)
    not_before, not_after = (datetime.strptime(signature[k], "%Y-%m-%d %H:%M:%S") for k in ("not_before", "not_after"))
    assert not_before < datetime.strptime(signature["signing_time"], "%Y-%m-%d %H:%M:%S") < not_after
    assert signature["self_signed"] is False and signature["certificate_valid_when_signed"] is True


def test_an_unsigned_file_is_reported_unsigned():
    assert pdf_signatures_inspect(PDF)["verdict"] == Verdict.UNSIGNED


def test_a_file_changed_after_signing_is_reported_altered():
    result = pdf_signatures_inspect(tampered_pdf(signed_pdf(PDF)))

    assert result["verdict"] == Verdict.ALTERED
    assert result["signatures"][0]["intact"] is False


def test_a_revision_appended_after_signing_is_reported_altered():
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf(PDF)))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 50 790 Td (X) Tj ET"))
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)

    result = pdf_signatures_inspect(out.getvalue())

    assert result["verdict"] == Verdict.ALTERED
    assert result["signatures"][0]["modified_after_signing"] is True


def test_a_self_signed_certificate_is_no_third_party_ca():
    key = ec.generate_private_key(ec.SECP256R1())
    cert = sandbox_pdf._certificate("某银行", key.public_key(), "某银行", key, ca=False)
    der = serialization.Encoding.DER
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(der)),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs([]),
    )
    self_signed = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(PDF)),
                                   signers.PdfSignatureMetadata(field_name="Sig"), signer=signer).getvalue()

    result = pdf_signatures_inspect(self_signed)

    assert result["verdict"] == Verdict.INVALID and result["signatures"][0]["self_signed"] is True


def sm2_signed(pdf):
    """A file signed the way Chinese CAs sign (SM2 with SM3): the sandbox signature's CMS re-labelled SM2/SM3,
    its document digest recomputed with SM3. Its signature value is what no library here can check."""
    signed = signed_pdf(pdf)
    start, first, second, rest = map(int, re.search(rb"/ByteRange\s*\[\s*(\d+) (\d+) (\d+) (\d+)", signed).groups())
    placeholder = signed[start + first + 1:second - 1]
    content = cms.ContentInfo.load(binascii.unhexlify(placeholder.rstrip(b"0").ljust(
        len(placeholder.rstrip(b"0")) + len(placeholder.rstrip(b"0")) % 2, b"0")))
    digest = hashes.Hash(hashes.SM3())
    digest.update(signed[start:start + first] + signed[second:second + rest])
    signed_data = content["content"]
    signed_data["digest_algorithms"] = [algos.DigestAlgorithm({"algorithm": SM3})]
    signer_info = signed_data["signer_infos"][0]
    signer_info["digest_algorithm"] = algos.DigestAlgorithm({"algorithm": SM3})
    signer_info["signature_algorithm"] = algos.SignedDigestAlgorithm({"algorithm": SM2_WITH_SM3})
    for attribute in signer_info["signed_attrs"]:
        if attribute["type"].native == "message_digest":
            attribute["values"] = [core.OctetString(digest.finalize())]
    relabelled = binascii.hexlify(content.dump(force=True))
    return signed[:start + first + 1] + relabelled.ljust(len(placeholder), b"0") + signed[second - 1:]


def test_an_sm2_signature_is_reported_unverified_never_valid_with_its_document_digest_checked():
    result = pdf_signatures_inspect(sm2_signed(PDF))

    assert result["verdict"] == Verdict.UNVERIFIED
    [signature] = result["signatures"]
    assert (signature["algorithm"], signature["digest_algorithm"]) == ("SM2-with-SM3", "SM3")
    assert signature["verified"] == "unsupported" and signature["intact"] is True
    assert "沙箱银行天津分行" in signature["signer"]


def test_an_sm2_signed_file_changed_afterwards_is_still_reported_altered():
    assert pdf_signatures_inspect(tampered_pdf(sm2_signed(PDF)))["verdict"] == Verdict.ALTERED


@pytest.mark.parametrize("content", [b"%PDF-1.4\n% not really\n%%EOF\n", b"%PDF-" + b"\x00" * 100])
def test_a_file_that_cannot_be_read_is_reported_not_raised(content):
    assert pdf_signatures_inspect(content)["verdict"] == Verdict.UNREADABLE


def test_the_sandbox_makes_its_keys_once_per_process():
    sandbox_pdf._signer()  # however many guarantees were signed before
    before = sandbox_pdf._signer.cache_info().misses

    for n in range(3):
        signed_pdf(text_pdf(f"保函 {n}", []))

    assert sandbox_pdf._signer.cache_info().misses == before == 1


@pytest.mark.slow
def test_the_banks_signed_file_is_inspected_on_arrival_and_shown_among_the_review_checks(bank):
    guarantee = issued(bank)

    assert guarantee.cipher_signature["verdict"] == Verdict.OK
    page = staff("保函管理").get(reverse("admin:guarantees_guarantee_change", args=[guarantee.pk])).content.decode()
    assert "✔ 密文保函数字签名：数字签名有效，签名后未被修改" in page
    assert "签名人 CN=沙箱银行天津分行, O=电子保函沙箱, C=CN；颁发者 CN=沙箱测试 CA（仅供测试）, O=电子保函沙箱, C=CN" in page
    guarantee_review(guarantee, Guarantee.Review.ACCEPTED, actor=STAFF)


@pytest.mark.slow
@pytest.mark.parametrize(("switch", "summary"), [("unsigned_files", "文件没有数字签名"),
                                                 ("tampered_files", "文件在签名后被修改")])
def test_an_unsigned_or_tampered_file_fails_the_check_and_cannot_be_accepted(bank, switch, summary):
    bank.sandbox.faults.update(**{switch: "1"})
    guarantee = issued(bank)

    with pytest.raises(NotAllowed, match=f"密文保函数字签名：{summary}"):
        guarantee_review(guarantee, Guarantee.Review.ACCEPTED, actor=STAFF)
    page = staff("保函管理").get(reverse("admin:guarantees_guarantee_change", args=[guarantee.pk])).content.decode()
    assert f"✘ 密文保函数字签名：{summary}" in page


@pytest.mark.django_db
def test_an_sm2_signed_file_is_left_to_staff_not_passed_and_not_refused(notice, guarantor):
    applied = GuaranteeFactory(guarantor=guarantor)
    assert notice.post("baohannotice", baohannotice_fields(applied, baohanfile=pdf_b64(sm2_signed(PDF))))["code"] == 1
    applied.refresh_from_db()

    page = staff("保函管理").get(reverse("admin:guarantees_guarantee_change", args=[applied.pk])).content.decode()
    guarantee_review(applied, Guarantee.Review.ACCEPTED, actor=STAFF)

    assert "？ 密文保函数字签名：签名算法本系统无法验证，需人工核验" in page and "签名值未验证（算法不受支持）" in page
    assert applied.review == Guarantee.Review.ACCEPTED


@pytest.mark.django_db
def test_a_file_stored_before_inspection_existed_is_inspected_when_reviewed():
    guarantee = IssuedGuaranteeFactory(cipher_signature={})

    guarantee_review(guarantee, Guarantee.Review.ACCEPTED, actor=STAFF)

    assert Guarantee.objects.get(pk=guarantee.pk).cipher_signature["verdict"] == Verdict.OK


@pytest.mark.django_db
def test_restorenotice_inspects_the_plaintext_file(notice, guarantor):
    restoring = IssuedGuaranteeFactory(guarantor=guarantor, status=Guarantee.Status.RESTORING)

    notice.post("restorenotice", {"applyno": restoring.applyno, "baohanno": restoring.baohanno,
                                  "baohanfile": pdf_b64(tampered_pdf(signed_pdf(PDF)))})

    restoring.refresh_from_db()
    assert restoring.plain_signature["verdict"] == Verdict.ALTERED

