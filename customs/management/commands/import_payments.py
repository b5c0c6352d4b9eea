"""python manage.py import_payments FILE [FILE …]: load or update payment records from JSON, all or nothing."""
from django.core.management.base import BaseCommand, CommandError

from customs.payments.imports import ImportRefused, payments_import_files


class Command(BaseCommand):
    help = (
        "导入或更新跨境支付记录（JSON：支付记录数组，字段名同海关接口 §1.6.3，见 docs/customs-interface.md）。"
        "全部校验通过才写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="JSON 文件：[{payCode, payTransactionId, …, orders: [...]}, …]")

    def handle(self, *args, files, **options):
        try:
            created, updated = payments_import_files(files)
        except ImportRefused as refused:
            for line in refused.problems:
                self.stderr.write(line)
            raise CommandError(f"导入失败，共 {len(refused.problems)} 处错误，未写入任何数据") from None
        self.stdout.write(self.style.SUCCESS(f"导入完成：新增 {created} 条，更新 {updated} 条"))
