"""Model fields for secrets: encrypted at rest with the keys in FIELD_ENCRYPTION_KEYS, masked on display."""
import json

from django.db import models

from procurement.kernel import crypto


class EncryptedTextField(models.TextField):
    """Holds a secret as SM4-GCM ciphertext; Python code sees the plaintext, the database never does."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt_secret(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt_secret(value)


class EncryptedJSONField(EncryptedTextField):
    """A dict of secrets (name → value), stored as one encrypted JSON text; an empty dict is stored as ''."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return json.loads(text) if text else {}

    def to_python(self, value):
        if isinstance(value, dict):
            return value
        return json.loads(value) if value else {}

    def get_prep_value(self, value):
        if isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
        return crypto.encrypt_secret(value) if value else value


def encrypted_fields(model):
    """The names of `model`'s encrypted fields (the ones to defer where nothing reads them)."""
    return [field.name for field in model._meta.get_fields() if isinstance(field, EncryptedTextField)]


def mask_secret(value):
    """What staff see of a stored secret: whether it is set, never the secret itself."""
    if not value:
        return "未设置"
    return f"已设置（{len(value)} 位）"
