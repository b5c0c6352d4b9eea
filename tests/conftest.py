"""Fixtures shared by every app's tests: the served-API caller, sandboxes on real sockets, the job cluster.

Tests that need a server the embedded setup lacks carry a marker: `@pytest.mark.postgres` (a PostgreSQL
server, the one DATABASE_URL names) and `@pytest.mark.redis` (REDIS_URL). Without it configured they are
reported as skipped, with the reason; CI configures both, so there they run.
"""
import pytest
from django.test import Client

from catalog.reference.importer import reference_import_rows, reference_read
from procurement.demo import REFERENCE_FILE
from procurement.suppliers.emall.sandbox import build_sandbox
from procurement.suppliers.mall.sandbox import build_sandbox as build_mall_sandbox
from tests.procurement.factories import SupplierFactory
from tests.support.cluster import JobCluster
from tests.support.emall import EmallCaller


def pytest_configure(config):
    from django.conf import settings

    # PBKDF2 at production strength costs ~0.3 s a hash; tests check behaviour, not the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _missing_server(marker_name):
    """Why a test with this marker cannot run here, or "" when the server it needs is configured."""
    from django.conf import settings

    if marker_name == "postgres" and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://… (as CI does)"
    if marker_name == "redis" and not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL=redis://… (as CI does)"
    return ""


def pytest_runtest_setup(item):
    for marker in item.iter_markers():
        reason = _missing_server(marker.name)
        if reason:
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_served_caches(settings):
    """Each test starts with empty per-process caches; changes show at once (no 1-second grace)."""
    from catalog.api.cache import catalog_replies
    from procurement.api.callers import callers

    settings.EMALL_CATALOG_CACHE_CHECK_SECONDS = 0
    settings.EMALL_AUTH_CACHE_SECONDS = 0
    callers.clear()
    catalog_replies.clear()
    yield
    callers.clear()
    catalog_replies.clear()


@pytest.fixture
def client_raw():
    return Client()


@pytest.fixture
def emall(db, client_raw):
    """Calls the served e-mall interfaces as a supplier would; every reply is checked to be the envelope."""
    return EmallCaller(client_raw)


@pytest.fixture
def token(emall):
    """A live token of a fresh supplier account."""
    from tests.procurement.factories import SupplierAccountFactory

    return emall.token_for(SupplierAccountFactory())


@pytest.fixture
def sandbox_server():
    """Start sandboxes on free ports for the test; all are stopped afterwards."""
    from procurement.kernel.sandbox import serve

    running = []

    def start(sandbox):
        running.append(serve(sandbox))
        return running[-1]

    yield start
    for server in running:
        server.stop()


@pytest.fixture(scope="session", autouse=True)
def _empty_redis_broker():
    """With the Redis broker, start from an empty test database so no stale task runs."""
    from django.conf import settings

    if settings.REDIS_URL:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).flushdb()


@pytest.fixture
def job_cluster(transactional_db):
    """A real django-q2 cluster (`manage.py qcluster`) on the test database and the configured broker."""
    cluster = JobCluster()
    yield cluster
    cluster.stop()


@pytest.fixture(autouse=True)
def _fetch_in_the_test_thread(settings):
    """In-process syncs fetch on the test's own thread: the test's data lives in a transaction that other
    threads' connections cannot see. Parallel fetching runs in test_parallel_fetch.py (committed data)
    and in every test that syncs in a child process."""
    settings.CATALOG_FETCH_WORKERS = 1
    settings.CATALOG_IMAGE_CHECK_WORKERS = 1
    settings.DOCKING_CONCURRENCY = 1  # docking cases likewise (tests/docking/test_runner.py runs them on threads)


@pytest.fixture(scope="session")
def reference_rows():
    """The demo reference file, read once per session."""
    return reference_read([REFERENCE_FILE])


@pytest.fixture
def reference(db, reference_rows):
    """The demo slice of categories, parameters, brands, promises and areas, as the sandbox builds to."""
    reference_import_rows(reference_rows)


@pytest.fixture
def supplier_platform(reference, sandbox_server):
    """start(skus=…, **build options) → (sandbox, running server, Supplier pointing at it)."""

    def start(skus=30, **options):
        sandbox = build_sandbox(skus, **options)
        running = sandbox_server(sandbox)
        supplier = SupplierFactory(base_url=running.url, password="sandbox-password")
        return sandbox, running, supplier

    return start


@pytest.fixture
def mall_platform(reference, sandbox_server):
    """start(skus=…, **build options) → (sandbox, running server, Supplier on the mall standard pointing at it)."""

    def start(skus=30, **options):
        sandbox = build_mall_sandbox(skus, **options)
        running = sandbox_server(sandbox)
        sandbox.public_url = running.url
        supplier = SupplierFactory(protocol="mall", base_url=running.url, password="sandbox-password")
        return sandbox, running, supplier

    return start
