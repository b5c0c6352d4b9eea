"""python manage.py reencrypt_secrets: rewrite every stored secret with the first FIELD_ENCRYPTION_KEYS key.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old one after it), run this command,
then drop the old key.
"""
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from procurement.kernel.fields import encrypted_fields


class Command(BaseCommand):
    help = "用 FIELD_ENCRYPTION_KEYS 的第一个密钥重新加密数据库中的全部密文字段（密钥轮换）"

    def handle(self, *args, **options):
        total = 0
        with transaction.atomic():
            for model in apps.get_models():
                names = encrypted_fields(model)
                for row in model.objects.only("pk", *names).iterator() if names else ():
                    model.objects.filter(pk=row.pk).update(**{name: getattr(row, name) for name in names})
                    total += 1
        self.stdout.write(self.style.SUCCESS(f"已重新加密 {total} 行"))
