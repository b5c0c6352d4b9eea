"""A supplier's docking test in the browser: it signs in with its API account, enters its test environment (our
e-mall sandbox), starts a run and watches it reach its verdict, re-runs the case it fixed, downloads the PDF; then
anyone, signed out, checks that PDF on the report check page."""
import threading
from io import BytesIO
from pathlib import Path

import pytest
from django.db import connection
from pypdf import PdfReader

from procurement.docking.models import DockingCase, DockingRun
from procurement.docking.services import run_execute
from procurement.suppliers.emall.sandbox import build_sandbox
from tests.docking.conftest import TEST_SKUS
from tests.procurement.factories import ACCOUNT_PASSWORD, SupplierAccountFactory, SupplierFactory

# Each call to the sandbox takes this long: the run lasts a few seconds, long enough to be watched.
LATENCY_MS = 20
RUN_TIMEOUT_MS = 60_000


@pytest.fixture
def sandbox(reference, sandbox_server, settings):
    settings.DOCKING_STOCK_AREAS = ["120000", "120101"]  # areas of the reference slice the sandbox knows
    built = build_sandbox(TEST_SKUS, broken=False)
    built.faults.update(latency_ms=LATENCY_MS, accept_any_password="1")  # token_wrong_password will fail
    return built, sandbox_server(built)


@pytest.fixture
def account():
    supplier = SupplierFactory(name="津门办公用品有限公司", base_url="http://127.0.0.1:9/")
    return SupplierAccountFactory(supplier=supplier, username="jinmen")


def run_in_the_background(run_id):
    """What the job does, on a worker thread of its own (the page keeps polling meanwhile)."""

    def work():
        try:
            run_execute(run_id)
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    return worker


def test_a_supplier_tests_its_platform_reruns_a_fixed_case_and_downloads_the_report(page, site, sandbox, account,
                                                                                  tmp_path):
    fake, running = sandbox
    page.goto("/docking/")
    page.fill("#id_username", "jinmen")
    page.fill("#id_password", ACCOUNT_PASSWORD)
    page.click("button[type=submit]")
    assert "津门办公用品有限公司" in page.locator("header").inner_text()

    page.get_by_role("link", name="填写").click()
    page.fill("#id_base_url", running.url)
    page.fill("#id_param__emall__username", "mall")
    page.fill("#id_param__emall__password", "sandbox-password")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector(".messages li:has-text('测试环境已保存')")
    assert running.url in page.locator("table.facts").inner_text()

    page.click("#start-run")
    page.wait_for_selector("#live-note")
    run = DockingRun.objects.get(supplier=account.supplier)
    assert page.locator("#run-status").inner_text() == "排队中"
    worker = run_in_the_background(run.pk)
    # The page follows the run by itself: the cases turn green one after another, then the verdict.
    page.wait_for_selector("#cases .verdict-passed", timeout=RUN_TIMEOUT_MS)
    page.wait_for_selector("#download-pdf", timeout=RUN_TIMEOUT_MS)
    worker.join()
    assert page.locator("#run-status").inner_text() == "未通过"
    failed_row = page.locator('tr[data-case="token_wrong_password"]')
    assert failed_row.locator(".verdict").inner_text() == "未通过"
    assert failed_row.locator(".reason").inner_text().strip()
    assert page.locator("button.rerun").count() == 1

    fake.faults.update(accept_any_password="")  # the supplier fixes its platform, then re-runs that case
    failed_row.locator("button.rerun").click()
    page.wait_for_selector('tr[data-case="token_wrong_password"] .verdict-passed')
    assert page.locator("#run-status").inner_text() == "通过"
    assert page.locator('tr[data-case="token_wrong_password"] .reruns').inner_text() == "1 次"
    assert page.locator("button.rerun").count() == 0

    with page.expect_download() as download:
        page.click("#download-pdf")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(Path(saved).read_bytes())).pages)
    run.refresh_from_db()
    assert run.report_hash and run.report_hash in text
    assert "津门办公用品有限公司" in text and "结论：通过" in text and "其中 1 项经过重测" in text
    assert run.cases.filter(verdict=DockingCase.Verdict.PASSED).count() == run.cases.count()

    # Anyone holding the file can check it, signed in or not.
    page.context.clear_cookies()
    page.goto("/docking/verify/")
    page.set_input_files("#id_report", str(saved))
    page.get_by_role("button", name="核验").click()
    page.wait_for_selector("#verification")
    assert "文件内容与出具时一致" in page.locator("#verification").inner_text()
    assert "津门办公用品有限公司" in page.locator("#verification").inner_text()
