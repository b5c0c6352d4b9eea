"""The supplier docking pages: sign-in with the supplier API account, the test environment, runs, re-runs and
reports — each supplier seeing only its own; and the staff report views."""
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from procurement.docking import models as docking
from procurement.docking.models import DockingCase, DockingRun
from procurement.docking.report import report_hash
from procurement.docking.verify import verify_pdf
from procurement.models import Supplier
from tests.docking.helpers import run_to_end
from tests.docking.report_rows import finished_run
from tests.procurement.factories import ACCOUNT_PASSWORD, SupplierAccountFactory, SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def account():
    return SupplierAccountFactory(supplier=SupplierFactory(name="津门办公用品有限公司"), username="jinmen")


@pytest.fixture
def signed_in(client, account):
    reply = sign_in(client, account.username)
    assert reply.status_code == 302 and reply["Location"] == "/docking/home/"
    return client


def sign_in(client, username, password=ACCOUNT_PASSWORD):
    return client.post("/docking/", {"username": username, "password": password})


def text(reply):
    return reply.content.decode()


# --- signing in ---

def test_a_supplier_signs_in_with_its_api_account_and_sees_its_own_page(signed_in, account):
    page = text(signed_in.get("/docking/home/"))
    assert "津门办公用品有限公司" in page and "jinmen" in page and "开始测试" in page


def test_pages_need_a_signed_in_supplier(client, account):
    run = finished_run(account.supplier)
    for url in ("/docking/home/", "/docking/environment/", f"/docking/runs/{run.pk}/",
                f"/docking/runs/{run.pk}/report.pdf", f"/docking/runs/{run.pk}/progress.json"):
        reply = client.get(url)
        assert reply.status_code == 302 and reply["Location"] == "/docking/", url


def test_a_wrong_password_is_refused(client, account):
    reply = sign_in(client, account.username, "wrong-password")
    assert reply.status_code == 400 and "用户名或密码错误" in text(reply)
    assert client.get("/docking/home/").status_code == 302


def test_an_unknown_username_gets_the_same_words(client, account):
    assert "用户名或密码错误" in text(sign_in(client, "nobody"))


def test_repeated_wrong_passwords_lock_the_page_but_never_the_suppliers_token_login(client, account, settings):
    for _ in range(settings.EMALL_LOGIN_MAX_FAILURES):
        sign_in(client, account.username, "wrong-password")
    reply = sign_in(Client(REMOTE_ADDR="10.0.0.9"), account.username)  # even the right password, from anywhere
    assert reply.status_code == 400 and "已锁定" in text(reply)
    account.refresh_from_db()
    # Anyone who knows the username can fail on this page: the platform's token login must stay usable.
    assert account.failed_logins == 0 and account.locked_until is None


def test_one_address_trying_password_after_password_across_accounts_is_held_back(client, settings):
    settings.EMALL_LOGIN_BAD_SIGNS_PER_ADDRESS = 3
    accounts = [SupplierAccountFactory() for _ in range(3)]
    for account in accounts:
        assert "用户名或密码错误" in text(sign_in(client, account.username, "guess"))
    reply = sign_in(client, accounts[0].username)  # the right password, from that address, now
    assert reply.status_code == 400 and "登录失败次数过多" in text(reply)
    assert sign_in(Client(REMOTE_ADDR="10.0.0.9"), accounts[0].username).status_code == 302  # elsewhere: fine


@pytest.mark.parametrize("make_unusable, words", [
    (lambda a: setattr(a, "locked_until", timezone.now() + timedelta(minutes=10)), "账号已锁定"),
    (lambda a: setattr(a, "is_active", False), "账号已停用"),
    (lambda a: Supplier.objects.filter(pk=a.supplier_id).update(docking_status=Supplier.DockingStatus.SUSPENDED),
     "电商已暂停对接"),
])
def test_a_locked_or_inactive_account_or_a_suspended_supplier_cannot_sign_in(client, account, make_unusable, words):
    make_unusable(account)
    account.save()
    reply = sign_in(client, account.username)
    assert reply.status_code == 400 and words in text(reply)
    assert client.get("/docking/home/").status_code == 302


def test_a_session_ends_when_the_account_is_stopped_or_its_password_changes(signed_in, account):
    from procurement.services.accounts import account_set_password

    account_set_password(account, "Another-Horse-7")
    assert signed_in.get("/docking/home/").status_code == 302
    sign_in(signed_in, account.username, "Another-Horse-7")
    assert signed_in.get("/docking/home/").status_code == 200
    SupplierAccountFactory._meta.model.objects.filter(pk=account.pk).update(is_active=False)
    assert signed_in.get("/docking/home/").status_code == 302


