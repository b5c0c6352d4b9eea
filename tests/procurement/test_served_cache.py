"""The per-process caches behind the hot interfaces: bounded staleness, exact expiry, errors cached too."""
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from catalog.models import Category
from catalog.services import category_bump_versions
from procurement.models import AccessToken
from procurement.services.accounts import token_revoke
from tests.catalog.factories import CategoryFactory, CategoryParamFactory
from tests.procurement.factories import SupplierAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The caches' monotonic clock, moved by the test rather than by a slow or busy machine."""

    class Clock:
        now = 1000.0

        def advance(self, seconds):
            self.now += seconds

    fake = Clock()
    monkeypatch.setattr("catalog.api.cache.time.monotonic", lambda: fake.now)
    monkeypatch.setattr("procurement.api.callers.time.monotonic", lambda: fake.now)
    return fake


@pytest.fixture
def printer():
    leaf = CategoryFactory(interface_code="IT_LASER", name="激光打印机")
    CategoryParamFactory(category=leaf, attribute_id="1001")
    return leaf


def test_a_category_change_reaches_a_server_within_the_check_interval(emall, token, printer, settings, clock):
    settings.EMALL_CATALOG_CACHE_CHECK_SECONDS = 1.0
    assert emall.post("/catalogsParam", {"token": token, "interfaceCode": "IT_LASER"})["result"]["version"] == 1

    Category.objects.filter(pk=printer.pk).update(name="彩色激光打印机")
    category_bump_versions([printer.pk])
    clock.advance(0.9)
    cached = emall.post("/catalogsParam", {"token": token, "interfaceCode": "IT_LASER"})["result"]
    clock.advance(0.2)
    fresh = emall.post("/catalogsParam", {"token": token, "interfaceCode": "IT_LASER"})["result"]

    assert (cached["version"], cached["name"]) == (1, "激光打印机")
    assert (fresh["version"], fresh["name"]) == (2, "彩色激光打印机")


def test_a_cached_reply_still_answers_5010_for_a_stale_version(emall, token, printer):
    emall.post("/catalogsParam", {"token": token, "interfaceCode": "IT_LASER"})

    reply = emall.post("/catalogsParam", {"token": token, "interfaceCode": "IT_LASER", "version": 7})

    assert reply["code"] == "5010"
    assert "当前版本 1" in reply["desc"]


def test_a_refusal_is_cached_like_a_reply_until_the_catalog_changes(emall, token, settings):
    settings.EMALL_CATALOG_CACHE_CHECK_SECONDS = 60
    assert emall.post("/catalogsParam", {"token": token, "interfaceCode": "NEW_ONE"})["code"] == "5007"

    leaf = CategoryFactory(interface_code="NEW_ONE")
    CategoryParamFactory(category=leaf)
    still_cached = emall.post("/catalogsParam", {"token": token, "interfaceCode": "NEW_ONE"})
    settings.EMALL_CATALOG_CACHE_CHECK_SECONDS = 0
    category_bump_versions([leaf.pk])

    assert still_cached["code"] == "5007"
    assert emall.post("/catalogsParam", {"token": token, "interfaceCode": "NEW_ONE"})["success"] is True


def test_a_revoked_token_stops_working_within_the_auth_cache_time(emall, token, settings, clock):
    settings.EMALL_AUTH_CACHE_SECONDS = 5.0
    assert emall.post("/getAreas", {"token": token})["success"] is True

    token_revoke(AccessToken.objects.all())
    clock.advance(4.9)
    still_cached = emall.post("/getAreas", {"token": token})
    clock.advance(0.2)

    assert still_cached["success"] is True
    assert emall.post("/getAreas", {"token": token})["code"] == "5005"


def test_a_cached_token_still_expires_to_the_second(emall, settings):
    settings.EMALL_AUTH_CACHE_SECONDS = 3600
    with time_machine.travel(timezone.now(), tick=False) as clock:
        token = emall.token_for(SupplierAccountFactory())
        assert emall.post("/getAreas", {"token": token})["success"] is True
        clock.shift(timedelta(hours=36, seconds=1))

        assert emall.post("/getAreas", {"token": token})["code"] == "5005"


def test_the_reply_cache_stays_within_its_byte_budget(emall, token, monkeypatch):
    from catalog.api.cache import catalog_replies

    for n in range(12):
        CategoryFactory(code=f"C{n:03d}")
    monkeypatch.setattr(catalog_replies.replies, "max_weight", 2000)
    for size in range(1, 40):
        emall.post("/gyssc/platform/catalogs", {"token": token, "platformCode": "TJ-DZMC", "pageSize": size})

    assert 0 < catalog_replies.replies.weight <= 2000
    assert catalog_replies.replies.weight == sum(len(v) for v in catalog_replies.replies.entries.values())
    fresh = emall.post("/gyssc/platform/catalogs", {"token": token, "platformCode": "TJ-DZMC", "pageSize": 1})
    assert fresh["result"]["catalogs"][0]["code"] == "C000"
