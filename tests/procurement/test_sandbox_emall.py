"""The sandbox supplier serves the published contract: envelopes, batch limits, credentials, fault switches."""
import pytest
import requests

from procurement.kernel import crypto
from procurement.suppliers.emall.sandbox import build_demo_sandbox, build_sandbox
from procurement.suppliers.sandbox_catalog import BREAKERS, Reference, broken_rule, generate


@pytest.fixture
def platform(sandbox_server):
    sandbox = build_sandbox(150)
    return sandbox, sandbox_server(sandbox).url


def post(url, path, **data):
    response = requests.post(url + path, data=data, timeout=10)
    assert response.status_code == 200 and b"\n" not in response.content
    return response.json()


def token(url, password="sandbox-password"):
    return post(url, "/api/auth2/access_token", username="mall", password=crypto.sm3_hex(password),
                timestamp="2026-01-01 00:00:00")


def test_credentials_are_checked_and_a_token_is_issued(platform):
    _, url = platform

    assert token(url, "wrong") == {"success": False, "desc": "用户名或密码错误", "code": "5003"}
    assert set(token(url)["result"]) == {"access_token", "expires_at", "expires_in"}


def test_interfaces_refuse_without_a_token_in_the_expiry_form(platform):
    _, url = platform
    reply = post(url, "/api/product/prices", sku="SB000001")
    assert reply["code"] == "5005" and "token_expired" in reply["desc"]


def test_batches_over_a_hundred_or_without_skus_are_refused(platform):
    sandbox, url = platform
    live = token(url)["result"]["access_token"]

    assert post(url, "/api/product/prices", token=live, sku=",".join(list(sandbox.products)[:101]))["code"] == "5099"
    assert post(url, "/api/product/prices", token=live)["code"] == "5006"
    assert len(post(url, "/api/product/prices", token=live, sku="SB000001,NOPE")["result"]) == 1


def test_token_expiry_after_n_calls_duplicates_and_omissions_are_switches(platform):
    sandbox, url = platform
    requests.post(url + "/_sandbox/faults", data={"token_expire_after": "1", "duplicate_messages": "1",
                                                  "omit_skus": "SB000002"}, timeout=10)
    live = token(url)["result"]["access_token"]

    page = post(url, "/api/product/getMessagePool", token=live, size="2")["result"]
    assert [m["id"] for m in page] == ["1", "1", "2", "2"]
    assert post(url, "/api/product/prices", token=live, sku="SB000001")["code"] == "5005"
    again = token(url)["result"]["access_token"]
    assert post(url, "/api/product/prices", token=again, sku="SB000001,SB000002")["result"][0]["sku"] == "SB000001"


def test_the_generated_catalog_uses_the_malls_reference_and_breaks_each_rule_once_per_cycle():
    reference = Reference()
    products = generate(300, reference=reference)
    leaf_codes = {c["code"] for c in reference.leaves}

    clean = [p for i, p in enumerate(products.values()) if broken_rule(i) is None]
    assert all(p.detail["category"] in leaf_codes for p in clean)
    assert all(p.detail["brand"] in {b["code"] for b in reference.brands} for p in clean)
    assert {broken_rule(i) for i in range(300)} - {None} == set(BREAKERS)
    assert generate(300, reference=reference)["SB000123"].detail == products["SB000123"].detail


def test_the_demo_sandbox_has_a_few_hundred_products_waiting_in_the_pool():
    sandbox = build_demo_sandbox("http://127.0.0.1:8000")
    assert len(sandbox.products) == 300 and len(sandbox.pending) == 300
    assert sandbox.username == "mall" and sandbox.password_digest == crypto.sm3_hex("sandbox-password")
