"""python manage.py import_reference FILE [FILE …]: load or update reference data from JSON or CSV."""
from django.core.management.base import BaseCommand, CommandError

from catalog.reference.importer import ImportFailed, reference_import


class Command(BaseCommand):
    help = "导入或更新品目及其参数项、地区、品牌、商品承诺（JSON 或 CSV）。全部校验通过才写入，重复导入不产生变化。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="JSON 文件，或 areas/brands/promises/categories/params 的 CSV 文件")

    def handle(self, *args, files, **options):
        try:
            report = reference_import(files)
        except ImportFailed as failure:
            for line in failure.errors:
                self.stderr.write(line)
            raise CommandError(f"导入失败，共 {len(failure.errors)} 处错误，未写入任何数据") from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("导入完成"))
