"""The demo supplier row and the sandbox agree by construction; a sandbox request body is parsed once."""
import json
from unittest import mock

import pytest
from django.conf import settings

from procurement.demo import _demo_supplier
from procurement.kernel import crypto
from procurement.kernel.sandbox import SandboxRequest
from procurement.sandboxes import SANDBOXES
from procurement.suppliers.emall import sandbox as emall_supplier
from tests.procurement.factories import PlatformFactory


@pytest.mark.django_db
def test_the_demo_supplier_points_at_the_registered_sandbox_with_its_login():
    supplier = _demo_supplier(PlatformFactory())
    sandbox = emall_supplier.EmallSupplierSandbox()

    assert supplier.base_url == f"http://{settings.SANDBOX_HOST}:{SANDBOXES['procurement.suppliers.emall.sandbox']}"
    assert supplier.parameters["username"] == sandbox.username
    assert crypto.sm3_hex(supplier.secret_parameters["password"]) == sandbox.password_digest


def test_a_request_body_is_parsed_once_and_each_caller_gets_its_own_dict():
    request = SandboxRequest("POST", "/x", {"a": "1", "b": "1"}, {"content-type": "application/json"},
                             json.dumps({"b": "2"}).encode())

    with mock.patch("procurement.kernel.sandbox.json.loads", wraps=json.loads) as loads:
        first = request.params()
        first["c"] = "mutated"
        second = request.params()

    assert loads.call_count == 1
    assert second == {"a": "1", "b": "2"}


@pytest.mark.django_db
def test_the_demo_mall_supplier_points_at_its_sandbox_with_its_login():
    from procurement.demo import _demo_mall_supplier
    from procurement.suppliers.mall import sandbox as mall_supplier

    supplier = _demo_mall_supplier(PlatformFactory())
    sandbox = mall_supplier.MallSupplierSandbox()

    assert supplier.protocol == "mall"
    assert supplier.base_url == f"http://{settings.SANDBOX_HOST}:{SANDBOXES['procurement.suppliers.mall.sandbox']}"
    assert supplier.parameters["username"] == sandbox.username
    assert crypto.sm3_hex(supplier.secret_parameters["password"]) == sandbox.password_digest
