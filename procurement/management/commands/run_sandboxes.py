"""python manage.py run_sandboxes: serve every sandbox counterparty on 127.0.0.1 until interrupted."""
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand

from procurement.kernel.sandbox import serve, serve_until_stopped
from procurement.sandboxes import SANDBOXES


class Command(BaseCommand):
    help = "启动全部模拟对接方（电商平台、金融机构、海关），Ctrl-C 结束"

    def handle(self, *args, **options):
        running = []
        for module_path, port in SANDBOXES.items():
            module = import_module(module_path)
            sandbox = module.build_demo_sandbox(settings.PUBLIC_BASE_URL)
            running.append(serve(sandbox, settings.SANDBOX_HOST, port))
            self.stdout.write(f"模拟{sandbox.name}：{running[-1].url}")
        serve_until_stopped(running)