def test_an_unknown_docking_page_is_a_page_in_chinese(client):
    reply = client.get("/docking/no-such-page/")
    assert reply.status_code == 404 and "未找到" in text(reply) and reply["Content-Type"].startswith("text/html")


def test_sign_out(signed_in):
    assert signed_in.get("/docking/sign-out/").status_code == 405  # a link cannot sign anyone out
    reply = signed_in.post("/docking/sign-out/")
    assert reply.status_code == 302 and signed_in.get("/docking/home/").status_code == 302


def test_every_post_needs_the_csrf_token(account):
    strict = Client(enforce_csrf_checks=True)
    refused = sign_in(strict, account.username)
    assert refused.status_code == 403 and "CSRF 校验未通过" in text(refused)  # a page, not the e-mall envelope
    assert strict.get("/docking/home/").status_code == 302  # the sign-in without a token did nothing
    page = strict.get("/docking/")
    token = page.cookies["csrftoken"].value
    reply = strict.post("/docking/", {"username": account.username, "password": ACCOUNT_PASSWORD,
                                      "csrfmiddlewaretoken": token})
    assert reply.status_code == 302
    assert strict.post("/docking/environment/", {"base_url": "http://127.0.0.1:9/x"}).status_code != 302
    assert not docking.TestEndpoint.objects.exists()
    assert strict.post("/docking/runs/start/").status_code != 302
    assert not DockingRun.objects.exists()


# --- the test environment ---

def environment_form(username="test-user", password="test-secret", base_url="http://127.0.0.1:8101/"):
    return {"base_url": base_url, "param__emall__username": username, "param__emall__password": password}


def test_the_test_environment_is_stored_and_its_secret_never_shown_back(signed_in, account):
    page = text(signed_in.get("/docking/environment/"))
    assert "电商平台用户名" in page and "电商平台密码" in page and "测试环境接口地址" in page
    reply = signed_in.post("/docking/environment/", environment_form())
    assert reply.status_code == 302
    endpoint = docking.TestEndpoint.objects.get(supplier=account.supplier)
    assert (endpoint.base_url, endpoint.parameters, endpoint.secret_parameters) == (
        "http://127.0.0.1:8101/", {"username": "test-user"}, {"password": "test-secret"})
    page = text(signed_in.get("/docking/environment/"))
    assert "test-user" in page and "test-secret" not in page and "已设置（11 位）" in page
    # A secret left empty keeps the stored one.
    signed_in.post("/docking/environment/", environment_form(username="test-user-2", password=""))
    endpoint.refresh_from_db()
    assert endpoint.parameters == {"username": "test-user-2"} and endpoint.secret_parameters == {
        "password": "test-secret"}
    # Production's credentials are untouched.
    supplier = Supplier.objects.get(pk=account.supplier_id)
    assert supplier.parameters == {"username": "mall"} and supplier.secret_parameters == {"password": "remote-secret"}


def test_the_test_environment_form_shows_each_problem_on_its_field(signed_in, account):
    reply = signed_in.post("/docking/environment/", environment_form(username="", password=""))
    assert reply.status_code == 400
    page = text(reply)
    assert page.count("必填") >= 2  # the user name, and the password never stored
    assert not docking.TestEndpoint.objects.exists()
    reply = signed_in.post("/docking/environment/", environment_form(base_url="http://shop.example.com/api/"))
    assert reply.status_code == 400 and "不是 https 地址" in text(reply)


def test_the_form_asks_for_the_parameters_the_suppliers_own_protocol_declares(client):
    mall = SupplierAccountFactory(supplier=SupplierFactory(protocol="mall"))
    sign_in(client, mall.username)
    page = text(client.get("/docking/environment/"))
    assert 'name="param__mall__username"' in page and 'name="param__mall__password"' in page
    assert "param__emall__" not in page
    reply = client.post("/docking/environment/", {"base_url": "http://127.0.0.1:8104/",
                                                  "param__mall__username": "u", "param__mall__password": "p"})
    assert reply.status_code == 302
    assert docking.TestEndpoint.objects.get(supplier=mall.supplier).secret_parameters == {"password": "p"}

# --- runs: isolation ---

def test_a_supplier_cannot_open_another_suppliers_run(signed_in, account):
    other = finished_run(SupplierFactory(name="别家电商"))
    for url in (f"/docking/runs/{other.pk}/", f"/docking/runs/{other.pk}/report/",
                f"/docking/runs/{other.pk}/report.pdf", f"/docking/runs/{other.pk}/progress.json"):
        reply = signed_in.get(url)
        assert reply.status_code == 404, url
        assert "别家电商" not in text(reply)
    reply = signed_in.post(f"/docking/runs/{other.pk}/cases/token.wrong_password/rerun/")
    assert reply.status_code == 404
    assert other.cases.get(name="token.wrong_password").reruns == 0
    assert "别家电商" not in text(signed_in.get("/docking/home/"))


