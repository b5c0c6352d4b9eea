"""Credentials typed in before the parameters were declared survive the migration, secrets still encrypted."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("procurement", "0001_initial")]
AFTER = [("procurement", "0002_declared_parameters")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_fixed_credential_columns_become_declared_parameters():
    old = migrate(BEFORE).get_model("procurement", "Supplier")
    old.objects.create(name="老电商", code="OLD", protocol="emall", base_url="https://old.example.cn",
                       remote_username="mall-user", remote_password="Old-Secret-1", remote_app_key="k-1",
                       remote_app_secret="s-1")
    try:
        new = migrate(AFTER).get_model("procurement", "Supplier")
        supplier = new.objects.get(code="OLD")
        assert supplier.parameters == {"username": "mall-user", "app_key": "k-1"}
        assert supplier.secret_parameters == {"password": "Old-Secret-1", "app_secret": "s-1"}
        with connection.cursor() as cursor:
            cursor.execute("SELECT secret_parameters FROM procurement_supplier WHERE code = 'OLD'")
            stored = cursor.fetchone()[0]
        assert "Old-Secret-1" not in stored and "s-1" not in stored
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
