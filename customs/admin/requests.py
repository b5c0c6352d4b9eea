"""Admin for customs requests and uploads: status, timing, the exact signed text, and resubmission."""
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from customs.models import DataRequest, Upload, UploadSend
from customs.services import upload_resubmit
from procurement.kernel.adminconfirm import action_confirmed
from procurement.kernel.adminkit import ObjectActionsMixin, ReadOnlyAdmin, ReadOnlyInline
from procurement.kernel.adminwords import epoch_ms_time, error_in_words, truncated


def _duration(start, end):
    if not (start and end):
        return "—"
    seconds = (end - start).total_seconds()
    return f"{seconds * 1000:.0f} 毫秒" if seconds < 1 else f"{seconds:.1f} 秒"


def _upload_of(request):
    """The request's upload, or None for a refused request (which has none)."""
    return getattr(request, "upload", None)


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "session_id", "order_no", "reply_code", "reply_message", "upload_status",
                    "upload_timing")
    list_filter = ("reply_code", "upload__status")
    search_fields = ("session_id", "order_no")
    list_select_related = ("upload",)
    date_hierarchy = "received_at"
    fields = ("session_id", "order_no", "payment", "customs_time", "remote_addr", "received_at",
              "reply_code", "reply_message", "upload_link")
    readonly_fields = fields

    @admin.display(description="海关调用时间（serviceTime）")
    def customs_time(self, obj):
        return epoch_ms_time(obj.customs_service_time)

    @admin.display(description="上传状态", ordering="upload__status")
    def upload_status(self, obj):
        upload = _upload_of(obj)
        return upload.get_status_display() if upload else "—（未受理）"

    @admin.display(description="收到→上传完成")
    def upload_timing(self, obj):
        upload = _upload_of(obj)
        return _duration(obj.received_at, upload.done_at if upload else None)

    @admin.display(description="上传")
    def upload_link(self, obj):
        upload = _upload_of(obj)
        if upload is None:
            return "—"
        url = reverse("admin:customs_upload_change", args=[upload.pk])
        return format_html('<a href="{}">{}</a>', url, upload.get_status_display())


class SendInline(ReadOnlyInline):
    """Every message sent for the upload: the guid it carried, its serviceTime, and customs' answer to it."""

    model = UploadSend
    fields = ("sent_at", "guid", "upload_time", "reply_code", "reply_message", "error_words", "attempt_link")
    readonly_fields = fields
    verbose_name = verbose_name_plural = "发送记录（每次发送的 guid 与海关应答）"

    @admin.display(description="上传时间（serviceTime）")
    def upload_time(self, obj):
        return epoch_ms_time(obj.service_time)

    @admin.display(description="传输错误")
    def error_words(self, obj):
        return error_in_words(obj.error) or "—"

    @admin.display(description="调用记录")
    def attempt_link(self, obj):
        if not obj.attempt_id:
            return "—"
        url = reverse("admin:procurement_outboundattempt_change", args=[obj.attempt_id])
        return format_html('<a href="{}">#{}</a>', url, obj.attempt_id)


@admin.register(Upload)
class UploadAdmin(ObjectActionsMixin, admin.ModelAdmin):
    list_display = ("created_at", "session_id", "order_no", "status", "attempts", "reply_code", "reply_text",
                    "timing", "next_attempt_at")
    list_filter = ("status", "reply_code")
    search_fields = ("request__session_id", "request__order_no", "guid", "sends__guid")
    list_select_related = ("request",)
    date_hierarchy = "created_at"
    actions = ["resubmit"]
    object_actions = ("resubmit",)
    inlines = [SendInline]
    fieldsets = (
        (None, {"fields": ("request", "guid", "status", "attempts", "next_attempt_at", "timing", "attempt_records")}),
        ("海关应答", {"fields": ("reply_code", "reply_message", "error_words", "problem_list")}),
        ("签名与报文（最近一次）", {"fields": ("upload_time", "cert_no", "sign_source_text", "payload_text")}),
    )
    readonly_fields = tuple(name for _, section in fieldsets for name in section["fields"])

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def object_action_offered(self, obj, action):
        return obj.status == obj.Status.FAILED

    @admin.display(description="海关应答信息")
    def reply_text(self, obj):
        return truncated(obj.reply_message) if obj.reply_message else "—"

    @admin.display(description="上传时间（serviceTime）")
    def upload_time(self, obj):
        return epoch_ms_time(obj.service_time)

    @admin.display(description="最近错误")
    def error_words(self, obj):
        return error_in_words(obj.last_error) or "—"

    @admin.display(description="会话ID", ordering="request__session_id")
    def session_id(self, obj):
        return obj.request.session_id

    @admin.display(description="订单编号", ordering="request__order_no")
    def order_no(self, obj):
        return obj.request.order_no

    @admin.display(description="收到→上传完成")
    def timing(self, obj):
        return _duration(obj.request.received_at, obj.done_at)

    @admin.display(description="外部调用记录")
    def attempt_records(self, obj):
        url = reverse("admin:procurement_outboundattempt_changelist") + "?" + urlencode(
            {"reference": obj.request.session_id})
        return format_html('<a href="{}">查看每次上传的调用记录</a>', url)

    @admin.display(description="格式问题（未发送的原因）")
    def problem_list(self, obj):
        if not obj.problems:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join(
            "", "<li><code>{}</code>：{}</li>", ((p.get("field"), p.get("reason")) for p in obj.problems)))

    @admin.display(description="签名原文")
    def sign_source_text(self, obj):
        return _pre(obj.sign_source)

    @admin.display(description="上传报文 payExInfoStr")
    def payload_text(self, obj):
        return _pre(obj.pay_ex_info_str)

    @admin.action(description="重新提交所选上传（失败待处理的）", permissions=["change"])
    def resubmit(self, request, queryset):
        page, _ = action_confirmed(self, request, queryset, "resubmit", "重新提交上传", ask_reason=False)
        if page is not None:
            return page
        moved, skipped = 0, []
        for upload in queryset.select_related("request"):
            if upload_resubmit(upload):
                self.log_change(request, upload, "重新提交上传")
                moved += 1
            else:
                skipped.append(f"{upload.request.session_id}（{upload.get_status_display()}）")
        if moved:
            self.message_user(request, f"已重新提交 {moved} 条，稍后自动发送", messages.SUCCESS)
        if skipped:
            self.message_user(request, "只有“失败待处理”的上传可以重新提交，未处理：" + "、".join(skipped), messages.WARNING)
        return None


def _pre(text):
    if not text:
        return "—"
    return format_html('<pre style="white-space: pre-wrap; word-break: break-all;">{}</pre>', text)
