"""python manage.py load_demo: the demo data every app contributes, and the staff login."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from procurement.appmodules import app_modules
from procurement.demo import ensure_staff_login


class Command(BaseCommand):
    help = "载入演示数据（参考数据、示例电商、各模块演示数据）并创建管理员账号"

    def add_arguments(self, parser):
        parser.add_argument("--admin-username", default="admin")
        parser.add_argument("--admin-password", default=settings.DEMO_ADMIN_PASSWORD, help="默认取 DEMO_ADMIN_PASSWORD")

    def handle(self, *args, admin_username, admin_password, **options):
        if len(admin_password) < 8:
            raise CommandError("管理员密码至少 8 位")
        with transaction.atomic():
            for module in app_modules("demo"):
                module.load_demo(self.stdout)
            ensure_staff_login(admin_username, admin_password)
        self.stdout.write(self.style.SUCCESS(f"管理员账号：{admin_username} / {admin_password}"))

