"""What staff read in the admin is in words: framed 403 and 404 pages with a way back, no dead "查看站点", times to
the second, counterparty kinds and call purposes named, bodies formatted, widget texts in Chinese."""
import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from procurement.kernel.statemachine import by_source
from procurement.models import OutboundAttempt, SupplierStatusChange
from procurement.services.suppliers import supplier_set_docking_status
from tests.procurement.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def signed_in(*groups, superuser=False):
    user = User.objects.create_user(f"u{User.objects.count()}", password="pw-12345678", is_staff=True,
                                    is_superuser=superuser)
    user.groups.set(Group.objects.filter(name__in=groups))
    client = Client()
    client.force_login(user)
    return client


def test_a_refused_page_is_a_403_inside_the_admin_frame_with_the_way_back():
    response = signed_in("商品审核").get(reverse("admin:guarantees_guarantee_changelist"))

    page = response.content.decode()
    assert response.status_code == 403
    assert 'id="site-name"' in page and "没有权限（403）" in page and f'href="{reverse("admin:index")}"' in page
    assert "403 Forbidden" not in page


def test_an_unknown_admin_page_is_a_404_inside_the_frame_and_other_paths_keep_their_envelope():
    client = signed_in("商品审核")

    missing = client.get("/admin/catalog/sku/999999/change/", follow=True)
    nowhere = client.get("/admin/no-such-page/")
    served = client.get("/no-such-interface")

    assert missing.status_code == 200 and "不存在" in missing.content.decode()  # the admin's own redirect
    assert nowhere.status_code == 404 and "页面不存在（404）" in nowhere.content.decode()
    assert 'id="site-name"' in nowhere.content.decode()
    assert served["Content-Type"].startswith("application/json")


def test_there_is_no_view_site_link_to_a_site_that_does_not_exist():
    page = signed_in(superuser=True).get(reverse("admin:catalog_sku_changelist")).content.decode()

    assert "查看站点" not in page


def test_times_are_local_and_to_the_second():
    call = OutboundAttempt.objects.create(counterparty_kind="supplier", counterparty_code="SUP1", interface="x",
                                          url="https://s.example/", duration_ms=5, outcome="ok")
    page = signed_in(superuser=True).get(reverse("admin:procurement_outboundattempt_changelist")).content.decode()

    from django.utils import timezone

    assert timezone.localtime(call.started_at).strftime("%Y-%m-%d %H:%M:%S") in page


def test_the_call_log_names_counterparty_kinds_and_purposes_and_formats_bodies():
    call = OutboundAttempt.objects.create(
        counterparty_kind="guarantor", counterparty_code="bank1", interface="baohanapply", url="https://b.example/",
        duration_ms=5, outcome="ok", purpose_kind="catalog.syncrun", purpose_id=7,
        reply_excerpt=json.dumps({"code": 1, "message": "成功"}, ensure_ascii=False), error="ServerError: HTTP 502")
    client = signed_in(superuser=True)

    listing = client.get(reverse("admin:procurement_outboundattempt_changelist")).content.decode()
    page = client.get(reverse("admin:procurement_outboundattempt_change", args=[call.pk])).content.decode()

    assert '金融机构（保函） <span class="code">guarantor</span>' in listing
    assert re.search(r'<a href="\?counterparty_kind=guarantor"[^>]*>金融机构（保函）</a>', listing)
    assert "同步记录 #7" in page and '"message": "成功"' in page.replace("&quot;", '"')
    assert "对方服务器出错：HTTP 502" in page and "ServerError" not in page


def test_docking_history_names_its_states():
    supplier = SupplierFactory(docking_status="docking")
    supplier_set_docking_status(supplier, "test_passed", actor=by_source("test"), reason="联调通过")
    assert SupplierStatusChange.objects.filter(supplier=supplier).exists()

    page = signed_in(superuser=True).get(reverse("admin:procurement_supplier_change", args=[supplier.pk]))

    cells = re.findall(r'<td class="field-(?:from_label|to_label)">\s*<p>(.*?)</p>', page.content.decode(), re.S)
    assert [cell.strip() for cell in cells] == ["对接中", "测试通过"]


def test_the_widgets_texts_django_left_untranslated_are_given_in_chinese():
    client = signed_in(superuser=True)
    page = client.get(reverse("admin:procurement_supplier_add")).content.decode()
    script = re.search(r'src="(/static/procurement/admin_zh\.js)"', page)

    assert script is not None
    from django.contrib.staticfiles import finders

    text = open(finders.find("procurement/admin_zh.js"), encoding="utf-8").read()
    assert '"Choose all %s": "全选%s"' in text and '"Remove all %s"' in text
