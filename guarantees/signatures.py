"""What a guarantee file's (PDF) digital signatures say, read with pyHanko: the seed asks for 第三方CA机构颁发的数字证书
进行电子签名（签章）…遵循PKI体系.

`pdf_signatures_inspect(content)` returns a JSON-ready dict stored with the file: whether it is signed, and for each
signature the signer, issuer, validity period, whether the document was changed after signing and whether the
signature verifies. Algorithms pyHanko cannot verify (SM2 with SM3, the Chinese national algorithms) are reported
as unverified, never as valid; their document digest is still checked where the digest is known (SM3 is).
The trust chain is not validated: no list of accepted CAs is configured (the signer's issuer is shown instead).
"""
import io
import logging

from cryptography.hazmat.primitives import hashes
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from procurement.kernel.wire import format_wire_time

logger = logging.getLogger(__name__)


class Verdict:
    """The file's overall result; OK passes the review check, FAILED_VERDICTS fail it, UNVERIFIED needs a person."""

    OK = "ok"
    UNSIGNED = "unsigned"
    ALTERED = "altered"
    INVALID = "invalid"
    UNREADABLE = "unreadable"
    UNVERIFIED = "unverified"


FAILED_VERDICTS = (Verdict.UNSIGNED, Verdict.ALTERED, Verdict.INVALID, Verdict.UNREADABLE)
VERDICT_LABELS = {
    Verdict.OK: "数字签名有效，签名后未被修改",
    Verdict.UNSIGNED: "文件没有数字签名",
    Verdict.ALTERED: "文件在签名后被修改",
    Verdict.INVALID: "数字签名无效",
    Verdict.UNREADABLE: "文件无法解析，未能检查数字签名",
    Verdict.UNVERIFIED: "签名算法本系统无法验证，需人工核验",
}
# Digests pyHanko does not name, by OID, that we can still compute to check the document digest.
_EXTRA_DIGESTS = {"1.2.156.10197.1.401": hashes.SM3}
_ALGORITHM_NAMES = {"1.2.156.10197.1.501": "SM2-with-SM3", "1.2.156.10197.1.301.1": "SM2", "1.2.156.10197.1.401": "SM3"}
_BENIGN = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)


def pdf_signatures_inspect(content, now=None):
    """The inspection of a PDF's signatures (see the module); never raises."""
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        embedded = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 - a file we cannot read is a result, not a crash
        return _result(Verdict.UNREADABLE, [], f"{type(exc).__name__}: {exc}"[:300])
    signatures = [_inspect_one(sig, content) for sig in embedded]
    return _result(_verdict(signatures), signatures)


def _result(verdict, signatures, detail=""):
    summary = VERDICT_LABELS[verdict] + (f"（{detail}）" if detail else "")
    return {"verdict": verdict, "summary": summary, "signatures": signatures}


def _verdict(signatures):
    if not signatures:
        return Verdict.UNSIGNED
    if any(s["intact"] is False or s["modified_after_signing"] for s in signatures):
        return Verdict.ALTERED
    if any(s["verified"] == "invalid" or s["self_signed"] or s["certificate_valid_when_signed"] is False
           for s in signatures):
        return Verdict.INVALID
    if any(s["verified"] != "valid" for s in signatures):
        return Verdict.UNVERIFIED
    return Verdict.OK


def _inspect_one(sig, content):
    row = {"field": sig.field_name, **_certificate(sig), **_algorithms(sig), "signing_time": _signing_time(sig)}
    row["certificate_valid_when_signed"] = _valid_when_signed(sig)
    if _supported(sig):
        row.update(_verified_by_pyhanko(sig))
    else:
        row.update(verified="unsupported", intact=_digest_matches(sig, content),
                   modified_after_signing=not _covers_whole_file(sig, content),
                   detail=f"pyHanko 不支持 {row['algorithm']} 签名，未验证签名值")
    return row


def _certificate(sig):
    cert = sig.signer_cert
    return {
        "signer": distinguished_name(cert.subject), "issuer": distinguished_name(cert.issuer),
        "serial": format(cert.serial_number, "X"), "self_signed": cert.subject == cert.issuer,
        "not_before": format_wire_time(cert.not_valid_before), "not_after": format_wire_time(cert.not_valid_after),
    }


_NAME_PARTS = (("common_name", "CN"), ("organizational_unit_name", "OU"), ("organization_name", "O"),
               ("locality_name", "L"), ("state_or_province_name", "ST"), ("country_name", "C"))


def distinguished_name(name):
    """A certificate name as `CN=…, O=…, C=…` (the usual short labels), most specific first."""
    parts = name.native
    return ", ".join(f"{label}={parts[key]}" for key, label in _NAME_PARTS if parts.get(key)) or name.human_friendly


def _algorithms(sig):
    signature_oid = sig.signer_info["signature_algorithm"]["algorithm"]
    digest_oid = sig.signer_info["digest_algorithm"]["algorithm"]
    return {"algorithm": _ALGORITHM_NAMES.get(signature_oid.dotted, signature_oid.native),
            "digest_algorithm": _ALGORITHM_NAMES.get(digest_oid.dotted, digest_oid.native)}


def _signing_time(sig):
    claimed = sig.self_reported_timestamp
    return format_wire_time(claimed) if claimed else ""


def _valid_when_signed(sig):
    """Whether the signer's certificate was in its validity period at the claimed signing time (None: no time)."""
    claimed = sig.self_reported_timestamp
    if claimed is None:
        return None
    cert = sig.signer_cert
    return cert.not_valid_before <= claimed <= cert.not_valid_after


def _supported(sig):
    try:
        sig.signer_info["signature_algorithm"].signature_algo  # noqa: B018 - raises for an unknown mechanism
        get_pyca_cryptography_hash(sig.signer_info["digest_algorithm"]["algorithm"].native)
    except (ValueError, AttributeError, KeyError):
        return False
    return True


def _verified_by_pyhanko(sig):
    try:
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=[], allow_fetching=False))
    except Exception as exc:  # noqa: BLE001 - a malformed signature is reported, not raised
        logger.info("guarantee file signature not verifiable: %s", exc)
        return {"verified": "invalid", "intact": None, "modified_after_signing": False,
                "detail": f"签名无法解析：{type(exc).__name__}"}
    modified = status.coverage != SignatureCoverageLevel.ENTIRE_FILE and (
        status.modification_level not in _BENIGN or not status.docmdp_ok)
    return {"verified": "valid" if status.valid else "invalid", "intact": bool(status.intact),
            "modified_after_signing": bool(modified), "detail": ""}


def _covers_whole_file(sig, content):
    """The signed byte ranges reach the end of the file: nothing was appended after signing."""
    ranges = sig.sig_object.get("/ByteRange")
    return bool(ranges) and int(ranges[2]) + int(ranges[3]) == len(content)


def _digest_matches(sig, content):
    """Our own check of the signed document digest, for a signature pyHanko cannot verify (None: digest unknown)."""
    algorithm = _EXTRA_DIGESTS.get(sig.signer_info["digest_algorithm"]["algorithm"].dotted)
    signed_digest = _signed_message_digest(sig.signer_info)
    if algorithm is None or signed_digest is None:
        return None
    start, first, second, rest = (int(v) for v in sig.sig_object["/ByteRange"])
    digest = hashes.Hash(algorithm())
    digest.update(content[start:start + first])
    digest.update(content[second:second + rest])
    return digest.finalize() == signed_digest


def _signed_message_digest(signer_info):
    for attribute in signer_info["signed_attrs"] or ():
        if attribute["type"].native == "message_digest":
            return attribute["values"][0].native
    return None

