"""Fixtures of the catalog tests: the mall's reference data, and a sandbox supplier with its Supplier row."""
import pytest

from catalog.reference.importer import reference_import_rows, reference_read
from procurement.demo import REFERENCE_FILE
from procurement.suppliers.emall.sandbox import build_sandbox
from procurement.suppliers.mall.sandbox import build_sandbox as build_mall_sandbox
from tests.procurement.factories import SupplierFactory


@pytest.fixture(autouse=True)
def _fetch_in_the_test_thread(settings):
    """In-process syncs fetch on the test's own thread: the test's data lives in a transaction that other
    threads' connections cannot see. Parallel fetching runs in test_parallel_fetch.py (committed data)
    and in every test that syncs in a child process."""
    settings.CATALOG_FETCH_WORKERS = 1
    settings.CATALOG_IMAGE_CHECK_WORKERS = 1


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
