"""The SKU page as a reviewer uses it: names instead of codes, the supplier's HTML made harmless, prices beside
their rule, decisions from the page followed by the next SKU in the queue, and refusals that say what happened."""
import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from catalog.admin.labels import RULE_LABELS
from catalog.listing import awaiting_review, sku_approve, sku_reject
from catalog.models import Category, CategoryParam, Sku, SkuStatusChange
from catalog.sync.passes import sync_pass
from procurement.kernel.safehtml import safe_html
from procurement.kernel.statemachine import by_source, by_user
from procurement.models import Brand, Promise

pytestmark = pytest.mark.django_db
HOSTILE = ('<p onclick="steal()">好用<script>alert(1)</script><img src="https://img.example/a.jpg" onerror="alert(2)">'
           '<a href="javascript:alert(3)">点我</a><a href="/admin/logout/">退出</a></p>'
           '<iframe src="https://evil.example/"></iframe><object data="https://evil.example/x.swf"></object>'
           '<embed src="https://evil.example/y"><svg onload="alert(4)"><circle/></svg><style>body{display:none}</style>'
           '<form action="https://evil.example/"><input name="p"></form><meta http-equiv="refresh" content="0">'
           '<base href="https://evil.example/"><link rel="stylesheet" href="https://evil.example/s.css">')
DANGEROUS = re.compile(r"<script|<iframe|<object|<embed|<svg|<style|<form|<meta|<base|<link|onerror|onload|onclick"
                       r"|javascript:|evil\.example|steal", re.IGNORECASE)


@pytest.fixture
def catalog(supplier_platform):
    sandbox, _, supplier = supplier_platform(30)
    sync_pass(supplier.pk)
    return sandbox, supplier


@pytest.fixture
def reviewer(client):
    user = User.objects.create_user("reviewer", password="pw-12345678", is_staff=True)
    user.groups.set(Group.objects.filter(name="商品审核"))
    client.force_login(user)
    return user


def page_of(client, sku, queue=False):
    name = "admin:catalog_reviewitem_change" if queue else "admin:catalog_sku_change"
    return client.get(reverse(name, args=[sku.pk])).content.decode()


def test_the_sanitiser_keeps_text_tables_and_images_and_drops_everything_that_runs():
    cleaned = safe_html(HOSTILE + '<table><tr><td colspan="2">规格</td></tr></table>')

    assert not DANGEROUS.search(cleaned)
    assert "好用" in cleaned and '<img src="https://img.example/a.jpg">' in cleaned
    assert '<td colspan="2">规格</td>' in cleaned and "退出" in cleaned and 'href="/admin' not in cleaned


def test_a_hostile_introduction_reaches_the_page_without_scripts_handlers_or_frames(client, reviewer, catalog):
    sandbox, supplier = catalog
    sku = Sku.objects.get(sku_code="SB000001")
    sku_approve(sku, actor=by_source("test"))
    sandbox.change_detail("SB000001", introduction=HOSTILE)
    sync_pass(supplier.pk)

    page = page_of(client, sku)

    intros = re.findall(r'<div class="intro">(.*?)</div>', page, re.S)
    assert intros and "好用" in intros[-1]
    assert not any(DANGEROUS.search(intro) for intro in intros)
    assert not re.search(r"<script>alert|<iframe|evil\.example|onerror=", page)


def test_the_page_names_category_brand_promises_and_parameters_with_units(client, reviewer, catalog):
    sku = Sku.objects.get(sku_code="SB000001")
    content = sku.latest_version.content
    category = Category.objects.get(code=content["category"])
    brand = Brand.objects.get(code=content["brand"])
    param = CategoryParam.objects.filter(category=category).first()
    CategoryParam.objects.filter(pk=param.pk).update(unit="千克")

    page = page_of(client, sku)

    assert f"{category.name} <span class=\"code\">{category.code}</span>" in page
    assert f"{brand.name}" in page and f'<span class="code">{brand.code}</span>' in page
    for code in content["promises"]:
        assert Promise.objects.get(code=code).name in page
    assert f"{param.name}（千克）" in page and "参数 1001" not in page
    first_image = content["images"][0]
    assert f'<a href="{first_image}" target="_blank" rel="noopener noreferrer"><img src="{first_image}"' in page


def test_prices_are_shown_beside_the_rule_they_are_checked_against(client, reviewer, catalog):
    sku = Sku.objects.get(sku_code="SB000001")
    Sku.objects.filter(pk=sku.pk).update(price=200, mall_price=150)

    page = page_of(client, sku)

    assert "规则：协议价大于 0，且不高于商城售价" in page and "协议价 200.00 高于商城售价 150.00" in page and "✘" in page


def test_approving_from_the_page_goes_on_to_the_oldest_sku_left_in_the_queue(client, reviewer, catalog):
    queue = list(Sku.objects.filter(awaiting_review()).order_by("updated_at", "pk"))
    current, following = queue[3], queue[0]

    response = client.post(reverse("admin:catalog_reviewitem_act", args=[current.pk, "move_to_listed"]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalog_reviewitem_change", args=[following.pk])
    assert Sku.objects.get(pk=current.pk).status == Sku.Status.LISTED


def test_rejecting_from_the_page_needs_a_reason(client, reviewer, catalog):
    sku = Sku.objects.get(sku_code="SB000002")
    url = reverse("admin:catalog_reviewitem_act", args=[sku.pk, "reject"])

    asked = client.post(url, {"_from_page": "1", "reason": "  "})
    assert asked.status_code == 200 and "请填写原因" in asked.content.decode()
    assert Sku.objects.get(pk=sku.pk).status == Sku.Status.PENDING_REVIEW

    client.post(url, {"_from_page": "1", "reason": "参数与图片不符"})
    assert SkuStatusChange.objects.get(sku=sku, to_state="rejected").reason == "驳回：参数与图片不符"


def test_when_another_reviewer_got_there_first_the_message_says_what_happened_to_which_sku(client, reviewer,
                                                                                              catalog):
    sku = Sku.objects.get(sku_code="SB000003")
    other = User.objects.create_user("other", password="pw-12345678", is_staff=True)
    sku_reject(sku, actor=by_user(other), reason="先驳回了")

    page = client.post(reverse("admin:catalog_sku_changelist"), {
        "action": "move_to_listed", "_selected_action": [sku.pk]}, follow=True).content.decode()

    assert "已处理" not in page and "未处理 1 条" in page
    assert f"{sku}：" in page and "现为「审核驳回」" in page and "other 于" in page


def test_findings_and_the_rule_filter_are_in_words(client, reviewer, catalog):
    invalid = Sku.objects.get(sku_code="SB000025")
    rule = invalid.findings.first().rule

    page = page_of(client, invalid)
    listing = client.get(reverse("admin:catalog_sku_changelist")).content.decode()

    assert f'{RULE_LABELS[rule]} <span class="code">{rule}</span>' in page
    assert re.search(rf'<a href="\?rule={rule}"[^>]*>{RULE_LABELS[rule]}</a>', listing)


def test_the_history_names_states_in_words(client, reviewer, catalog):
    sku = Sku.objects.get(sku_code="SB000004")
    sku_approve(sku, actor=by_source("test"))

    page = page_of(client, sku)

    cells = re.findall(r'<td class="field-(from_label|to_label)">\s*<p>(.*?)</p>', page, re.S)
    shown = {value.strip() for _, value in cells}
    assert {"新接收", "待审核", "已上架"} <= shown
    assert not shown & {"new", "pending_review", "listed"}
