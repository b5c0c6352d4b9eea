"""The 网上商城 sandbox supplier serves docs/mall-supplier-contract.md over real HTTP: envelope, token, pools,
products, images, areas, stock, the ☆ interfaces, the new / modified lists, the change API and every switch.

Each test serves one sandbox and goes through one part of the contract (a served sandbox costs about half a
second to stop, so the file keeps their number small).
"""
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal

import pytest
import requests

from procurement.kernel import crypto
from procurement.kernel.wire import format_wire_time, parse_wire_time
from procurement.suppliers.mall.sandbox import (
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    build_demo_sandbox,
    build_sandbox,
)
from procurement.suppliers.sandbox_catalog import Reference, broken_rule

DETAIL_FIELDS = ["sku", "url", "model", "image", "brand", "name", "unit", "category", "service", "introduction",
                 "config", "energySaving", "environmental", "imported", "params", "attachments"]
OPTIONAL_PATHS = {"ratings": "/api/product/ratings", "accessories": "/api/product/accessories",
                  "warranty": "/api/product/warranty", "accessory_links": "/api/product/accessory_links",
                  "group_buys": "/api/promotion/group_buys", "specials": "/api/promotion/specials",
                  "tiers": "/api/promotion/tiers"}
BATCH_PATHS = ("/api/product/detail", "/api/product/prices", "/api/product/shelf_states", "/api/product/images",
               "/api/product/ratings", "/api/promotion/tiers")
HEPING = "120101"  # our code of 天津市和平区


class Platform:
    """The sandbox under test and a caller of its interfaces, as the mall calls them."""

    def __init__(self, sandbox, url):
        self.sandbox, self.url = sandbox, url
        self.token = self.login()["result"]["access_token"]

    def raw(self, path, **data):
        return requests.post(self.url + path, data=data, timeout=10)

    def post(self, path, **data):
        response = self.raw(path, **data)
        assert response.status_code == 200 and b"\n" not in response.content
        return response.json()

    def call(self, path, **data):
        return self.post(path, token=self.token, **data)

    def result(self, path, **data):
        reply = self.call(path, **data)
        assert reply["success"] is True, reply
        return reply["result"]

    def login(self, password=SANDBOX_PASSWORD, **overrides):
        data = {"username": SANDBOX_USERNAME, "password": crypto.sm3_hex(password), "timestamp": "2026-01-01 00:00:00"}
        return self.post("/api/auth/access_token", **{**data, **overrides})

    def faults(self, **switches):
        assert requests.post(self.url + "/_sandbox/faults", data=switches, timeout=10).status_code == 200

    def area(self, our_code):
        return self.sandbox.area_id(our_code)


@pytest.fixture
def serve_platform(sandbox_server):
    def start(sandbox, public_url=True):
        running = sandbox_server(sandbox)
        sandbox.public_url = running.url if public_url else None
        return Platform(sandbox, running.url)
    return start


@pytest.fixture
def platform(serve_platform):
    return serve_platform(build_sandbox(150))


def skus(count):
    return [f"MS{n:06d}" for n in range(1, count + 1)]


