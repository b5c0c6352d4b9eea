"""A reviewer's day in the browser: the queue, a SKU with its diff in words, decisions from the page, bulk approval
with confirmation, supplier HTML that cannot run, and a list that fits a laptop screen."""
import re

import pytest

from catalog.listing import sku_approve
from catalog.models import Sku, SkuStatusChange
from catalog.sync.passes import sync_pass
from procurement.kernel.statemachine import by_source
from tests.browser.conftest import WIDTH, sign_in, staff_user

HOSTILE = ('<p>介绍<script>alert("script")</script><img src="https://example.invalid/a.jpg" onerror="alert(\'img\')">'
           '<a href="javascript:alert(\'link\')">链接</a></p><iframe src="https://evil.example/"></iframe>'
           '<svg onload="alert(\'svg\')"></svg><object data="https://evil.example/x"></object>')


@pytest.fixture
def catalog(supplier_platform, site):
    """Twelve SKUs from the sandbox supplier; SB000002 approved, then changed by the supplier (a diff to review)."""
    sandbox, _, supplier = supplier_platform(12)
    sync_pass(supplier.pk)
    sku_approve(Sku.objects.get(sku_code="SB000002"), actor=by_source("test"))
    sandbox.change_detail("SB000002", name="联想 新一代商用台式机", attributes={"1002": "新型号X2"},
                          introduction=HOSTILE)
    sync_pass(supplier.pk)
    return supplier


def queue_codes():
    from catalog.listing import awaiting_review

    return list(Sku.objects.filter(awaiting_review()).order_by("updated_at", "pk").values_list("sku_code", flat=True))


def test_from_the_queue_a_reviewer_approves_a_changed_sku_on_its_page_and_goes_on_to_the_next(page, catalog):
    sign_in(page, staff_user("reviewer", "商品审核"))
    page.get_by_role("link", name=re.compile("待审核")).first.click()
    page.wait_for_selector("#result_list")
    page.get_by_role("link", name="SB000002").click()

    diff = page.locator(".field-changes table.diff")
    assert "联想 新一代商用台式机" in diff.inner_text() and "型号" in diff.inner_text()
    assert "新型号X2" in diff.inner_text()
    expected_next = [code for code in queue_codes() if code != "SB000002"][0]
    page.locator(".object-action-move_to_listed button").click()

    page.wait_for_selector(f"h2:has-text('{expected_next}')")
    sku = Sku.objects.get(sku_code="SB000002")
    assert sku.approved_version_id == sku.latest_version_id and sku.status == Sku.Status.LISTED
    assert "/admin/catalog/reviewitem/" in page.url


def test_a_reviewer_rejects_with_a_reason_from_the_page(page, catalog):
    sign_in(page, staff_user("reviewer", "商品审核"))
    sku = Sku.objects.get(sku_code="SB000003")
    page.goto(f"/admin/catalog/reviewitem/{sku.pk}/change/")

    form = page.locator(".object-action-reject")
    form.locator("textarea").fill("图片与商品不符")
    form.locator("button").click()

    page.wait_for_selector(".messagelist")
    assert "已驳回 1 个商品" in page.locator(".messagelist").inner_text()
    sku.refresh_from_db()
    assert sku.status == Sku.Status.REJECTED
    assert SkuStatusChange.objects.get(sku=sku, to_state="rejected").reason == "驳回：图片与商品不符"


def test_bulk_approval_asks_for_confirmation_first(page, catalog):
    sign_in(page, staff_user("reviewer", "商品审核"))
    page.goto("/admin/catalog/reviewitem/")
    for code in ("SB000004", "SB000005"):
        page.locator("#result_list tr", has_text=code).locator("input.action-select").check()
    page.select_option("select[name=action]", "move_to_listed")
    page.click("button[name=index]")

    page.wait_for_selector("form.confirm-action")
    listed = page.locator(".confirm-rows").inner_text()
    assert "SB000004" in listed and "SB000005" in listed
    assert Sku.objects.filter(sku_code__in=["SB000004", "SB000005"], status=Sku.Status.LISTED).count() == 0
    page.locator("form.confirm-action input[type=submit]").click()

    page.wait_for_selector(".messagelist")
    assert "2 条已处理" in page.locator(".messagelist").inner_text()
    assert Sku.objects.filter(sku_code__in=["SB000004", "SB000005"], status=Sku.Status.LISTED).count() == 2


def test_the_suppliers_introduction_is_shown_without_anything_that_could_run(page, catalog):
    sign_in(page, staff_user("reviewer", "商品审核"))
    page.goto(f"/admin/catalog/sku/{Sku.objects.get(sku_code='SB000002').pk}/change/")

    intro = page.locator(".field-changes .intro").last
    assert "介绍" in intro.inner_text()
    assert intro.locator("script, iframe, object, embed, svg, [onerror], [onload]").count() == 0
    assert intro.locator("a[href^='javascript']").count() == 0
    assert page.locator("iframe").count() == 0
    # The fixture's teardown fails the test if any alert() ran.


def test_the_sku_list_fits_a_laptop_screen_with_names_on_one_line(page, catalog):
    sign_in(page, staff_user("reviewer", "商品审核"))
    page.goto("/admin/catalog/sku/")
    page.wait_for_selector("#result_list")

    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    results = page.locator(".results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert page.locator("#result_list thead th").count() >= 9
    name = page.locator("#result_list td.field-short_name .cut").first
    full = name.get_attribute("title")
    assert full and Sku.objects.filter(name=full).exists()
    height = name.evaluate("el => el.getBoundingClientRect().height")
    line = name.evaluate("el => parseFloat(getComputedStyle(el).lineHeight) || 20")
    assert height <= line * 1.5
