"""The Chinese admin: every page opens, secrets are write-only, rights follow groups, docking status moves by action."""
import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Group, User
from django.urls import reverse

from catalog.models import Category
from procurement.models import Supplier, SupplierAccount, SupplierStatusChange
from tests.catalog.factories import CategoryFactory, CategoryParamFactory
from tests.procurement.factories import SupplierAccountFactory, SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(client):
    user = User.objects.create_superuser("boss", "boss@example.cn", "pw-Boss-2026")
    client.force_login(user)
    return user


def staff_in(group_name, client):
    user = User.objects.create_user("clerk", password="pw-Clerk-2026", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    client.force_login(user)
    return user


def test_every_registered_page_opens_in_chinese(client, boss):
    account = SupplierAccountFactory()
    CategoryParamFactory()

    for model in site._registry:
        opts = model._meta
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, opts.label
        first = model.objects.first()
        if first is not None:
            page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
            assert page.status_code == 200, opts.label
    home = client.get(reverse("admin:index")).content.decode()
    assert "电商对接" in home and "站点管理" not in home
    assert account.supplier.name in client.get(reverse("admin:procurement_supplier_changelist")).content.decode()


def test_a_supplier_password_is_stored_encrypted_and_never_shown(client, boss):
    supplier = SupplierFactory(password="")
    url = reverse("admin:procurement_supplier_change", args=[supplier.pk])
    form = {
        "name": supplier.name, "code": supplier.code, "protocol": "emall", "base_url": "https://mall.example.cn/",
        "platforms": [p.pk for p in supplier.platforms.all()], "param__emall__username": "mall",
        "param__emall__password": "Top-Secret-Pw", "sync_enabled": "on",
        "poll_interval_minutes": 5, "note": "",
        "contacts-TOTAL_FORMS": 0, "contacts-INITIAL_FORMS": 0,
        "status_changes-TOTAL_FORMS": 0, "status_changes-INITIAL_FORMS": 0,
    }

    response = client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    supplier.refresh_from_db()
    assert supplier.secret_parameters == {"password": "Top-Secret-Pw"}
    page = client.get(url).content.decode()
    assert "Top-Secret-Pw" not in page
    assert "已设置（13 位）" in page


def test_leaving_the_password_blank_keeps_it(client, boss):
    supplier = SupplierFactory(password="Keep-Me")
    client.post(reverse("admin:procurement_supplier_change", args=[supplier.pk]), {
        "name": "改名电商", "code": supplier.code, "protocol": "emall", "base_url": supplier.base_url,
        "param__emall__username": "mall", "param__emall__password": "", "poll_interval_minutes": 5,
        "contacts-TOTAL_FORMS": 0, "contacts-INITIAL_FORMS": 0,
        "status_changes-TOTAL_FORMS": 0, "status_changes-INITIAL_FORMS": 0,
    })

    supplier.refresh_from_db()
    assert (supplier.name, supplier.secret_parameters["password"]) == ("改名电商", "Keep-Me")


def test_creating_an_account_shows_its_signing_secret_once(client, boss):
    supplier = SupplierFactory()

    response = client.post(reverse("admin:procurement_supplieraccount_add"), {
        "supplier": supplier.pk, "username": "jd-api", "is_active": "on", "new_password": "Supplier-Pw-1",
        "tokens-TOTAL_FORMS": 0, "tokens-INITIAL_FORMS": 0,
    }, follow=True)

    account = SupplierAccount.objects.get(username="jd-api")
    assert account.client_secret in response.content.decode()
    assert account.client_secret not in client.get(
        reverse("admin:procurement_supplieraccount_change", args=[account.pk])).content.decode()


def test_docking_status_moves_only_by_allowed_actions_with_history(client, boss):
    """测试通过 and 正式 come only from docking runs (tests/docking/test_trust.py); 暂停 takes a reason."""
    supplier = SupplierFactory(docking_status=Supplier.DockingStatus.PRODUCTION)
    changelist = reverse("admin:procurement_supplier_changelist")
    actions = client.get(changelist).context["action_form"].fields["action"].choices
    assert not {"move_to_test_passed", "move_to_production"} & {name for name, _label in actions}

    client.post(changelist, {"action": "withdraw_trust", "_selected_action": [supplier.pk], "reason": "资质到期"})
    client.post(changelist, {"action": "move_to_docking", "_selected_action": [supplier.pk]})
    again = client.post(changelist, {"action": "withdraw_trust", "_selected_action": [supplier.pk],
                                     "reason": "再次暂停"}, follow=True)

    supplier.refresh_from_db()
    assert supplier.docking_status == Supplier.DockingStatus.SUSPENDED
    assert "已暂停 1 个电商" in again.content.decode()
    history = list(SupplierStatusChange.objects.order_by("at", "id").values_list("from_state", "to_state", "reason"))
    assert history == [("production", "suspended", "资质到期"), ("suspended", "docking", "恢复为对接中"),
                       ("docking", "suspended", "再次暂停")]


def test_editing_a_category_bumps_its_version(client, boss):
    category = CategoryFactory(name="激光打印机")
    CategoryParamFactory(category=category, attribute_id="1001")
    param = category.params.get()
    url = reverse("admin:catalog_category_change", args=[category.pk])

    client.post(url, {
        "code": category.code, "interface_code": category.interface_code, "name": "激光打印机（黑白）",
        "is_active": "on",
        "params-TOTAL_FORMS": 1, "params-INITIAL_FORMS": 1, "params-0-id": param.pk, "params-0-category": category.pk,
        "params-0-attribute_id": "1001", "params-0-name": param.name, "params-0-required": "on",
        "params-0-value_type": "enum", "params-0-allowed_values": '["是", "否"]', "params-0-unit": "",
        "params-0-order": 0,
    })

    assert Category.objects.get(pk=category.pk).version == 2


def test_a_docking_clerk_manages_suppliers_but_not_categories(client):
    staff_in("对接管理", client)

    assert client.get(reverse("admin:procurement_supplier_changelist")).status_code == 200
    assert client.get(reverse("admin:catalog_category_add")).status_code == 403


def test_staff_without_a_group_see_nothing(client):
    User.objects.create_user("nobody", password="pw-Nobody-2026", is_staff=True)
    client.login(username="nobody", password="pw-Nobody-2026")

    assert client.get(reverse("admin:procurement_supplier_changelist")).status_code == 403
    assert client.get(reverse("admin:procurement_outboundattempt_changelist")).status_code == 403