def walk(platform, pool, page_size):
    """Every SKU of a pool, page by page, checking the totals each page gives."""
    first = platform.result("/api/product/skus", pool=pool, pageSize=page_size)
    pages = [first] + [platform.result("/api/product/skus", pool=pool, pageSize=page_size, pageNo=n)
                       for n in range(2, first["pageCount"] + 1)]
    assert all(page["total"] == first["total"] and page["pool"] == pool for page in pages)
    assert first["pageCount"] == -(-first["total"] // page_size)
    found = [sku for page in pages for sku in page["skus"]]
    assert len(found) == first["total"]
    return found


def test_tokens_last_36_hours_every_interface_wants_one_and_the_envelope_switches_work(platform):
    issued = platform.login()["result"]
    assert issued["expires_in"] == 36 * 3600
    lifetime = parse_wire_time(issued["expires_at"]) - platform.sandbox.now()
    assert timedelta(hours=35, minutes=59) < lifetime <= timedelta(hours=36)
    assert platform.sandbox.tokens_issued == 2
    assert platform.login("wrong") == {"success": False, "code": "1003",
                                       "desc": "用户名或密码错误（password 应为密码的 SM3 摘要，小写十六进制）"}
    assert platform.login(timestamp="")["desc"] == "缺少参数 timestamp"
    assert platform.login(timestamp="2026/01/01")["code"] == "1001"

    for path in [*OPTIONAL_PATHS.values(), "/api/product/pools", "/api/product/detail", "/api/area/children"]:
        refused = platform.post(path, sku="MS000001", token="made-up")
        assert refused["success"] is False and refused["code"] == "1004" and "token_expired" in refused["desc"]

    platform.sandbox.travel(timedelta(hours=35, minutes=59))
    assert platform.call("/api/product/pools")["success"] is True
    platform.sandbox.travel(timedelta(minutes=1))
    assert "token_expired" in platform.call("/api/product/pools")["desc"]

    platform.faults(token_expire_after="2")
    platform.token = platform.login()["result"]["access_token"]
    assert [platform.call("/api/product/pools")["success"] for _ in range(3)] == [True, True, False]

    platform.faults(token_expire_after="0", success_as_text="1")
    platform.token = platform.login()["result"]["access_token"]
    assert platform.call("/api/product/pools")["success"] == "true"
    assert platform.post("/api/product/pools")["success"] == "false"

    unreadable = requests.post(platform.url + "/api/product/pools", data=b"{not json",
                               headers={"Content-Type": "application/json"}, timeout=10)
    assert unreadable.status_code == 200 and unreadable.json()["code"] == "1001"


def test_pools_are_our_leaf_categories_paged_walking_them_finds_every_product_and_alien_pool_adds_one(
        platform):
    leaves = {c["code"]: c["name"] for c in Reference().leaves}
    pools = platform.result("/api/product/pools")
    assert all(leaves[pool["id"]] == pool["name"] for pool in pools)

    found = [sku for pool in pools for sku in walk(platform, pool["id"], page_size=7)]
    assert set(found) == set(platform.sandbox.products)
    assert {sku for sku in found if found.count(sku) == 2} == {"MS000040", "MS000080", "MS000120"}

    servers = platform.result("/api/product/skus", pool="A02010103")
    assert (servers["pageNo"], servers["pageSize"], servers["pageCount"]) == (1, 1000, 1)
    details = platform.result("/api/product/detail", sku=",".join(servers["skus"]))
    assert {row["category"] for row in details} == {"A02010103"}

    assert platform.call("/api/product/skus", pool="A02010103", pageSize="1001")["code"] == "1002"
    assert platform.call("/api/product/skus", pool="A02010103", pageNo="0")["code"] == "1001"
    assert platform.call("/api/product/skus", pool="Q1")["desc"] == "pool：品目池 Q1 不存在"
    assert platform.call("/api/product/skus")["desc"] == "缺少参数 pool"

    # alien_pool: one more pool, not one of our categories, whose SKUs are also in their own pools
    assert "Z9901" not in {pool["id"] for pool in platform.result("/api/product/pools")}
    assert platform.call("/api/product/skus", pool="Z9901")["success"] is False
    platform.faults(alien_pool="1")

    assert {"id": "Z9901", "name": "非标品目"} in platform.result("/api/product/pools")
    members = platform.result("/api/product/skus", pool="Z9901")["skus"]
    assert 1 < len(members) <= 5
    for row in platform.result("/api/product/detail", sku=",".join(members)):
        assert row["sku"] in platform.result("/api/product/skus", pool=row["category"])["skus"]


def test_products_answer_every_contract_field_per_sku_with_links_on_the_sandbox(serve_platform):
    platform = serve_platform(build_sandbox(250))
    product = platform.sandbox.products["MS000001"]

    row = platform.result("/api/product/detail", sku="MS000001")[0]
    assert list(row) == DETAIL_FIELDS
    assert row["url"] == f"{platform.url}/item/MS000001.html"
    assert row["image"] == f"{platform.url}/img/MS000001_1.jpg"
    assert row["attachments"] == [{"name": "产品说明书", "url": f"{platform.url}/docs/MS000001.pdf"}]
    assert row["params"] == [{"attributeID": a["attributeId"], "value": a["value"]} for a in product.attributes]
    assert (row["brand"], row["name"], row["service"], row["config"]) == (
        product.detail["brand"], product.detail["name"], product.extra["service"], product.extra["config"])
    assert {row["energySaving"], row["environmental"], row["imported"]} <= {"是", "否"}
    assert all(isinstance(row[field], str) for field in DETAIL_FIELDS[:-2])

    assert platform.result("/api/product/shelf_states", sku="MS000001,NOPE") == [{"sku": "MS000001", "state": 1}]
    assert platform.result("/api/product/prices", sku="MS000001") == [
        {"sku": "MS000001", "price": product.price, "marketPrice": product.mall_price}]
    assert platform.result("/api/product/images", sku="MS000001")[0]["images"] == [
        {"url": f"{platform.url}/img/MS000001_{n}.jpg", "primary": int(n == 1), "order": n} for n in (1, 2, 3)]

    # the catalog generator's broken links are sent as they are, not turned into sandbox addresses
    link, image = (next(sku for i, sku in enumerate(platform.sandbox.products) if broken_rule(i) == rule)
                   for rule in ("product_link", "image_link"))
    assert platform.result("/api/product/detail", sku=link)[0]["url"] == "javascript:alert(1)"
    assert platform.result("/api/product/detail", sku=image)[0]["image"] == "//img.example/no-scheme.jpg"


def test_batches_hold_at_most_a_hundred_skus_each_once_and_the_batch_switches_apply_to_all(platform):
    assert len(platform.result("/api/product/prices", sku=",".join(skus(100)))) == 100
    assert platform.call("/api/product/prices", sku=",".join(skus(101)))["code"] == "1002"
    assert platform.call("/api/product/prices")["desc"] == "缺少参数 sku"
    assert [row["sku"] for row in platform.result("/api/product/prices", sku="MS000003, MS000003,")] == ["MS000003"]

    platform.faults(omit_skus="MS000002", conflicting_skus="MS000003")
    for path in BATCH_PATHS:
        rows = platform.result(path, sku="MS000001,MS000002,MS000003")
        assert [row["sku"] for row in rows] == ["MS000001", "MS000003", "MS000003"], path
        assert rows[1] != rows[2], path
    stock = platform.result("/api/product/stock", sku="MS000003", area=platform.area(HEPING))
    assert stock[0]["num"] != stock[1]["num"]

    platform.faults(omit_skus="", conflicting_skus="", single_sku_detail="1")
    assert [row["sku"] for row in platform.result("/api/product/detail", sku="MS000004,MS000005")] == ["MS000004"]
    assert len(platform.result("/api/product/prices", sku="MS000004,MS000005")) == 2


def test_images_and_pages_are_served_dead_images_404_and_base_faults_reach_them(serve_platform):
    platform = serve_platform(build_sandbox(10), public_url=False)
    url = platform.result("/api/product/detail", sku="MS000006")[0]["image"]
    assert url == f"{platform.url}/img/MS000006_1.jpg"  # no public_url: the address the request came to

    got, head = requests.get(url, timeout=10), requests.head(url, timeout=10)
    assert got.status_code == head.status_code == 200
    assert got.headers["Content-Type"] == head.headers["Content-Type"] == "image/jpeg"
    assert got.content[:3] == b"\xff\xd8\xff" and got.content.endswith(b"\xff\xd9")
    assert head.content == b"" and int(head.headers["Content-Length"]) == len(got.content)
    page = requests.get(platform.result("/api/product/detail", sku="MS000006")[0]["url"], timeout=10)
    assert page.status_code == 200 and platform.sandbox.products["MS000006"].detail["name"] in page.text
    assert requests.get(f"{platform.url}/img/MS000006_9.jpg", timeout=10).status_code == 404

    platform.faults(dead_images="MS000007")
    assert [requests.head(f"{platform.url}/img/MS000007_{n}.jpg", timeout=10).status_code for n in (1, 2, 3)] == [
        404, 404, 404]
    assert requests.get(f"{platform.url}/img/MS000008_1.jpg", timeout=10).status_code == 200

    platform.faults(error_rate="1")
    assert platform.raw("/api/product/pools", token=platform.token).status_code == 503
    assert requests.get(url, timeout=10).status_code == 503
    assert requests.get(platform.url + "/_sandbox/stats", timeout=10).json()["calls"]["/img/"] == 8


def test_areas_carry_our_names_under_the_suppliers_ids_and_stock_is_by_county_id(platform):
    reference = {row["code"]: row for row in Reference().area_rows}
    provinces = platform.result("/api/area/children")
    assert [p["name"] for p in provinces] == ["北京市", "天津市", "河北省"] and {p["level"] for p in provinces} == {1}
    cities = platform.result("/api/area/children", parentId=platform.area("120000"))
    counties = platform.result("/api/area/children", parentId=cities[0]["id"])
    ours = sorted(row["name"] for row in reference.values() if row.get("parentCode") == "120100")
    assert sorted(c["name"] for c in counties) == ours and {c["level"] for c in counties} == {3}
    assert not {c["id"] for c in counties} & set(reference)
    assert platform.result("/api/area/children", parentId=counties[0]["id"]) == []
    assert platform.call("/api/area/children", parentId="999999")["code"] == "2002"

    product, heping = platform.sandbox.products["MS000009"], platform.area(HEPING)
    assert platform.result("/api/product/stock", sku="MS000009", area=heping) == [
        {"sku": "MS000009", "area": heping, "num": product.stock[HEPING],
         "state": "有货" if product.stock[HEPING] else "无货"}]
    assert platform.call("/api/product/stock", sku="MS000009", area=HEPING)["code"] == "2002"  # our code, not theirs
    assert platform.call("/api/product/stock", sku="MS000009", area=platform.area("120000"))["code"] == "2002"
    assert platform.call("/api/product/stock", sku="MS000009")["desc"] == "缺少参数 area"

    platform.faults(unmatched_areas="1")
    spelled = {c["id"]: c["name"] for c in platform.result("/api/area/children", parentId=cities[0]["id"])}
    changed = {c["name"]: spelled[c["id"]] for c in counties if spelled[c["id"]] != c["name"]}
    assert changed["和平区"] == "和平"
    assert any(not ours.startswith(theirs) for ours, theirs in changed.items())  # one renamed entirely
    assert len(changed) < len(counties)


def test_the_optional_interfaces_answer_generated_data_in_the_contracts_shapes_unless_missing(platform):
    ratings = platform.result("/api/product/ratings", sku=",".join(skus(50)))
    assert len(ratings) == 50 and ratings == platform.result("/api/product/ratings", sku=",".join(skus(50)))
    for row in ratings:
        assert Decimal("0") <= Decimal(row["score"]) <= Decimal("5")
        assert Decimal(row["goodRate"]) + Decimal(row["generalRate"]) + Decimal(row["poorRate"]) == 100

    first = platform.result("/api/product/accessories", pageSize=10)
    items = [item for n in range(1, first["pageCount"] + 1)
             for item in platform.result("/api/product/accessories", pageSize=10, pageNo=n)["items"]]
    assert 24 <= first["total"] == len(items) <= 48 and {item["type"] for item in items} == {"accessory", "service"}
    names = {item["id"]: item["name"] for item in items}
    links = platform.result("/api/product/accessory_links")
    assert 0 < links["total"] < len(platform.sandbox.products)
    assert all(names[a["id"]] == a["name"] for row in links["items"] for a in row["accessories"])
    asked = platform.result("/api/product/accessory_links", sku=f"{links['items'][0]['sku']},MS000150")
    assert asked[0] == links["items"][0] and asked[1]["sku"] == "MS000150"

    tiered = [row["tiers"] for row in platform.result("/api/promotion/tiers", sku=",".join(skus(100))) if row["tiers"]]
    assert 0 < len(tiered) < 100
    for tiers in tiered:
        assert [t["quantity"] for t in tiers] == sorted(t["quantity"] for t in tiers)
        assert [Decimal(t["rate"]) for t in tiers] == sorted(Decimal(t["rate"]) for t in tiers)

    products, heping = platform.sandbox.products, platform.area(HEPING)
    device = next(sku for sku, p in products.items() if p.detail["category"].startswith("A02"))
    furniture = next(sku for sku, p in products.items() if p.detail["category"].startswith("A06"))
    rows = platform.result("/api/product/warranty", sku=f"{device},{furniture}", area=heping)
    assert rows[0]["sku"] == device and rows[0]["area"] == heping and rows[0]["services"]
    assert set(rows[0]["services"][0]) == {"id", "name", "content", "price"}
    assert rows[1] == {"sku": furniture, "area": heping, "services": []}
    assert platform.call("/api/product/warranty", sku=device, area="nowhere")["code"] == "2002"

    now = format_wire_time(platform.sandbox.now())
    for path, fields in (("/api/promotion/group_buys", {"quantity"}), ("/api/promotion/specials", set())):
        offers = platform.result(path)["items"]
        assert all(set(o) == {"id", "sku", "price", "applyDate", "startTime", "endTime"} | fields for o in offers)
        assert {"over" if o["endTime"] <= now else "not started" if o["startTime"] > now else "current"
                for o in offers} == {"current", "over", "not started"}, path
        assert len([o for o in offers if Decimal(o["price"]) > Decimal(products[o["sku"]].price)]) == 1, path

    platform.faults(optional_missing="ratings,warranty")
    for name in ("ratings", "warranty"):
        response = platform.raw(OPTIONAL_PATHS[name], token=platform.token, sku="MS000001", area=heping)
        assert response.status_code == 404 and response.headers["Content-Type"].startswith("text/html")
    assert platform.result("/api/promotion/tiers", sku="MS000001")[0]["sku"] == "MS000001"


def test_the_change_api_lists_additions_and_detail_changes_a_second_apart_and_nothing_else(serve_platform):
    platform = serve_platform(build_sandbox(45, pooled=42))
    sandbox, start = platform.sandbox, format_wire_time(platform.sandbox.started)

    def at(seconds):
        return format_wire_time(sandbox.started + timedelta(seconds=seconds))

    def listed(path, **window):
        return platform.result(path, **{"startTime": start, **window})

    # listed nowhere: removal (out of both its pools), price, shelf, one more pool
    sandbox.remove(["MS000040"])
    sandbox.set_price("MS000002", "88.00", market_price="99.00")
    sandbox.set_shelf("MS000003", False)
    sandbox.put_in_pool("MS000001", "A090101")
    assert listed("/api/product/new_skus")["total"] == listed("/api/product/modified_skus")["total"] == 0
    assert len(set(sandbox.home_pools["MS000040"])) == 2  # every 40th product is in two pools
    assert not any("MS000040" in platform.result("/api/product/skus", pool=p)["skus"] for p in sandbox.home_pools[
        "MS000040"])
    assert "MS000040" not in sandbox.truth() and len(sandbox.truth()) == 41
    assert platform.result("/api/product/prices", sku="MS000002") == [
        {"sku": "MS000002", "price": "88.00", "marketPrice": "99.00"}]
    assert platform.result("/api/product/shelf_states", sku="MS000003")[0]["state"] == 0
    assert {"MS000001"} <= set(platform.result("/api/product/skus", pool="A090101")["skus"]) & set(
        platform.result("/api/product/skus", pool="A02010103")["skus"])

    sandbox.add(["MS000043"])
    sandbox.change_detail("MS000001", name="新名称", config="新配置", attributes={"1001": "联想"})
    sandbox.add(["MS000044"], pool="A0803")
    for sku in ("MS000002", "MS000003", "MS000004", "MS000001"):
        sandbox.change_detail(sku, introduction="<p>改</p>")

    assert listed("/api/product/new_skus") == {"pageNo": 1, "pageSize": 1000, "total": 2, "pageCount": 1,
                                               "skus": [{"sku": "MS000043", "time": at(1)},
                                                        {"sku": "MS000044", "time": at(3)}]}
    assert listed("/api/product/modified_skus")["skus"] == [{"sku": sku, "time": at(n)} for sku, n in (
        ("MS000002", 4), ("MS000003", 5), ("MS000004", 6), ("MS000001", 7))]  # each SKU once, at its latest
    assert listed("/api/product/modified_skus", startTime=at(2), endTime=at(5))["skus"] == [
        {"sku": "MS000001", "time": at(2)}, {"sku": "MS000002", "time": at(4)}]  # start inclusive, end exclusive
    page = listed("/api/product/modified_skus", startTime=at(5), pageSize=2, pageNo=2)
    assert (page["total"], page["pageCount"], page["skus"]) == (3, 2, [{"sku": "MS000001", "time": at(7)}])
    assert platform.call("/api/product/new_skus")["desc"] == "缺少参数 startTime"
    assert platform.call("/api/product/new_skus", startTime="today")["code"] == "1001"

    detail = platform.result("/api/product/detail", sku="MS000001")[0]
    assert (detail["name"], detail["config"], detail["introduction"]) == ("新名称", "新配置", "<p>改</p>")
    assert {"attributeID": "1001", "value": "联想"} in detail["params"]
    assert "MS000044" in platform.result("/api/product/skus", pool="A0803")["skus"]
    assert {"MS000043", "MS000044"} <= set(sandbox.truth()) and "MS000045" not in sandbox.truth()


def test_truth_is_every_sku_in_a_pool():
    sandbox = build_sandbox(10, pooled=6)
    assert sorted(sandbox.truth()) == skus(6)

    sandbox.add(["MS000008"])
    assert "MS000008" in sandbox.truth() and "MS000007" not in sandbox.truth()


def test_the_demo_sandbox_has_a_few_hundred_products_all_in_their_pools():
    sandbox = build_demo_sandbox("http://127.0.0.1:8000")

    assert len(sandbox.products) == 300 and len(sandbox.truth()) == 300
    assert all(sku.startswith("MS") for sku in sandbox.products)
    assert sandbox.username == "mall" and sandbox.password_digest == crypto.sm3_hex("sandbox-password")


def test_the_sandbox_imports_nothing_of_django_or_the_apps():
    code = ("import sys, procurement.suppliers.mall.sandbox; print(sorted({m.split('.')[0] for m in sys.modules}"
            " & {'django', 'rest_framework', 'catalog', 'orders', 'customs', 'guarantees'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