def test_the_history_lists_the_suppliers_own_runs(signed_in, account):
    own = finished_run(account.supplier)
    other = finished_run(SupplierFactory())
    page = text(signed_in.get("/docking/home/"))
    assert f'href="/docking/runs/{own.pk}/"' in page and f"/docking/runs/{own.pk}/report.pdf" in page
    assert f"/docking/runs/{other.pk}/" not in page


def test_the_run_page_shows_each_case_and_offers_a_rerun_of_the_failed_ones(signed_in, account):
    run = finished_run(account.supplier)
    page = text(signed_in.get(f"/docking/runs/{run.pk}/"))
    assert "错误密码应答 success:false 与 desc（5003），实际应答 HTTP 500" in page
    assert page.count('class="primary rerun"') == 2  # the two failed cases
    assert f"/docking/runs/{run.pk}/report.pdf" in page
    assert "<script>" not in page  # nothing left to follow


def test_a_running_run_page_follows_its_progress(signed_in, account):
    run = finished_run(account.supplier, status=DockingRun.Status.RUNNING, store_hash=False)
    run.cases.filter(position__gt=2).update(verdict=DockingCase.Verdict.PENDING, reason="", duration_ms=None)
    page = text(signed_in.get(f"/docking/runs/{run.pk}/"))
    assert "本页自动更新" in page and f"/docking/runs/{run.pk}/progress.json" in page
    assert 'class="primary rerun"' not in page  # nothing to re-run while it runs
    progress = signed_in.get(f"/docking/runs/{run.pk}/progress.json").json()
    assert progress["finished"] is False and progress["status_label"] == "测试中"
    assert [c["verdict"] for c in progress["cases"]] == ["passed", "failed", "pending", "pending"]
    assert progress["cases"][1]["reason"].startswith("错误密码应答")
    assert signed_in.get(f"/docking/runs/{run.pk}/report.pdf").status_code == 404  # no report before the end


def test_the_report_page_and_pdf_of_an_own_run(signed_in, account):
    run = finished_run(account.supplier)
    page = text(signed_in.get(f"/docking/runs/{run.pk}/report/"))
    assert report_hash(run) in page and "津门办公用品有限公司" in page
    reply = signed_in.get(f"/docking/runs/{run.pk}/report.pdf")
    assert reply["Content-Type"] == "application/pdf" and reply.content.startswith(b"%PDF")
    assert f"docking-report-{account.supplier.code}-{run.pk}.pdf" in reply["Content-Disposition"]


def test_a_report_downloaded_after_the_supplier_was_renamed_is_the_one_issued_and_checks_as_genuine(
        signed_in, account):
    run = finished_run(account.supplier)
    Supplier.objects.filter(pk=account.supplier_id).update(name="津门办公集团")

    page = text(signed_in.get(f"/docking/runs/{run.pk}/report/"))
    pdf = signed_in.get(f"/docking/runs/{run.pk}/report.pdf").content

    assert run.report_hash in page and "津门办公用品有限公司" in page
    assert verify_pdf(pdf).genuine


# --- staff views ---

@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("auditor", password="x", is_staff=True)


def test_staff_with_the_permission_see_any_suppliers_report(client, staff):
    run = finished_run(SupplierFactory(name="津门办公用品有限公司"))
    staff.user_permissions.add(Permission.objects.get(codename="view_dockingrun"))
    client.force_login(staff)
    page = text(client.get(f"/docking/staff/runs/{run.pk}/report/"))
    assert "津门办公用品有限公司" in page and report_hash(run) in page
    assert "错误密码应答 success:false 与 desc（5003），实际应答 HTTP 500" in page and "@media print" in page
    assert f"/docking/staff/runs/{run.pk}/report.pdf" in page
    assert client.get(f"/docking/staff/runs/{run.pk}/report.pdf").content.startswith(b"%PDF")
    assert client.get(f"/docking/staff/runs/{run.pk + 100}/report/").status_code == 404


def test_staff_views_need_staff_and_the_permission(client, staff, account):
    run = finished_run(account.supplier)
    url = f"/docking/staff/runs/{run.pk}/report/"
    assert client.get(url).status_code == 302  # to the admin's sign-in
    sign_in(client, account.username)
    assert client.get(url).status_code == 302  # a supplier's session is no staff login
    client.force_login(staff)
    reply = client.get(url)
    assert reply.status_code == 403 and "没有权限" in text(reply)
    assert client.get(f"/docking/staff/runs/{run.pk}/report.pdf").status_code == 403


# --- starting a run, re-running a case (dock-core's runner, against the sandbox supplier) ---

