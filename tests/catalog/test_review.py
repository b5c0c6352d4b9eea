"""The review queue in the admin: who may decide, approve / reject (with a reason) / delist, what staff see."""
import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.listing import sku_approve
from catalog.models import Sku, SkuStatusChange, SkuVersion
from catalog.sync.passes import sync_pass
from procurement.kernel.statemachine import IllegalTransition, by_source

pytestmark = pytest.mark.django_db
Status = Sku.Status
CHANGELIST = "admin:catalog_sku_changelist"
QUEUE = "admin:catalog_reviewitem_changelist"


@pytest.fixture
def catalog(supplier_platform):
    sandbox, _, supplier = supplier_platform(50)
    sync_pass(supplier.pk)
    return sandbox, supplier


def staff(client, username, *groups):
    user = User.objects.create_user(username, password="pw-12345678", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    client.force_login(user)
    return user


def pks(*codes):
    return [str(pk) for pk in Sku.objects.filter(sku_code__in=codes).values_list("pk", flat=True)]


def act(client, action, codes, url=CHANGELIST, **extra):
    return client.post(reverse(url), {"action": action, "_selected_action": pks(*codes), **extra}, follow=True)


def test_a_reviewer_approves_in_bulk_and_the_history_says_who(client, catalog):
    reviewer = staff(client, "reviewer", "商品审核")

    asked = act(client, "move_to_listed", ["SB000001", "SB000002"], url=QUEUE)
    assert "确认审核通过（上架或接受变更）（2 条）" in asked.content.decode()
    assert not Sku.objects.filter(status=Status.LISTED).exists()
    response = act(client, "move_to_listed", ["SB000001", "SB000002"], url=QUEUE, _confirmed="1")

    assert "2 条已处理" in response.content.decode()
    assert set(Sku.objects.filter(status=Status.LISTED).values_list("sku_code", flat=True)) == {"SB000001", "SB000002"}
    change = SkuStatusChange.objects.get(sku__sku_code="SB000001", to_state="listed")
    assert change.actor == reviewer and change.from_state == "pending_review"


def test_staff_without_the_review_permission_cannot_decide(client, catalog):
    staff(client, "docking", "对接管理")

    response = client.get(reverse(CHANGELIST))
    act(client, "move_to_listed", ["SB000001"])

    assert response.status_code == 200 and "move_to_listed" not in response.content.decode()
    assert Sku.objects.get(sku_code="SB000001").status == Status.PENDING_REVIEW


def test_reject_asks_for_a_reason_and_records_it(client, catalog):
    staff(client, "reviewer", "商品审核")

    form = act(client, "reject", ["SB000003"])
    assert "驳回原因" in form.content.decode()
    assert Sku.objects.get(sku_code="SB000003").status == Status.PENDING_REVIEW

    act(client, "reject", ["SB000003"], reason="图片与商品不符")

    sku = Sku.objects.get(sku_code="SB000003")
    assert sku.status == Status.REJECTED
    assert sku.status_changes.get(to_state="rejected").reason == "驳回：图片与商品不符"


def test_an_invalid_sku_cannot_be_approved(catalog):
    invalid = Sku.objects.get(sku_code="SB000025")
    with pytest.raises(IllegalTransition):
        sku_approve(invalid, actor=by_source("test"))


def test_the_queue_shows_new_and_changed_skus_only_and_filters(client, catalog):
    sandbox, supplier = catalog
    staff(client, "reviewer", "商品审核")
    sku_approve(Sku.objects.get(sku_code="SB000004"), actor=by_source("test"))
    sku_approve(Sku.objects.get(sku_code="SB000005"), actor=by_source("test"))
    sandbox.change_detail("SB000005", attributes={"1002": "新型号X1"})
    sync_pass(supplier.pk)

    shown = client.get(reverse(QUEUE)).context["cl"].result_list
    changed = client.get(reverse(QUEUE), {"review_reason__exact": "changed"}).context["cl"].result_list

    codes = {sku.sku_code for sku in shown}
    assert "SB000005" in codes and "SB000004" not in codes and "SB000025" not in codes
    assert [sku.sku_code for sku in changed] == ["SB000005"]


def test_the_change_page_shows_what_changed_since_the_approved_version(client, catalog):
    sandbox, supplier = catalog
    staff(client, "reviewer", "商品审核")
    sku = Sku.objects.get(sku_code="SB000006")
    sku_approve(sku, actor=by_source("test"))
    sandbox.change_detail("SB000006", name="联想 新一代商用台式机", attributes={"1002": "新型号X2"})
    sync_pass(supplier.pk)

    page = client.get(reverse("admin:catalog_sku_change", args=[sku.pk])).content.decode()

    assert "联想 新一代商用台式机" in page and "新型号X2" in page and "型号" in page


def test_invalid_skus_show_every_reason_and_filter_by_rule(client, catalog):
    staff(client, "reviewer", "商品审核")

    listing = client.get(reverse(CHANGELIST), {"rule": "category_not_leaf"}).context["cl"].result_list
    page = client.get(reverse("admin:catalog_sku_change", args=[listing[0].pk])).content.decode()

    assert [sku.sku_code for sku in listing] == ["SB000050"]
    assert "不是末级品目" in page and "5007" in page


def test_the_sku_list_costs_the_same_queries_for_ten_or_fifty_rows(client, catalog, django_assert_max_num_queries):
    staff(client, "reviewer", "商品审核")
    client.get(reverse(CHANGELIST))

    with django_assert_max_num_queries(15):
        response = client.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) == 50


def test_staff_delist_and_send_back_to_review(client, catalog):
    staff(client, "reviewer", "商品审核")
    sku_approve(Sku.objects.get(sku_code="SB000007"), actor=by_source("test"))

    act(client, "move_to_delisted", ["SB000007"])
    assert Sku.objects.get(sku_code="SB000007").status == Status.LISTED  # a delisting needs its reason
    act(client, "move_to_delisted", ["SB000007"], reason="电商申请暂停销售")
    assert Sku.objects.get(sku_code="SB000007").delist_cause == "staff"
    assert SkuStatusChange.objects.filter(sku__sku_code="SB000007", to_state="delisted").get().reason == "电商申请暂停销售"
    act(client, "move_to_pending_review", ["SB000007"])

    assert Sku.objects.get(sku_code="SB000007").status == Status.PENDING_REVIEW


def test_the_sku_change_page_costs_the_same_queries_for_one_or_many_versions(client, catalog):
    staff(client, "reviewer", "商品审核")
    one, many = Sku.objects.get(sku_code="SB000008"), Sku.objects.get(sku_code="SB000009")
    sku_approve(one, actor=by_source("test"))
    sku_approve(many, actor=by_source("test"))
    latest = SkuVersion.objects.get(pk=Sku.objects.get(pk=many.pk).latest_version_id)
    for number in range(latest.number + 1, latest.number + 6):
        latest = SkuVersion.objects.create(sku=many, number=number, content=latest.content,
                                           content_hash=f"h{number}", valid=True)
    Sku.objects.filter(pk=many.pk).update(latest_version=latest)

    def queries(sku):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("admin:catalog_sku_change", args=[sku.pk]))
        assert page.status_code == 200
        return len(captured)

    queries(one)  # warms the per-process caches (content types, permissions)
    assert queries(many) == queries(one)


def test_the_sku_list_leaves_the_version_content_out(client, catalog):
    staff(client, "reviewer", "商品审核")
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse(CHANGELIST))

    rows = next(q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "catalog_sku"."id"'))
    assert '"procurement_supplier"' in rows and '"catalog_skuversion"' not in rows
