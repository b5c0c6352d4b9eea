"""Guarantee files (baohanfile): strict Base64, a size limit, PDF only; stored privately, never served publicly."""
import base64
import binascii
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile

from guarantees.signatures import pdf_signatures_inspect

PDF_MAGIC = b"%PDF-"


class BadFile(ValueError):
    """A baohanfile we refuse; the message says why."""


def guarantee_file_decode(text):
    """The PDF bytes of a Base64 `baohanfile`; BadFile when oversized, not Base64, or not a PDF."""
    limit = settings.GUARANTEE_FILE_MAX_BYTES
    # Checked before decoding, so an oversized file costs no memory beyond the request itself.
    if len(text) > (limit + 2) // 3 * 4:
        raise BadFile(f"保函文件超过 {limit} 字节的上限")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BadFile("baohanfile 不是合法的 Base64（不允许换行、空格等字符）") from None
    if len(raw) > limit:
        raise BadFile(f"保函文件超过 {limit} 字节的上限")
    if not raw.startswith(PDF_MAGIC):
        raise BadFile("保函文件不是 PDF 电子件")
    return raw


def guarantee_file_store(guarantee, field_name, content):
    """Save the PDF under MEDIA_ROOT; returns the stored name to put in the guarantee's file field."""
    field = getattr(guarantee, field_name)
    stored = field.storage.save(
        field.field.generate_filename(guarantee, f"{guarantee.applyno}-{field_name}.pdf"), ContentFile(content)
    )
    return stored


# A guarantee's files and where each one's signature inspection is kept.
SIGNATURE_FIELDS = {"cipher_file": "cipher_signature", "plain_file": "plain_signature"}


def guarantee_files_inspect(guarantee):
    """Inspect the signatures of stored files that have no inspection yet (files stored before it was made)."""
    changes = {}
    for file_field, result_field in SIGNATURE_FIELDS.items():
        stored = getattr(guarantee, file_field)
        if stored and not getattr(guarantee, result_field):
            with stored.open("rb") as handle:
                changes[result_field] = pdf_signatures_inspect(handle.read())
    if changes:
        type(guarantee).objects.filter(pk=guarantee.pk).update(**changes)
        for name, value in changes.items():
            setattr(guarantee, name, value)
    return guarantee


@contextmanager
def kept_only_if_applied(guarantee, field_name, stored):
    """Remove a just-stored file again when the change that was to reference it fails."""
    try:
        yield
    except BaseException:
        getattr(guarantee, field_name).storage.delete(stored)
        raise
