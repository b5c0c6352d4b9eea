"""Fixtures of the docking tests: a sandbox supplier of each protocol serving as a supplier's test environment."""
import pytest

from procurement.docking.services import endpoint_set
from procurement.models import Supplier
from procurement.suppliers.emall.sandbox import build_sandbox as build_emall
from procurement.suppliers.mall.sandbox import build_sandbox as build_mall
from tests.procurement.factories import SupplierFactory

TEST_SKUS = 120  # a full batch of 100, one more, and some to spare
BUILDERS = {"emall": build_emall, "mall": build_mall}


@pytest.fixture(autouse=True)
def _docking_settings(settings):
    """Cases run in the test's thread (its data is in the test's transaction); calls are not retried."""
    settings.DOCKING_CONCURRENCY = 1
    settings.CATALOG_CALL_ATTEMPTS = 1
    settings.DOCKING_STOCK_AREAS = ["120000", "120101"]


@pytest.fixture
def test_environment(reference, sandbox_server):
    """start(protocol, **faults) → (sandbox, Supplier in 对接中 whose test environment is that sandbox)."""

    def start(protocol="emall", status=Supplier.DockingStatus.DOCKING, **faults):
        sandbox = BUILDERS[protocol](TEST_SKUS, broken=False)
        sandbox.faults.update(**faults)
        running = sandbox_server(sandbox)
        if protocol == "mall":
            sandbox.public_url = running.url
        supplier = SupplierFactory(protocol=protocol, docking_status=status, base_url="http://127.0.0.1:9/")
        endpoint_set(supplier, running.url, {"username": "mall", "password": "sandbox-password"})
        return sandbox, supplier

    return start
