"""The admin home as a dashboard: its figures are the database's, and each leads to the list behind it."""
import re

import pytest

from catalog.listing import awaiting_review
from catalog.models import Sku, SupplierSync
from catalog.sync.passes import sync_pass
from customs.models import Upload
from customs.services import request_record
from customs.upload import upload_send
from guarantees.models import Guarantee
from tests.browser.conftest import off_the_loop, sign_in, staff_user
from tests.customs.payment_factories import paid_order
from tests.guarantees.factories import IssuedGuaranteeFactory
from tests.procurement.factories import SupplierFactory


@pytest.fixture
def mall(supplier_platform, site):
    """SKUs waiting and invalid, a stopped supplier sync, guarantees to review, a failed customs upload."""
    _, _, supplier = supplier_platform(26)  # SB000025 fails validation
    sync_pass(supplier.pk)
    stopped = SupplierFactory(code="STOPPED-1")
    SupplierSync.objects.create(supplier=stopped, failures=1, halted_reason="永久性错误，已停止自动同步：ClientError: 401")
    off_the_loop(lambda: [IssuedGuaranteeFactory() for _ in range(3)])
    paid_order("ord-bad", goods=())
    request_record(order_no="ord-bad", session_id="session-bad", service_time=1533271903898)
    upload_send(Upload.objects.get().pk)


def figure(page, panel, label):
    return page.locator(f"#panel-{panel} [data-figure='{label}']")


def listed(page):
    """The number of rows the list says it has (its paginator: "12 商品")."""
    return int(re.match(r"\s*(\d+)", page.locator("p.paginator").inner_text())[1])


@pytest.mark.parametrize(("panel", "label", "expected"), [
    ("review", "待审核", lambda: Sku.objects.filter(awaiting_review()).count()),
    ("review", "校验未通过", lambda: Sku.objects.filter(status=Sku.Status.INVALID).count()),
    ("sync", "同步已停止", lambda: SupplierSync.objects.exclude(halted_reason="").count()),
    ("guarantees", "待审核保函", lambda: Guarantee.objects.filter(review=Guarantee.Review.PENDING,
                                                             status=Guarantee.Status.ISSUED).count()),
    ("customs", "上传失败待处理", lambda: Upload.objects.filter(status=Upload.Status.FAILED).count()),
])
def test_each_figure_is_the_databases_and_leads_to_the_list_behind_it(page, mall, panel, label, expected):
    sign_in(page, staff_user("boss", superuser=True))
    shown = figure(page, panel, label)

    value = int(shown.locator(".value").inner_text())
    assert value == expected() and value > 0
    shown.locator("a").click()
    page.wait_for_selector("#result_list")

    assert listed(page) == value
