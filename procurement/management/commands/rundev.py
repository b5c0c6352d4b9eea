"""python manage.py rundev: the web server, the job cluster and the sandboxes together, until Ctrl-C."""
import signal
import subprocess
import sys
import time

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "同时启动管理后台、任务集群和模拟对接方（开发与演示用）"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--admin-username", default="admin")

    def handle(self, *args, port, admin_username, **options):
        manage = [sys.executable, "manage.py"]
        # Own sessions: Ctrl-C reaches only this process, which then stops each child in order
        # (a job cluster whose workers all receive the signal at once does not wind down cleanly).
        children = [
            subprocess.Popen(manage + args, start_new_session=True)
            # Counterparties first, so the jobs' first calls find them listening.
            for args in (["run_sandboxes"], ["runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
                         ["qcluster"])
        ]
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            self._wait_until_up(f"http://127.0.0.1:{port}/healthz", children)
            self.stdout.write(self.style.SUCCESS(
                f"\n管理后台：http://127.0.0.1:{port}/admin/\n"
                f"登录：{admin_username} / {settings.DEMO_ADMIN_PASSWORD}\n"
                f"接口文档：http://127.0.0.1:{port}/api/docs/\n"
                f"电商对接测试（用示例电商接口账号登录）：http://127.0.0.1:{port}/docking/\n按 Ctrl-C 结束。\n"
            ))
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            raise CommandError("有进程意外退出，全部停止")
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()

    def _wait_until_up(self, url, children):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any(child.poll() is not None for child in children):
                raise CommandError("启动失败：有进程已退出")
            try:
                if requests.get(url, timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise CommandError(f"60 秒内 {url} 未就绪")
