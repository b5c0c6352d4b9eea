"""Fixtures of the docking-core tests."""
import pytest

from tests.procurement.factories import SupplierAccountFactory


@pytest.fixture
def token(emall):
    """A live token of a fresh supplier account."""
    return emall.token_for(SupplierAccountFactory())
