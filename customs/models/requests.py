"""Customs data requests (platDataOpen, one per sessionID) and the signed uploads that answer them."""
import uuid

from django.db import models
from django.utils import timezone

from procurement.kernel.delivery import Delivery


def new_guid():
    """§1.6.3 guid: 36 characters, letters upper case."""
    return str(uuid.uuid4()).upper()


class DataRequest(models.Model):
    """One platDataOpen call. Its sessionID is unique: a replay gets the answer recorded here."""

    session_id = models.CharField("会话ID", max_length=100, help_text="海关发起请求时的 sessionID，原样保存")
    order_no = models.CharField("订单编号", max_length=60)
    payment = models.ForeignKey(
        "customs.PaymentRecord", verbose_name="支付记录", null=True, blank=True, on_delete=models.PROTECT,
        related_name="customs_requests",
    )
    customs_service_time = models.BigIntegerField("海关调用时间（毫秒）", help_text="请求中的 serviceTime")
    reply_code = models.CharField("应答代码", max_length=5)
    reply_message = models.CharField("应答信息", max_length=500, blank=True)
    remote_addr = models.GenericIPAddressField("来源地址", null=True, blank=True)
    received_at = models.DateTimeField("收到时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "海关数据请求"
        ordering = ["-received_at", "-id"]
        # A constraint rather than unique=True: on PostgreSQL that also builds a LIKE index this hot insert
        # would pay for and no query uses.
        constraints = [models.UniqueConstraint(fields=["session_id"], name="customs_request_unique_session")]

    def __str__(self):
        return f"{self.session_id}（{self.order_no}）"


class Upload(Delivery):
    """The realTimeDataUpload owed for an accepted request: built, checked, signed and sent by a job."""

    request = models.OneToOneField(DataRequest, on_delete=models.PROTECT, related_name="upload", verbose_name="数据请求")
    guid = models.CharField("系统唯一序号", max_length=36, default=new_guid,
                            help_text="最近一次（或下一次）发送的 guid：重试沿用，海关拒绝后重新提交时换新")
    service_time = models.BigIntegerField("上传时间（毫秒）", null=True, blank=True, help_text="最近一次上传的 serviceTime")
    cert_no = models.CharField("证书编号", max_length=100, blank=True)
    sign_source = models.TextField("签名原文", blank=True, help_text="最近一次加签的原文，与上传报文中的文本逐字相同")
    pay_ex_info_str = models.TextField("上传报文", blank=True, help_text="最近一次发送的 payExInfoStr")
    problems = models.JSONField("格式问题", default=list, blank=True, help_text="不符合 §1.6.3 的字段及原因；有问题时不发送")
    reply_code = models.CharField("海关应答代码", max_length=5, blank=True)
    reply_message = models.CharField("海关应答信息", max_length=1000, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "海关数据上传"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["guid"], name="customs_upload_unique_guid")]

    def __str__(self):
        return f"{self.request.session_id} 上传"


class UploadSend(models.Model):
    """One message sent for an upload: the guid it carried, when, and what customs answered (or what went wrong).

    A transport retry sends the same guid again (customs may have received it); a resubmission after
    customs refused one sends a new guid. Written before the message goes out, completed after.
    """

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="sends", verbose_name="上传")
    guid = models.CharField("系统唯一序号", max_length=36, db_index=True)
    service_time = models.BigIntegerField("上传时间（毫秒）", help_text="这次发送的 serviceTime")
    sent_at = models.DateTimeField("发送时间", default=timezone.now)
    reply_code = models.CharField("海关应答代码", max_length=5, blank=True)
    reply_message = models.CharField("海关应答信息", max_length=1000, blank=True)
    error = models.TextField("传输错误", blank=True, help_text="没有得到海关应答时的原因（超时、连接失败、应答无法解析…）")
    attempt_id = models.BigIntegerField("调用记录", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "海关上传发送记录"
        ordering = ["sent_at", "id"]

    def __str__(self):
        return f"{self.guid} {self.reply_code or '—'}"


class SigningLease(models.Model):
    """Who may talk to the signing device now: the ukey client takes one request at a time."""

    name = models.CharField("名称", max_length=50, unique=True)
    holder = models.CharField("持有者", max_length=32, blank=True)
    expires_at = models.DateTimeField("到期时间")

    class Meta:
        verbose_name = verbose_name_plural = "签名设备占用"

    def __str__(self):
        return self.name
