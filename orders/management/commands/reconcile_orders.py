"""python manage.py reconcile_orders CODE [CODE …] [--day YYYY-MM-DD]: compare one day's orders with suppliers now."""
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from orders.models import ReconciliationRun
from orders.services.reconciliation import reconciliation_run, reconciliation_start
from procurement.models import Supplier
from procurement.suppliers.base import Capability
from procurement.suppliers.registry import connector_for


class Command(BaseCommand):
    help = "立即与电商对账（默认前一天的订单，与每日定时任务相同），列出每一处差异"

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", help="电商编码")
        parser.add_argument("--day", type=date.fromisoformat, help="对账日期 YYYY-MM-DD（默认昨天）")

    def handle(self, *args, codes, day, **options):
        day = day or timezone.localdate() - timedelta(days=1)
        suppliers = {s.code: s for s in Supplier.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in suppliers]
        if unknown:
            raise CommandError(f"没有这些电商：{', '.join(unknown)}")
        unfinished = []
        for code in codes:
            supplier = suppliers[code]
            if not connector_for(supplier).can(Capability.RECONCILIATION):
                self.stdout.write(self.style.WARNING(f"{code}：该电商的接口标准不提供对账"))
                continue
            run = reconciliation_start(supplier, day)
            reconciliation_run(run.pk)  # now, in this process; the queued job then finds it done
            run.refresh_from_db()
            if run.status != ReconciliationRun.Status.DONE:
                unfinished.append(code)
                self.stdout.write(self.style.ERROR(f"{code}：对账未完成（{run.get_status_display()}）：{run.last_error}"))
                continue
            self._print(code, day, run)
        if unfinished:
            raise CommandError(f"对账未完成：{', '.join(unfinished)}（将按重试策略自动重试）")

    def _print(self, code, day, run):
        mismatches = list(run.mismatches.order_by("id"))
        self.stdout.write(f"{code} {day:%Y-%m-%d}：我方 {run.our_count} 单，电商 {run.their_count} 单，"
                          f"电商合计 {run.their_total or '—'}，差异 {len(mismatches)} 处")
        for mismatch in mismatches:
            self.stdout.write(f"  {mismatch.order_no or '（合计）'}  {mismatch.get_kind_display()}  "
                              f"我方 {mismatch.ours}  电商 {mismatch.theirs}")
