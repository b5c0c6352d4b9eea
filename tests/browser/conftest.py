"""Browser tests: the real admin, served by pytest-django's live server, driven in Debian's headless Chromium
through Playwright. Marked `browser` (`pytest -m browser` runs them alone); without /usr/bin/chromium they are
skipped with the reason. A failing test leaves a screenshot and the page's HTML under var/browser-failures/.
"""
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

CHROMIUM = Path(os.environ.get("BROWSER_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
FAILURES = Path(__file__).resolve().parents[2] / "var" / "browser-failures"
PASSWORD = "pw-Browser-2026"
WIDTH, HEIGHT = 1366, 768
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the whole package; each test gets its own context (cookies, storage: a fresh profile)."""
    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} (`make browser`, as root: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running on this thread: the tests' own ORM calls are still
    # synchronous, so Django's async-safety check is lifted for this package only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    # launch() starts Chromium on a new temporary user-data-dir, removed when it closes.
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server, settings):
    """The live server, reachable over plain http on the loopback."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.CATALOG_FETCH_WORKERS = 1
    settings.CATALOG_IMAGE_CHECK_WORKERS = 1
    return live_server


class Problems:
    """What the page did that no user should see: script errors, dialogs (an alert is a script that ran)."""

    def __init__(self, page):
        self.errors, self.dialogs = [], []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, base_url=site.url, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    opened.problems = Problems(opened)
    yield opened
    context.close()
    assert not opened.problems.errors, f"脚本错误：{opened.problems.errors}"
    assert not opened.problems.dialogs, f"页面弹出了对话框（有脚本被执行）：{opened.problems.dialogs}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if report.when == "call" and report.failed else None
    if page is None:
        return
    FAILURES.mkdir(parents=True, exist_ok=True)
    stem = FAILURES / re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1])
    try:
        page.screenshot(path=f"{stem}.png", full_page=True)
        Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
        saved = f"截图与页面已保存：{stem}.png，{stem}.html（地址 {page.url}）"
    except Exception as error:  # noqa: BLE001 - the report must not hide the test's own failure
        saved = f"未能保存截图：{error}"
    report.sections.append(("browser", saved))


def staff_user(username, *groups, superuser=False):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, is_superuser=superuser)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def sign_in(page, user):
    """Through the login form, as a person does."""
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def off_the_loop(make, *args, **kwargs):
    """make(...) on a thread of its own: code that runs asyncio itself (pyHanko signing a PDF) cannot run on this
    one, where Playwright's loop is running. The data is committed (live-server tests), so every thread sees it."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def run():
        try:
            return make(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
