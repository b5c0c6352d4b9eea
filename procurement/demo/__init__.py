"""Demo data for `make run`: the reference slice, a platform, the staff login, the sandbox suppliers (and their docking
test environments, procurement/demo/docking.py)."""
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User

from catalog.reference.importer import reference_import
from procurement.demo.docking import load_demo_docking
from procurement.models import Platform, Supplier, SupplierAccount
from procurement.sandboxes import SANDBOXES
from procurement.services.accounts import account_create
from procurement.suppliers.emall import sandbox as emall_supplier
from procurement.suppliers.mall import sandbox as mall_supplier

REFERENCE_FILE = Path(__file__).with_name("reference.json")
DEMO_PLATFORM = ("TJ-DZMC", "天津市政府采购电子卖场")
DEMO_SUPPLIER_CODE = "DEMO-EMALL"
DEMO_MALL_SUPPLIER_CODE = "DEMO-MALL"
DEMO_ACCOUNT = ("demo-supplier", "Demo-Supplier-2026")


def load_demo(stdout):
    for line in reference_import([REFERENCE_FILE]).lines():
        stdout.write(f"参考数据 {line}")
    platform, _ = Platform.objects.get_or_create(code=DEMO_PLATFORM[0], defaults={"name": DEMO_PLATFORM[1]})
    supplier = _demo_supplier(platform)
    load_demo_docking([supplier, _demo_mall_supplier(platform)], stdout)
    account = SupplierAccount.objects.filter(username=DEMO_ACCOUNT[0]).first() or account_create(
        supplier=supplier, username=DEMO_ACCOUNT[0], clear_password=DEMO_ACCOUNT[1]
    )
    stdout.write(
        f"示例电商接口账号：用户名 {account.username}  密码 {DEMO_ACCOUNT[1]}  签名密钥 {account.client_secret}"
    )


def _demo_supplier(platform):
    supplier, created = Supplier.objects.get_or_create(
        code=DEMO_SUPPLIER_CODE,
        defaults={
            "name": "示例电商（沙箱）",
            "protocol": "emall",
            "base_url": f"http://{settings.SANDBOX_HOST}:{SANDBOXES[emall_supplier.__name__]}",
            "parameters": {"username": emall_supplier.SANDBOX_USERNAME},
            "secret_parameters": {"password": emall_supplier.SANDBOX_PASSWORD},
        },
    )
    if created:
        supplier.platforms.add(platform)
    return supplier


def _demo_mall_supplier(platform):
    """A supplier on the older mall standard (seed 001), docked against its own sandbox."""
    supplier, created = Supplier.objects.get_or_create(
        code=DEMO_MALL_SUPPLIER_CODE,
        defaults={
            "name": "示例网上商城电商（沙箱）",
            "protocol": "mall",
            "base_url": f"http://{settings.SANDBOX_HOST}:{SANDBOXES[mall_supplier.__name__]}",
            "parameters": {"username": mall_supplier.SANDBOX_USERNAME},
            "secret_parameters": {"password": mall_supplier.SANDBOX_PASSWORD},
        },
    )
    if created:
        supplier.platforms.add(platform)
    return supplier


def ensure_staff_login(username, password):
    user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True, "is_superuser": True})
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return user
