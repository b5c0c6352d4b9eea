"""python manage.py customs_probe ORDER_NO: play customs against our own platDataOpen over HTTP (joint testing)."""
import time
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from customs.management.report import upload_lines
from customs.models import Upload
from customs.services import upload_for_session
from customs.wire import customs_json
from procurement.kernel import http
from procurement.kernel.wire import epoch_ms_now

TERMINAL = (Upload.Status.DONE, Upload.Status.FAILED)


class Command(BaseCommand):
    help = "模拟海关调用本平台的 platDataOpen（表单字段 openReq），打印应答；--wait 时等待并打印上传结果"

    def add_arguments(self, parser):
        parser.add_argument("order_no", help="申报订单编号")
        parser.add_argument("--base-url", default=settings.PUBLIC_BASE_URL, help="本平台地址，默认 PUBLIC_BASE_URL")
        parser.add_argument("--session-id", default="", help="会话ID，默认随机生成")
        parser.add_argument("--json", action="store_true", help="以 JSON 请求体发送，而不是表单字段 openReq")
        parser.add_argument("--wait", type=float, default=0, help="等待上传完成的秒数（需与平台共用数据库）")

    def handle(self, *args, order_no, base_url, session_id, json, wait, **options):
        session_id = session_id or str(uuid.uuid4())
        open_req = {"orderNo": order_no, "sessionID": session_id, "serviceTime": epoch_ms_now()}
        counterparty = http.Counterparty(kind="customs-probe", code="probe", base_url=base_url)
        try:
            if json:
                reply = http.call(counterparty, "platDataOpen", "/customs/platDataOpen", json_body=open_req,
                                  reference=session_id)
            else:
                reply = http.call(counterparty, "platDataOpen", "/customs/platDataOpen",
                                  data={"openReq": customs_json(open_req)}, reference=session_id)
            answer = reply.json()
        except http.OutboundError as exc:
            raise CommandError(f"调用 platDataOpen 失败：{exc}") from None
        self.stdout.write(f"sessionID：{session_id}")
        self.stdout.write(f"应答（{reply.elapsed_ms} 毫秒）：{customs_json(answer)}")
        if wait and answer.get("code") == "10000":
            self._report(self._wait(session_id, wait))

    def _wait(self, session_id, seconds):
        deadline = time.monotonic() + seconds
        while True:
            upload = upload_for_session(session_id)
            if (upload is not None and upload.status in TERMINAL) or time.monotonic() >= deadline:
                return upload
            time.sleep(0.2)

    def _report(self, upload):
        if upload is None:
            raise CommandError("本地数据库中没有这次请求（--base-url 指向的平台使用另一个数据库？）")
        for line in upload_lines(upload):
            self.stdout.write(line)
        if upload.sign_source:
            self.stdout.write(f"签名原文：{upload.sign_source}")
        if upload.status not in TERMINAL:
            raise CommandError("等待超时：上传尚未完成（任务集群是否在运行？）")
