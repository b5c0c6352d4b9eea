"""Key rotation: `reencrypt_secrets` moves every stored secret to the first key, so the old key can go."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from procurement.kernel import crypto
from procurement.models import Supplier
from tests.procurement.factories import SupplierAccountFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def stored(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_rotation_rewrites_secrets_under_the_new_key(settings):
    old_key, new_key = crypto.new_sm4_key(), crypto.new_sm4_key()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    supplier = SupplierFactory(secret_parameters={"password": "pw-one", "app_secret": "app-secret"})
    account = SupplierAccountFactory(supplier=supplier)

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("reencrypt_secrets", stdout=StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]

    reloaded = Supplier.objects.get(pk=supplier.pk)
    assert reloaded.secret_parameters == {"password": "pw-one", "app_secret": "app-secret"}
    assert account.client_secret == type(account).objects.get(pk=account.pk).client_secret
    assert stored("procurement_supplier", "secret_parameters", supplier.pk).split(":")[1] == crypto._key_id(
        crypto.parse_sm4_key(new_key))
