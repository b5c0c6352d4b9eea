"""Checks every served guarantee interface makes before it reads a notice: appkey, sign, timestamp."""
from django.conf import settings

from guarantees.errors import NoticeRefused
from guarantees.models import Guarantor
from procurement.kernel import crypto
from procurement.kernel.wire import clock_skew_seconds


def wire_params(data):
    """The request's parameters as the text that was signed; null counts as empty (left out of the sign)."""
    params = {}
    for name, value in data.items():
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise NoticeRefused(f"参数 {name} 的值应为字符串或数字")
        params[name] = value
    return params


def guarantor_authenticate(params):
    """The enabled guarantor whose appkey is given and whose appsecret produced `sign` (constant time)."""
    appkey, sign = params.get("appkey", ""), params.get("sign", "")
    if not appkey:
        raise NoticeRefused("必填参数为空：appkey")
    if not sign:
        raise NoticeRefused("必填参数为空：sign")
    guarantor = Guarantor.objects.filter(appkey=appkey, enabled=True).first()
    if guarantor is None:
        raise NoticeRefused("appkey 无效")
    if not crypto.guarantee_sign_valid(params, guarantor.appsecret, sign):
        raise NoticeRefused("签名错误")
    return guarantor


def timestamp_check(text):
    """The request time must be `yyyy-MM-dd HH:mm:ss` and within the tolerance of our clock."""
    if not text:
        raise NoticeRefused("必填参数为空：timestamp")
    try:
        skew = clock_skew_seconds(text)
    except ValueError:
        raise NoticeRefused("timestamp 格式错误，应为 yyyy-MM-dd HH:mm:ss") from None
    tolerance = settings.GUARANTEE_TIMESTAMP_TOLERANCE_SECONDS
    if skew > tolerance:
        raise NoticeRefused(f"timestamp 与服务器时间相差超过 {tolerance} 秒")
