"""The sandbox guarantor's PDFs: one A4 page of text lines (Chinese through the built-in STSong font), signed
with a test CA of the sandbox's own (made once per process, in memory), as a bank's third-party CA would.
"""
import functools
import io
from datetime import UTC, datetime, timedelta

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

CA_NAME = "沙箱测试 CA（仅供测试）"
SIGNER_NAME = "沙箱银行天津分行"

_FONT = (
    "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
    "/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>] >>"
)


def _hex_text(line):
    # UniGB-UCS2-H takes UCS-2 code units; characters outside the BMP are replaced.
    return "".join(f"{ord(ch) if ord(ch) < 0x10000 else 0x3F:04X}" for ch in line)


def text_pdf(title, lines):
    """A valid one-page PDF (bytes) showing `title` and `lines`; long lines are cut into 60-character pieces."""
    pieces = [title, ""] + [line[i:i + 60] for line in lines for i in range(0, max(len(line), 1), 60)]
    stream = "BT /F1 12 Tf 50 790 Td 16 TL " + " ".join(f"<{_hex_text(p)}> Tj T*" for p in pieces[:48]) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        _FONT,
        f"<< /Length {len(stream.encode('ascii'))} >>\nstream\n{stream}\nendstream",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{content}\nendobj\n".encode("ascii")
    xref = len(body)
    table = "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n{table}".encode("ascii")
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return body


def signed_pdf(pdf):
    """`pdf` with a PAdES-style signature by the sandbox bank's certificate (issued by the sandbox test CA)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="BankSignature", reason="电子保函签章", name=SIGNER_NAME)
    return signers.sign_pdf(writer, meta, signer=_signer()).getvalue()


def tampered_pdf(signed):
    """A signed PDF with one character of its signed page text changed afterwards (same length, still a PDF)."""
    at = signed.index(b"> Tj") - 1
    return signed[:at] + (b"0" if signed[at:at + 1] != b"0" else b"1") + signed[at + 1:]


@functools.cache
def _signer():
    """The sandbox bank's signer: EC P-256 keys (fast to make), made once per process."""
    ca_key, bank_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = _certificate(CA_NAME, ca_key.public_key(), CA_NAME, ca_key, ca=True)
    bank = _certificate(SIGNER_NAME, bank_key.public_key(), CA_NAME, ca_key, ca=False)
    der = serialization.Encoding.DER
    key = bank_key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(bank.public_bytes(der)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key),
        cert_registry=SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(ca.public_bytes(der))]),
    )


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "电子保函沙箱"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, public_key, issuer, issuer_key, *, ca):
    now = datetime.now(UTC)
    usage = dict(digital_signature=not ca, content_commitment=not ca, key_encipherment=False, data_encipherment=False,
                 key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False)
    return (
        x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer)).public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650 if ca else 365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )
