"""python manage.py customs_upload SESSION_ID: run one upload now, in this process (after fixing data, say)."""
from django.core.management.base import BaseCommand, CommandError

from customs.management.report import upload_lines
from customs.models import Upload
from customs.services import upload_for_session
from customs.upload import upload_send
from procurement.kernel.delivery import delivery_make_due


class Command(BaseCommand):
    help = "立即重新执行一次海关数据上传（失败待处理的重新开始；等待重试的立即发送）并打印结果"

    def add_arguments(self, parser):
        parser.add_argument("session_id", help="海关请求的 sessionID")

    def handle(self, *args, session_id, **options):
        upload = upload_for_session(session_id)
        if upload is None:
            raise CommandError(f"没有 sessionID 为 {session_id} 的上传（请求未受理或不存在）")
        if not delivery_make_due(upload):
            raise CommandError(f"该上传{upload.get_status_display()}，不需要重新执行")
        upload_send(upload.pk)
        upload.refresh_from_db()
        for line in upload_lines(upload):
            self.stdout.write(line)
        if upload.status != Upload.Status.DONE:
            raise CommandError("上传未成功")
