"""The fields of each served guarantee interface (seed 003), by their wire names, with their formats."""
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from guarantees.services.files import BadFile, guarantee_file_decode
from procurement.kernel.wire import parse_wire_time

# Our own limits (the seed sets none), each at least as wide as the column the value goes to and published
# in docs/guarantee-interface.md; a value over one is refused naming the parameter, its length and the limit.
LIMITS = {
    "applyno": 40, "baohanno": 100, "baohanurl": 8192, "invoiceurl": 8192, "payername": 200, "payeraccount": 64,
    "instname": 200, "invoicecode": 64, "invoiceno": 64,
}
TOO_LONG = "长度为 %(show_value)d 个字符，超过上限 {max_length} 个字符"


def text(max_length, required=True, help_text=""):
    return serializers.CharField(max_length=max_length, required=required, allow_blank=not required,
                                 trim_whitespace=False, help_text=help_text, error_messages={"max_length": TOO_LONG})


def capped(name, required=True, help_text=""):
    """A text parameter under its published limit (LIMITS)."""
    return text(LIMITS[name], required=required, help_text=help_text)


class ScaledDecimalField(serializers.DecimalField):
    """A decimal whose trailing zeros do not count against the scale: "0.00150000" is 0.0015."""

    def validate_precision(self, value):
        return super().validate_precision(value.normalize() if value.is_finite() else value)


class WireTimeField(serializers.CharField):
    """`yyyy-MM-dd HH:mm:ss`, Beijing time → aware datetime."""

    def to_internal_value(self, data):
        try:
            return parse_wire_time(super().to_internal_value(data))
        except ValueError:
            raise serializers.ValidationError("格式应为 yyyy-MM-dd HH:mm:ss") from None


class PdfFileField(serializers.CharField):
    """A Base64 PDF (strict Base64, size-limited) → its bytes."""

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, help_text="保函文件（PDF）的 Base64，不含换行", **kwargs)

    def to_internal_value(self, data):
        try:
            return guarantee_file_decode(super().to_internal_value(data))
        except BadFile as exc:
            raise serializers.ValidationError(str(exc)) from None


def applystatus():
    return serializers.ChoiceField(choices=["0", "1"], help_text="1 审核通过，0 审核未通过")


class Signed(serializers.Serializer):
    """Common to every request: checked before the fields (see guarantees/api/auth.py); declared for the document."""

    appkey = text(64, help_text="金融服务支撑平台分配的 appkey")
    timestamp = text(19, help_text="请求时间 yyyy-MM-dd HH:mm:ss（北京时间），与服务器相差不超过 10 分钟")
    sign = text(64, help_text="SM3(按键名 ASCII 升序的 k=v&…&appsecret=<appsecret>)，小写十六进制")


class BaohanNotice(Signed):
    applyno = capped("applyno", help_text="业务流水号")
    baohanno = capped("baohanno", help_text="保函编号")
    baohanurl = capped("baohanurl", help_text="保函文件下载地址")
    baohanfile = PdfFileField()
    payername = capped("payername", help_text="付保费银行账户户名")
    payeraccount = capped("payeraccount", help_text="支付保费银行账户号码")
    instname = capped("instname", required=False, help_text="出函机构（第三方平台必填）")
    generatetime = WireTimeField(help_text="出函时间 yyyy-MM-dd HH:mm:ss")
    rate = ScaledDecimalField(max_digits=12, decimal_places=6, help_text="费率（最多 6 位有效小数，末尾的 0 不计）")
    cost = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="费用")
    applystatus = applystatus()


class RestoreNotice(Signed):
    applyno = capped("applyno")
    baohanno = capped("baohanno")
    baohanurl = capped("baohanurl", required=False, help_text="明文保函下载地址")
    baohanfile = PdfFileField()


class InvoiceNotice(Signed):
    baohanno = capped("baohanno")
    invoiceurl = capped("invoiceurl", required=False, help_text="发票下载地址，专票可不传")
    invoicecode = capped("invoicecode", required=False)
    invoiceno = capped("invoiceno", required=False)
    applystatus = applystatus()


class QuitNotice(Signed):
    applyno = capped("applyno")
    baohanno = capped("baohanno")


class AnomalyQuery(Signed):
    updatetime = WireTimeField(help_text="返回此时间（含）以后变更的异常标段")


class Anomaly(serializers.Serializer):
    projectno = serializers.CharField(help_text="开标前为 SM4 密文（与 baohanapply 相同的密钥）")
    projectname = serializers.CharField(help_text="开标前为 SM4 密文")
    biaoduanno = serializers.CharField(help_text="开标前为 SM4 密文")
    biaoduanname = serializers.CharField(help_text="开标前为 SM4 密文")
    biaoduanstatus = serializers.CharField(help_text="1 流标，2 终止，3 暂停，4 作废")
    remark = serializers.CharField(help_text="异常情况描述（开标前为密文）")
    audittime = serializers.CharField(help_text="审批或核准时间")
    chuliresault = serializers.CharField(help_text="处理结果（开标前为密文）")
    issendweb = serializers.CharField(help_text="是否发布公告：1 是，0 否")
    gonggaotitle = serializers.CharField(help_text="网站公告标题（开标前为密文）")


def reply(name, data=None):
    fields = {"code": serializers.IntegerField(help_text="1 成功，0 失败"), "message": serializers.CharField()}
    if data is not None:
        fields["data"] = data
    return inline_serializer(name=name, fields=fields)
