"""python manage.py check_supplier CODE [--case NAME …] [--protocol P --base-url URL --username U --password P]

Runs the docking test cases of a supplier's protocol from the shell, with a progress bar, and prints each case's
verdict; exits 0 when the run passes, 1 when it does not, 2 when it could not be run. So a supplier's own CI can
run it against its test system.

Without --base-url the supplier's stored test environment is tested, and the run is recorded like any other (a
full passing run moves the supplier to 测试通过). With --protocol/--base-url/--username/--password the endpoint
given is tested instead: nothing of it is stored (the password only lives in this process; --password may be left
out to read CHECK_SUPPLIER_PASSWORD or be asked for), the run is recorded under CODE for the history, and such a run
never earns 测试通过 or the trust mark. With --case only the cases named are run (likewise never earning either).
"""
import getpass
import os

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from procurement.docking.models import DockingCase, DockingRun
from procurement.docking.services import DockingRefused, run_execute, run_start
from procurement.models import Supplier
from procurement.suppliers.base import Endpoint
from procurement.suppliers.registry import PROTOCOLS

VERDICT_MARKS = {DockingCase.Verdict.PASSED: "✓", DockingCase.Verdict.FAILED: "✗", DockingCase.Verdict.SKIPPED: "-"}


class Command(BaseCommand):
    help = "运行电商的对接测试用例并输出每个用例的结果；未通过时以非零状态退出"

    def add_arguments(self, parser):
        parser.add_argument("code", help="电商编码")
        parser.add_argument("--case", action="append", dest="cases", help="只运行该用例（可重复）")
        parser.add_argument("--protocol", choices=sorted(PROTOCOLS), help="临时测试的对接协议（默认为电商的协议）")
        parser.add_argument("--base-url", help="临时测试的接口地址（不保存）")
        parser.add_argument("--username", default="", help="临时测试的用户名")
        parser.add_argument("--password", default=None, help="临时测试的密码（可改用环境变量 CHECK_SUPPLIER_PASSWORD）")

    def handle(self, code, cases, protocol, base_url, username, password, **options):
        supplier = Supplier.objects.filter(code=code).first()
        if supplier is None:
            raise CommandError(f"没有编码为 {code} 的电商", returncode=2)
        endpoint = self._adhoc(base_url, username, password) if base_url else None
        try:
            run = run_start(supplier, via=DockingRun.Via.COMMAND, enqueue_job=False, cases=cases, endpoint=endpoint,
                            protocol=protocol if endpoint else None, account=f"命令行 {getpass.getuser()}")
        except DockingRefused as refused:
            raise CommandError(str(refused), returncode=2) from None
        run = self._execute(run, endpoint)
        self._print(run)
        if run.status != DockingRun.Status.PASSED:
            raise CommandError(f"对接测试 #{run.pk}：{run.get_status_display()}", returncode=1)

    def _adhoc(self, base_url, username, password):
        if password is None:
            password = os.environ.get("CHECK_SUPPLIER_PASSWORD") or getpass.getpass("密码：")
        return Endpoint(base_url, {"username": username, "password": password})

    def _execute(self, run, endpoint):
        total = run.cases.count()
        with tqdm(total=total, desc=f"对接测试 #{run.pk}", unit="用例", file=self.stderr._out) as bar:
            def progress(case):
                bar.set_postfix_str(f"{case.name} {case.get_verdict_display()}")
                bar.update(1)
            run = run_execute(run.pk, endpoint=endpoint, progress=progress) or DockingRun.objects.get(pk=run.pk)
            bar.update(total - bar.n)
        return run

    def _print(self, run):
        for case in run.cases.all():
            mark = VERDICT_MARKS.get(case.verdict, "?")
            line = f"{mark} {case.name:<26} {case.get_verdict_display():<4} {case.duration_ms or 0:>6} 毫秒  {case.clause}"
            self.stdout.write(line + (f"\n    {case.reason}" if case.reason else ""))
        summary = run.summary
        self.stdout.write(f"对接测试 #{run.pk}（{run.protocol} {run.contract_version}）：{run.get_status_display()}，"
                          f"{summary.get('passed', 0)}/{summary.get('cases', 0)} 通过，耗时 {run.duration_ms} 毫秒"
                          + (f"；{run.error}" if run.error else ""))
