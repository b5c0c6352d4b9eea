"""The admin home is a dashboard: panels only for the groups that may see their data, figures from a handful of
aggregate queries whatever the amounts, links to the filtered lists, and a registry other apps plug into."""
import types

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import SupplierMessage, SupplierSync, SyncRun
from customs.models import Upload
from guarantees.models import Guarantee
from procurement.kernel.dashboard import Figure, Panel
from tests.customs.payment_factories import paid_order
from tests.guarantees.factories import IssuedGuaranteeFactory, SectionFactory
from tests.procurement.factories import SupplierFactory

pytestmark = pytest.mark.django_db
HOME = "/admin/"


def login(client, *groups, superuser=False):
    user = User.objects.create_user(f"u{User.objects.count()}", password="pw-12345678", is_staff=True,
                                    is_superuser=superuser)
    user.groups.set(Group.objects.filter(name__in=groups))
    client.force_login(user)
    return user


def panels(client):
    return {panel.key: panel for panel in client.get(HOME).context["panels"]}


def figure(panel, label):
    return next(f for f in panel.figures if f.label == label)


def some_rows(count):
    """`count` suppliers (each with a stopped sync, a run and a failed message), guarantees and customs uploads."""
    for n in range(count):
        supplier = SupplierFactory()
        SupplierSync.objects.create(supplier=supplier, halted_reason="永久性错误，已停止自动同步：ClientError: 401")
        SyncRun.objects.create(supplier=supplier, outcome=SyncRun.Outcome.FAILED)
        SupplierMessage.objects.create(supplier=supplier, message_id=f"m{n}", kind="detail", sku_code=f"S{n}",
                                       status=SupplierMessage.Status.FAILED)
        IssuedGuaranteeFactory(section=SectionFactory(), cipher_file=None)
        order = paid_order(f"ord-{Upload.objects.count()}-{n}")
        from customs.models import DataRequest

        request = DataRequest.objects.create(session_id=f"s-{order.order_no}", order_no=order.order_no,
                                             payment=order.payment, customs_service_time=1, reply_code="10000")
        Upload.objects.create(request=request, status=Upload.Status.FAILED)


def test_each_group_sees_only_the_panels_of_its_data(client):
    login(client, "商品审核")
    assert set(panels(client)) == {"review"}
    login(client, "对接管理")
    assert set(panels(client)) == {"review", "sync"}  # docking staff may view SKUs too (their role says so)
    login(client, "保函管理")
    assert set(panels(client)) == {"guarantees"}
    login(client, "海关数据")
    assert set(panels(client)) == {"customs"}
    login(client, "订单管理")
    assert set(panels(client)) == {"review", "orders"}  # order staff view SKUs to place orders for purchasers
    login(client)
    page = client.get(HOME).content.decode()
    assert client.get(HOME).context["panels"] == [] and "还没有任何岗位权限" in page


def test_the_figures_are_the_databases_and_link_to_their_filtered_lists(client):
    some_rows(2)
    login(client, superuser=True)

    shown = panels(client)

    stopped = figure(shown["sync"], "同步已停止")
    assert stopped.value == 2 and stopped.url == reverse("admin:catalog_suppliersync_changelist") + "?state=stopped"
    assert len(client.get(stopped.url).context["cl"].result_list) == 2
    failed = figure(shown["customs"], "上传失败待处理")
    assert failed.value == Upload.objects.filter(status=Upload.Status.FAILED).count() == 2
    assert client.get(failed.url).context["cl"].result_count == 2
    to_review = figure(shown["guarantees"], "待审核保函")
    assert to_review.value == Guarantee.objects.filter(review=Guarantee.Review.PENDING).count() == 2
    assert client.get(to_review.url).context["cl"].result_count == 2
    assert figure(shown["sync"], "失败待处理消息").value == 2


def test_the_dashboard_costs_the_same_queries_for_two_or_twenty_of_everything(client):
    login(client, superuser=True)
    some_rows(2)
    client.get(HOME)  # warms the per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(HOME).status_code == 200
    some_rows(18)
    with CaptureQueriesContext(connection) as many:
        client.get(HOME)

    assert len(many) == len(few) and len(few) <= 30


def test_an_app_adds_its_panel_with_a_dashboard_module_of_its_own(client, monkeypatch):
    from procurement import admin_home

    contracts = types.SimpleNamespace(panels=lambda request: [
        Panel("contracts", "合同", [Figure("待盖章合同", 3, "/admin/contracts/", alert=True)], order=60)])
    real = admin_home.app_modules
    monkeypatch.setattr(admin_home, "app_modules", lambda name: [*real(name), contracts])
    login(client, "商品审核")

    page = client.get(HOME).content.decode()

    assert [p.key for p in client.get(HOME).context["panels"]] == ["review", "contracts"]
    assert 'id="panel-contracts"' in page and "待盖章合同" in page


def test_the_charts_are_drawn_on_the_server_with_no_outside_assets(client):
    login(client, superuser=True)
    some_rows(1)

    page = client.get(HOME).content.decode()

    assert page.count("<svg viewBox=") >= 3 and "近 30 天同步（成功 0，失败或中断 1）" in page
    assert "cdn" not in page.lower() and "https://" not in page.split("<body", 1)[1].split("<svg", 1)[0]
