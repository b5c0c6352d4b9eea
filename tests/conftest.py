"""Fixtures shared by every app's tests: the served-API caller, sandboxes on real sockets, the job cluster."""
import pytest
from django.test import Client

from tests.support.cluster import JobCluster
from tests.support.emall import EmallCaller


def pytest_configure(config):
    from django.conf import settings

    # PBKDF2 at production strength costs ~0.3 s a hash; tests check behaviour, not the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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

