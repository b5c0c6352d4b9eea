"""python manage.py setup_schedules: create or update every recurring job by name."""
from django.core.management.base import BaseCommand

from procurement.schedules import schedules_sync


class Command(BaseCommand):
    help = "按名称创建或更新所有定时任务"

    def handle(self, *args, **options):
        for name in schedules_sync():
            self.stdout.write(f"定时任务：{name}")
