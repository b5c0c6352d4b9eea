"""Hand-written hot-path SQL: rows written as save() writes them, and a statement that survives a dead connection."""
import psycopg
import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from customs.models import DataRequest, Upload
from procurement.kernel.rowsql import RowInsert, fetch_one_repeatable

# The dropped-connection tests need a server that can drop a connection: a PostgreSQL connection of
# their own (on the server DATABASE_URL names, to its maintenance database). Without PostgreSQL they skip.


def _server():
    """How to reach the suite's PostgreSQL server, as psycopg.connect keywords."""
    db = settings.DATABASES["default"]
    return {"host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432,
            "user": db.get("USER") or "postgres", "password": db.get("PASSWORD") or None}


def _request(session_id):
    return DataRequest.objects.create(session_id=session_id, order_no="ord-1", customs_service_time=1,
                                      reply_code="10000")


@pytest.mark.django_db
def test_a_row_inserted_by_hand_is_the_row_save_would_write():
    saved = Upload.objects.create(request=_request("s-orm"))
    by_hand = RowInsert(Upload, "upload", computed={"request_id": "source.id"})
    before = timezone.now()

    with connection.cursor() as cursor:
        cursor.execute(by_hand.sql(connection, "(SELECT %(request)s AS id) source"),
                       {"request": _request("s-sql").pk, **by_hand.params(Upload(), connection)})

    written = Upload.objects.get(request__session_id="s-sql")
    compared = ["status", "attempts", "claimed_at", "last_error", "last_attempt_id", "done_at", "service_time",
                "cert_no", "sign_source", "pay_ex_info_str", "problems", "reply_code", "reply_message"]
    assert [getattr(written, name) for name in compared] == [getattr(saved, name) for name in compared]
    assert written.status == Upload.Status.PENDING and written.problems == []
    assert len(written.guid) == 36 and written.guid == written.guid.upper() and written.guid != saved.guid
    assert before <= written.created_at <= timezone.now()
    assert before <= written.next_attempt_at <= timezone.now()


def test_a_computed_column_the_model_lacks_is_refused():
    with pytest.raises(ValueError, match="request_no"):
        RowInsert(Upload, "upload", computed={"request_no": "1"})


@pytest.fixture
def postgres(django_db_blocker):
    """The alias of a PostgreSQL connection registered for the test only (not the suite's test database)."""
    alias = "rowsql_postgres"
    server = _server()
    own = {"ENGINE": "django.db.backends.postgresql", "NAME": "postgres", "HOST": server["host"],
           "PORT": server["port"], "USER": server["user"], "PASSWORD": server["password"] or "",
           "CONN_HEALTH_CHECKS": True}
    connections.settings[alias] = connections.configure_settings({"default": own})["default"]
    try:
        with django_db_blocker.unblock():
            yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def _drop_on_the_server(connection):
    dropped = connection.connection.info.backend_pid
    with psycopg.connect(**_server(), dbname="postgres", autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [dropped])
    return dropped


@pytest.mark.postgres
def test_a_repeatable_statement_is_run_again_on_a_new_connection_when_the_server_dropped_ours(postgres):
    connections[postgres].ensure_connection()
    dropped = _drop_on_the_server(connections[postgres])

    assert fetch_one_repeatable("SELECT %(n)s + 1", {"n": 41}, using=postgres) == (42,)
    assert connections[postgres].connection.info.backend_pid != dropped


@pytest.mark.postgres
def test_inside_a_transaction_a_dropped_connection_is_an_error_not_a_silent_new_transaction(postgres):
    with pytest.raises(OperationalError, match="terminating connection"):  # the drop itself, not a retry's error
        with transaction.atomic(using=postgres):
            fetch_one_repeatable("SELECT 1", {}, using=postgres)
            _drop_on_the_server(connections[postgres])
            fetch_one_repeatable("SELECT 1", {}, using=postgres)
