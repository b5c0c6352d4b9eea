"""Input and output shapes of the §7.1 token and platform interfaces; field names are exactly the wire names."""
from rest_framework import serializers


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=100, help_text="电子卖场分配的接口账号")
    password = serializers.CharField(max_length=128, help_text="密码的 SM3 摘要（小写十六进制），明文密码不在网络上传输")
    timestamp = serializers.CharField(
        max_length=19, help_text="请求时间 yyyy-MM-dd HH:mm:ss（北京时间），与服务器相差不超过 10 分钟")
    sign = serializers.CharField(
        max_length=128,
        help_text="HMAC-SM3(签名密钥, 'password=<password>&timestamp=<timestamp>&username=<username>')，小写十六进制",
    )


class TokenResult(serializers.Serializer):
    token = serializers.CharField()
    expiresAt = serializers.CharField(help_text="过期时间 yyyy-MM-dd HH:mm:ss")
    expiresIn = serializers.IntegerField(help_text="有效秒数（36 小时）")


class PlatformItem(serializers.Serializer):
    platformCode = serializers.CharField()
    platformName = serializers.CharField()


class PlatformInfoResult(serializers.Serializer):
    supplierCode = serializers.CharField()
    supplierName = serializers.CharField()
    platforms = PlatformItem(many=True)
