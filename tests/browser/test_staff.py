"""Guarantee, customs and docking staff in the browser: a guarantee accepted then rejected (and not accepted again
without a new review), a failed customs upload resubmitted, a stopped sync resumed."""
import pytest

from catalog.models import SupplierSync
from customs.models import Upload
from customs.services import request_record
from customs.upload import upload_send
from guarantees.models import Guarantee
from tests.browser.conftest import off_the_loop, sign_in, staff_user
from tests.customs.payment_factories import paid_order
from tests.guarantees.factories import IssuedGuaranteeFactory
from tests.procurement.factories import SupplierFactory


def test_a_guarantee_is_accepted_then_rejected_with_a_reason_and_needs_a_new_review(page, site):
    guarantee = off_the_loop(IssuedGuaranteeFactory)
    sign_in(page, staff_user("banker", "保函管理"))
    page.goto(f"/admin/guarantees/guarantee/{guarantee.pk}/change/")

    page.locator(".object-action-move_to_accepted button").click()
    page.wait_for_selector(".messagelist")
    assert "审核通过：1 条已处理" in page.locator(".messagelist").inner_text()
    timeline = page.locator("#events-group").inner_text()
    assert "审核通过" in timeline and "accepted" not in timeline

    reject = page.locator(".object-action-move_to_rejected")
    reject.locator("textarea").fill("付保费账户不是投标企业基本户")
    reject.locator("button").click()
    page.wait_for_selector(".object-action-move_to_review_pending")

    guarantee.refresh_from_db()
    assert guarantee.review == Guarantee.Review.REJECTED
    assert guarantee.events.get(to_state="rejected").reason == "付保费账户不是投标企业基本户"
    assert page.locator(".object-action-move_to_accepted").count() == 0  # only 重新审核 is offered now


def test_a_failed_customs_upload_is_resubmitted_from_its_page(page, site):
    paid_order("ord-bad", goods=())  # no goods: the upload fails the §1.6.3 check and is not sent
    request_record(order_no="ord-bad", session_id="session-bad", service_time=1533271903898)
    upload = Upload.objects.get()
    upload_send(upload.pk)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.FAILED
    sign_in(page, staff_user("customs", "海关数据"))

    page.goto("/admin/customs/upload/?status__exact=failed")
    page.locator("#result_list tbody tr", has_text="session-bad").locator("th a").click()
    assert "至少一件商品" in page.locator(".field-problem_list").inner_text()
    page.locator(".object-action-resubmit button").click()

    page.wait_for_selector(".messagelist")
    assert "已重新提交 1 条" in page.locator(".messagelist").inner_text()
    upload.refresh_from_db()
    assert upload.status == Upload.Status.PENDING


def test_a_stopped_sync_shows_as_stopped_with_its_cause_and_is_resumed(page, site):
    supplier = SupplierFactory(code="STOPPED-1")
    SupplierSync.objects.create(supplier=supplier, failures=6, last_error="ServerError: HTTP 502",
                                halted_reason="连续 6 次失败，已停止自动同步：ServerError: HTTP 502")
    sign_in(page, staff_user("docking", "对接管理"))

    page.goto("/admin/catalog/suppliersync/?state=stopped")
    row = page.locator("#result_list tbody tr", has_text="STOPPED-1")
    assert "已停止" in row.inner_text() and "对方服务器出错" in row.inner_text()
    assert "ServerError" not in row.inner_text()
    row.locator("th a, td a").first.click()
    page.locator(".object-action-resume button").click()

    page.wait_for_selector(".messagelist")
    assert "已恢复 1 个电商的自动同步" in page.locator(".messagelist").inner_text()
    assert page.locator(".field-state .readonly").inner_text() == "正常"
    assert page.locator(".field-cause .readonly").inner_text() == "—"
    state = SupplierSync.objects.get(supplier=supplier)
    assert state.halted_reason == "" and state.failures == 0


@pytest.mark.parametrize("group", ["商品审核"])
def test_a_reviewer_sees_no_guarantee_pages(page, site, group):
    off_the_loop(IssuedGuaranteeFactory)
    sign_in(page, staff_user("reviewer", group))

    assert page.locator("#panel-guarantees").count() == 0 and page.locator("#panel-review").count() == 1
    response = page.goto("/admin/guarantees/guarantee/")

    assert response.status == 403
    assert page.locator("#header #site-name").count() == 1  # inside the admin's frame
    assert "没有权限" in page.locator("#content").inner_text()
    page.get_by_role("link", name="返回首页").click()
    page.wait_for_selector("#panel-review")


def test_a_user_without_groups_sees_the_framed_403(page, site):
    sign_in(page, staff_user("newcomer"))
    assert "还没有任何岗位权限" in page.locator("#content").inner_text()

    response = page.goto("/admin/catalog/sku/")

    assert response.status == 403
    assert page.locator("#header #site-name").count() == 1 and "没有权限（403）" in page.locator("h1").inner_text()
    assert page.locator("a", has_text="返回首页").count() == 1


def test_the_platform_picker_speaks_chinese(page, site):
    sign_in(page, staff_user("docking", "对接管理"))
    page.goto("/admin/procurement/supplier/add/")

    choose_all = page.locator("#id_platforms_add_all, .selector-chooseall").first
    choose_all.wait_for()
    assert "全选" in choose_all.inner_text() and "Choose" not in page.locator(".selector").inner_text()
