"""python manage.py sandbox_supplier --port N --skus N: serve a sandbox e-mall-standard supplier platform alone."""
from django.core.management.base import BaseCommand

from procurement.kernel.sandbox import serve, serve_until_stopped
from procurement.sandboxes import SANDBOXES
from procurement.suppliers.emall import sandbox as emall_supplier


class Command(BaseCommand):
    help = "单独启动一个模拟电商平台（电子卖场对接标准 §7.2），商品全部以类型 6 消息放入消息池，Ctrl-C 结束"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=SANDBOXES[emall_supplier.__name__])
        parser.add_argument("--skus", type=int, default=300, help="商品数量")
        parser.add_argument("--seed", type=int, default=7, help="随机种子（相同种子生成相同商品）")
        parser.add_argument("--clean", action="store_true", help="不生成违反校验规则的商品")
        parser.add_argument("--username", default=emall_supplier.SANDBOX_USERNAME)
        parser.add_argument("--password", default=emall_supplier.SANDBOX_PASSWORD)

    def handle(self, *args, host, port, skus, seed, clean, username, password, **options):
        sandbox = emall_supplier.build_sandbox(
            skus, seed=seed, broken=not clean, username=username, password=password
        )
        running = serve(sandbox, host, port)
        self.stdout.write(f"模拟电商平台：{running.url}（{skus} 个商品，用户名 {username}）")
        self.stdout.write(f"故障开关：POST {running.url}/_sandbox/faults；调用统计：GET {running.url}/_sandbox/stats")
        serve_until_stopped([running])
