"""Staff roles as Django groups: each app lists its groups and their permissions in `<app>/roles.py`.

`roles_sync` runs after every migrate, so the groups always hold exactly the permissions listed.
"""
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from procurement.appmodules import app_modules

# group name → permissions ("app_label.codename")
ROLES = {
    "对接管理": [
        "procurement.view_platform",
        "procurement.add_supplier", "procurement.change_supplier", "procurement.view_supplier",
        "procurement.view_supplierstatuschange",
        "procurement.view_supplierarea", "procurement.change_supplierarea",
        "procurement.add_suppliercontact", "procurement.change_suppliercontact",
        "procurement.delete_suppliercontact", "procurement.view_suppliercontact",
        "procurement.add_supplieraccount", "procurement.change_supplieraccount", "procurement.view_supplieraccount",
        "procurement.view_accesstoken", "procurement.change_accesstoken",
        "procurement.view_outboundattempt", "procurement.view_supplier_calls",
        "procurement.view_dockingrun", "procurement.view_dockingcase",
        "procurement.view_testendpoint", "procurement.change_testendpoint",
    ],
    # Grants and withdraws the production-environment trust mark (procurement/docking): apart from 对接管理, so the
    # one who docks a supplier is not the one who trusts it.
    "信任标识审批": [
        "procurement.view_supplier", "procurement.view_supplierstatuschange", "procurement.view_dockingrun",
        "procurement.view_dockingcase", "procurement.view_testendpoint", "procurement.grant_trust_mark",
        "procurement.view_outboundattempt", "procurement.view_supplier_calls",
    ],
    "基础数据管理": [
        "procurement.add_platform", "procurement.change_platform", "procurement.view_platform",
        "procurement.add_area", "procurement.change_area", "procurement.view_area",
        "procurement.add_brand", "procurement.change_brand", "procurement.view_brand",
        "procurement.add_promise", "procurement.change_promise", "procurement.view_promise",
        "catalog.add_category", "catalog.change_category", "catalog.view_category",
        "catalog.add_categoryparam", "catalog.change_categoryparam", "catalog.delete_categoryparam",
        "catalog.view_categoryparam",
    ],
}


def all_roles():
    roles = {}
    for module in app_modules("roles"):
        for group, permissions in module.ROLES.items():
            roles.setdefault(group, []).extend(permissions)
    return roles


def roles_sync(sender=None, using="default", verbosity=0, **kwargs):
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for name, codes in all_roles().items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".", 1)
            wanted.append(Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
