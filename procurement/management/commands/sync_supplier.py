"""python manage.py sync_supplier CODE [CODE …] | --all: one sync pass per supplier, the code the schedule runs."""
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.jobs import pollable_suppliers
from catalog.models import SyncRun
from catalog.sync.passes import sync_pass
from procurement.models import Supplier


class Command(BaseCommand):
    help = ("拉取并处理电商的商品变动（一轮；电子卖场标准读消息池，网上商城标准读商品池与新增/修改商品列表），"
            "显示进度与汇总：已处理/重复/失败消息，新增/变更/下架商品，调用次数")

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="电商编码")
        parser.add_argument("--all", action="store_true", help="全部启用自动同步的电商")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, codes, all, no_progress, **options):
        suppliers = self._suppliers(codes, all)
        failed = []
        for supplier in suppliers:
            run = self._sync(supplier, no_progress)
            if run is None:
                self.stdout.write(self.style.WARNING(f"{supplier.code}：另一个同步任务正在进行，跳过"))
                continue
            self._summary(supplier, run)
            if run.outcome != SyncRun.Outcome.DONE:
                failed.append(supplier.code)
        if failed:
            raise CommandError(f"同步未完成：{', '.join(failed)}")

    def _suppliers(self, codes, everyone):
        if everyone == bool(codes):
            raise CommandError("请给出电商编码，或使用 --all（二选一）")
        if everyone:
            return list(pollable_suppliers())
        found = {s.code: s for s in Supplier.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise CommandError(f"没有这些电商：{', '.join(unknown)}")
        return [found[code] for code in codes]

    def _sync(self, supplier, quiet):
        with tqdm(desc=supplier.code, unit="条消息", disable=quiet, file=self.stderr) as bar:
            def progress(run):
                bar.update(run.applied + run.failed - bar.n)
                bar.set_postfix(新商品=run.skus_new, 变更=run.skus_changed, 下架=run.skus_delisted)

            return sync_pass(supplier.pk, trigger="command", progress=progress)

    def _summary(self, supplier, run):
        calls = "，".join(f"{name} {count}" for name, count in sorted(run.calls.items())) or "无"
        style = self.style.SUCCESS if run.outcome == SyncRun.Outcome.DONE else self.style.ERROR
        self.stdout.write(style(f"{supplier.code}：{run.get_outcome_display()}"))
        self.stdout.write(f"  消息：收到 {run.received}，已处理 {run.applied}，重复跳过 {run.duplicates}，失败 {run.failed}")
        self.stdout.write(f"  商品：新增 {run.skus_new}，变更 {run.skus_changed}，下架 {run.skus_delisted}")
        self.stdout.write(f"  调用：{calls}（共 {sum(run.calls.values())} 次）")
        if run.error:
            self.stdout.write(f"  错误：{run.error}")
