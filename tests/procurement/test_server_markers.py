"""Tests that need PostgreSQL or Redis say so: skipped with the reason where the server is not configured."""
from tests.conftest import _missing_server


def test_postgres_tests_skip_with_the_reason_on_sqlite(settings, monkeypatch):
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.sqlite3")

    assert "DATABASE_URL" in _missing_server("postgres")


def test_postgres_tests_run_on_postgresql(settings, monkeypatch):
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.postgresql")

    assert _missing_server("postgres") == ""


def test_redis_tests_skip_without_redis_and_run_with_it(settings):
    settings.REDIS_URL = ""
    assert "REDIS_URL" in _missing_server("redis")

    settings.REDIS_URL = "redis://127.0.0.1:6379/13"
    assert _missing_server("redis") == ""


def test_other_markers_need_nothing():
    assert _missing_server("slow") == ""