def test_a_run_cannot_start_without_a_test_environment(signed_in):
    reply = signed_in.post("/docking/runs/start/", follow=True)
    assert "尚未填写测试环境" in text(reply) and not DockingRun.objects.exists()


def test_a_run_cannot_start_while_one_is_running(signed_in, account):
    from procurement.docking.services import endpoint_set

    endpoint_set(account.supplier, "http://127.0.0.1:9/", {"username": "u", "password": "p"})
    running = finished_run(account.supplier, status=DockingRun.Status.RUNNING, store_hash=False)
    reply = signed_in.post("/docking/runs/start/", follow=True)
    assert f"已有一次对接测试（#{running.pk}，测试中）尚未结束" in text(reply)
    assert DockingRun.objects.filter(supplier=account.supplier).count() == 1


@pytest.fixture
def sandbox_supplier(test_environment, client):
    """A supplier whose test environment is our e-mall sandbox, signed in on `client`."""
    sandbox, supplier = test_environment("emall", accept_any_password="1")  # token_wrong_password will fail
    account = SupplierAccountFactory(supplier=supplier)
    sign_in(client, account.username)
    return sandbox, supplier, account


def test_a_supplier_starts_a_run_and_reruns_the_failed_case_after_fixing_it(
        client, sandbox_supplier, django_capture_on_commit_callbacks):
    from procurement.docking.services import run_execute

    sandbox, supplier, account = sandbox_supplier
    with django_capture_on_commit_callbacks() as enqueued:
        reply = client.post("/docking/runs/start/")
    run = DockingRun.objects.get(supplier=supplier)
    assert reply["Location"] == f"/docking/runs/{run.pk}/" and len(enqueued) == 1  # the job, once committed
    assert (run.started_via, run.started_by_account) == (DockingRun.Via.SUPPLIER, account.username)
    assert "本页自动更新" in text(client.get(reply["Location"]))

    run_execute(run.pk)  # what the job does
    page = text(client.get(f"/docking/runs/{run.pk}/"))
    assert "未通过" in page and page.count('class="primary rerun"') == 1
    first_hash = DockingRun.objects.get(pk=run.pk).report_hash

    sandbox.faults.update(accept_any_password="")  # the supplier fixes its platform
    reply = client.post(f"/docking/runs/{run.pk}/cases/token_wrong_password/rerun/")
    assert reply["Location"] == f"/docking/runs/{run.pk}/"
    run.refresh_from_db()
    case = run.cases.get(name="token_wrong_password")
    assert (case.verdict, case.reruns, run.status) == (DockingCase.Verdict.PASSED, 1, DockingRun.Status.PASSED)
    assert run.report_hash == report_hash(run) != first_hash
    report = text(client.get(f"/docking/runs/{run.pk}/report/"))
    assert "1 次" in report and "其中 1 项经过重测" in report and run.report_hash in report
    # A passed case is not re-run again: the refusal is shown.
    reply = client.post(f"/docking/runs/{run.pk}/cases/token_wrong_password/rerun/", follow=True)
    assert "只能重测未通过的用例" in text(reply)


def test_the_run_page_and_its_progress_cost_the_same_queries_whatever_the_number_of_cases(signed_in, account):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(url).status_code == 200
        return len(captured)

    few = finished_run(account.supplier)
    many = finished_run(account.supplier, cases=[(f"case.{n}", f"用例{n}", "§7.2", n % 2 == 0, "failed", "原因")
                                                 for n in range(60)])
    for page in ("", "progress.json", "report/"):
        assert queries(f"/docking/runs/{few.pk}/{page}") == queries(f"/docking/runs/{many.pk}/{page}"), page
    assert queries("/docking/home/") <= 4


def test_a_case_not_run_because_of_a_failed_one_can_be_rerun_after_it(client, test_environment):
    _sandbox, supplier = test_environment("emall", confirm_ignored="1")  # order_confirm fails, a dependent is not run
    sign_in(client, SupplierAccountFactory(supplier=supplier).username)
    run = run_to_end(supplier, via="supplier")
    page = text(client.get(f"/docking/runs/{run.pk}/"))
    for name in ("order_confirm", "order_cancel_confirmed"):
        assert f"/docking/runs/{run.pk}/cases/{name}/rerun/" in page
    assert page.count('class="primary rerun"') == 2


def test_an_interrupted_run_offers_no_rerun_but_says_why(signed_in, account):
    run = finished_run(account.supplier, status=DockingRun.Status.ERROR)
    DockingRun.objects.filter(pk=run.pk).update(error="测试进程多次中断")
    page = text(signed_in.get(f"/docking/runs/{run.pk}/"))
    assert 'class="primary rerun"' not in page and "测试进程多次中断" in page
