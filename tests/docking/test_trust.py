"""The trust mark: granted only on a passing, complete run of the current contract that is the supplier's latest,
by someone with the permission, through the service, the admin action or a crafted POST alike; withdrawn with a
reason."""
import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from procurement.docking.models import DockingRun
from procurement.docking.services import DockingRefused, trust_grant, trust_withdraw
from procurement.kernel.statemachine import by_source, by_user
from procurement.models import Supplier, SupplierStatusChange
from tests.docking.helpers import run_to_end

DockingStatus = Supplier.DockingStatus


@pytest.fixture
def approver(client):
    user = User.objects.create_user("approver", password="pw-Approver-2026", is_staff=True)
    user.groups.add(Group.objects.get(name="信任标识审批"))
    client.force_login(user)
    return user


def _status(supplier):
    supplier.refresh_from_db()
    return supplier.docking_status


def test_a_passing_run_moves_the_supplier_to_test_passed_and_the_grant_to_production(test_environment, approver):
    _sandbox, supplier = test_environment("emall")
    run = run_to_end(supplier)
    assert _status(supplier) == DockingStatus.TEST_PASSED

    trust_grant(run, actor=by_user(approver))

    assert _status(supplier) == DockingStatus.PRODUCTION
    history = list(SupplierStatusChange.objects.filter(supplier=supplier).order_by("at", "id")
                   .values_list("from_state", "to_state", "actor", "source"))
    assert history == [("docking", "test_passed", None, f"对接测试 #{run.pk}"),
                       ("test_passed", "production", approver.pk, "")]


def test_a_failing_run_earns_nothing_and_cannot_be_granted(test_environment, approver):
    _sandbox, supplier = test_environment("emall", batch_limit="200")
    run = run_to_end(supplier)
    assert run.status == DockingRun.Status.FAILED and _status(supplier) == DockingStatus.DOCKING
    supplier.docking_status = DockingStatus.TEST_PASSED  # even had the supplier got there some other way
    Supplier.objects.filter(pk=supplier.pk).update(docking_status=DockingStatus.TEST_PASSED)

    with pytest.raises(DockingRefused, match="未通过"):
        trust_grant(run, actor=by_user(approver))
    assert _status(supplier) == DockingStatus.TEST_PASSED


def test_an_outdated_run_cannot_be_granted(test_environment, approver):
    _sandbox, supplier = test_environment("mall")
    run = run_to_end(supplier)
    DockingRun.objects.filter(pk=run.pk).update(contract_version="mall-2020.01")

    with pytest.raises(DockingRefused, match="不是该电商现行的"):
        trust_grant(run, actor=by_user(approver))
    assert _status(supplier) == DockingStatus.TEST_PASSED


def test_only_the_latest_finished_run_counts(test_environment, approver):
    sandbox, supplier = test_environment("emall")
    passed = run_to_end(supplier)
    sandbox.faults.update(batch_limit="200")
    run_to_end(supplier)

    with pytest.raises(DockingRefused, match="最近一次"):
        trust_grant(passed, actor=by_user(approver))


def test_a_partial_run_cannot_be_granted(test_environment, approver):
    _sandbox, supplier = test_environment("emall")
    run = run_to_end(supplier, cases=["prices"])
    assert run.status == DockingRun.Status.PASSED and _status(supplier) == DockingStatus.DOCKING
    Supplier.objects.filter(pk=supplier.pk).update(docking_status=DockingStatus.TEST_PASSED)
    with pytest.raises(DockingRefused, match="部分用例"):
        trust_grant(run, actor=by_user(approver))


def test_staff_without_the_permission_cannot_grant(test_environment, db):
    _sandbox, supplier = test_environment("emall")
    run = run_to_end(supplier)
    clerk = User.objects.create_user("clerk", password="pw-Clerk-2026", is_staff=True)
    clerk.groups.add(Group.objects.get(name="对接管理"))
    with pytest.raises(DockingRefused, match="权限"):
        trust_grant(run, actor=by_user(clerk))
    assert _status(supplier) == DockingStatus.TEST_PASSED


def _grant_post(client, run):
    return client.post(reverse("admin:procurement_dockingrun_changelist"),
                       {"action": "grant_trust", "_selected_action": [run.pk]}, follow=True)


def test_the_admin_action_grants_on_a_passing_run(test_environment, client, approver):
    _sandbox, supplier = test_environment("emall")
    run = run_to_end(supplier)
    page = _grant_post(client, run)
    assert "已依据 1 次对接测试授予正式环境信任标识" in page.content.decode()
    assert _status(supplier) == DockingStatus.PRODUCTION


def test_the_admin_action_refuses_a_failing_run_with_the_reason(test_environment, client, approver):
    _sandbox, supplier = test_environment("emall", batch_limit="200")
    run = run_to_end(supplier)
    Supplier.objects.filter(pk=supplier.pk).update(docking_status=DockingStatus.TEST_PASSED)
    page = _grant_post(client, run)
    assert "只能依据通过的测试授予信任标识" in page.content.decode()
    assert _status(supplier) == DockingStatus.TEST_PASSED


def test_a_crafted_post_without_the_permission_grants_nothing(test_environment, client):
    _sandbox, supplier = test_environment("emall")
    run = run_to_end(supplier)
    clerk = User.objects.create_user("clerk", password="pw-Clerk-2026", is_staff=True)
    clerk.groups.add(Group.objects.get(name="对接管理"))
    client.force_login(clerk)

    _grant_post(client, run)
    client.post(reverse("admin:procurement_dockingrun_act", args=[run.pk, "grant_trust"]))

    assert _status(supplier) == DockingStatus.TEST_PASSED


def test_withdrawing_suspends_with_the_reason_and_a_new_pass_then_a_grant_restores(test_environment, approver):
    sandbox, supplier = test_environment("emall")
    trust_grant(run_to_end(supplier), actor=by_user(approver))

    with pytest.raises(DockingRefused, match="原因"):
        trust_withdraw(supplier, actor=by_user(approver), reason=" ")
    trust_withdraw(supplier, actor=by_user(approver), reason="测试环境与正式环境不一致")
    assert _status(supplier) == DockingStatus.SUSPENDED
    assert SupplierStatusChange.objects.filter(supplier=supplier, to_state="suspended",
                                               reason="测试环境与正式环境不一致").exists()

    run = run_to_end(supplier)
    assert _status(supplier) == DockingStatus.TEST_PASSED
    trust_grant(run, actor=by_source("测试"))
    assert _status(supplier) == DockingStatus.PRODUCTION


def test_a_superusers_crafted_post_on_a_failing_run_grants_nothing(test_environment, client):
    _sandbox, supplier = test_environment("emall", batch_limit="200")
    run = run_to_end(supplier)
    Supplier.objects.filter(pk=supplier.pk).update(docking_status=DockingStatus.TEST_PASSED)
    client.force_login(User.objects.create_superuser("root", "root@example.cn", "pw-Root-2026"))

    page = client.post(reverse("admin:procurement_dockingrun_act", args=[run.pk, "grant_trust"]), follow=True)

    assert "只能依据通过的测试授予信任标识" in page.content.decode()
    assert _status(supplier) == DockingStatus.TEST_PASSED
