"""Input and output shapes of the §7.1 interfaces; field names are exactly the wire names."""
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from procurement.models import Promise


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=100, help_text="电子卖场分配的接口账号")
    password = serializers.CharField(max_length=128, help_text="密码的 SM3 摘要（小写十六进制），明文密码不在网络上传输")
    timestamp = serializers.CharField(max_length=19, help_text="请求时间 yyyy-MM-dd HH:mm:ss（北京时间），与服务器相差不超过 10 分钟")
    sign = serializers.CharField(
        max_length=128,
        help_text="HMAC-SM3(签名密钥, 'password=<password>&timestamp=<timestamp>&username=<username>')，小写十六进制",
    )


class TokenResult(serializers.Serializer):
    token = serializers.CharField()
    expiresAt = serializers.CharField(help_text="过期时间 yyyy-MM-dd HH:mm:ss")
    expiresIn = serializers.IntegerField(help_text="有效秒数（36 小时）")


class TokenOnly(serializers.Serializer):
    # Checked before validation (procurement.api.base.TokenView); declared for the document.
    token = serializers.CharField(required=False, help_text="/gyssc/token 取得的令牌（也可用 access_token）")


class PlatformItem(serializers.Serializer):
    platformCode = serializers.CharField()
    platformName = serializers.CharField()


class PlatformInfoResult(serializers.Serializer):
    supplierCode = serializers.CharField()
    supplierName = serializers.CharField()
    platforms = PlatformItem(many=True)


class Page(TokenOnly):
    pageNo = serializers.IntegerField(min_value=1, max_value=100_000, default=1, required=False)
    pageSize = serializers.IntegerField(min_value=1, max_value=1000, default=100, required=False)


class CatalogsRequest(Page):
    platformCode = serializers.CharField(max_length=50, help_text="/gyssc/platform/info 返回的卖场标识码")
    parentCode = serializers.CharField(max_length=30, required=False, help_text="只返回此品目的下级品目")


class CatalogItem(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    interfaceCode = serializers.CharField()
    name = serializers.CharField()
    parentCode = serializers.CharField(allow_null=True)
    level = serializers.IntegerField()
    isLeaf = serializers.BooleanField()
    version = serializers.IntegerField(help_text="品目或其参数项每次变更加一")


class CatalogsResult(serializers.Serializer):
    platformCode = serializers.CharField()
    total = serializers.IntegerField()
    pageNo = serializers.IntegerField()
    pageSize = serializers.IntegerField()
    catalogs = CatalogItem(many=True)


class CatalogsParamRequest(TokenOnly):
    catalogId = serializers.CharField(max_length=20, required=False, help_text="品目 id（与 interfaceCode 二选一）")
    interfaceCode = serializers.CharField(max_length=50, required=False)
    version = serializers.IntegerField(required=False, help_text="调用方持有的品目版本；与当前版本不同时返回 5010")


class ParamItem(serializers.Serializer):
    attributeID = serializers.CharField()
    attributeName = serializers.CharField()
    required = serializers.BooleanField()
    valueType = serializers.CharField(help_text="text / number / enum / multi_enum / boolean / date")
    values = serializers.ListField(child=serializers.CharField(), help_text="可选值；单选/多选必须取其中之一")
    unit = serializers.CharField()
    order = serializers.IntegerField()


class CatalogsParamResult(serializers.Serializer):
    catalogId = serializers.IntegerField()
    code = serializers.CharField()
    interfaceCode = serializers.CharField()
    name = serializers.CharField()
    version = serializers.IntegerField()
    params = ParamItem(many=True)


class PromiseRequest(TokenOnly):
    kind = serializers.ChoiceField(choices=Promise.Kind.choices, required=False)
    areaCode = serializers.CharField(max_length=12, required=False, help_text="只返回适用于此地区的承诺")


class PromiseItem(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    kindName = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    areaCodes = serializers.ListField(child=serializers.CharField(), help_text="空表示全部地区")


class PromiseResult(serializers.Serializer):
    promises = PromiseItem(many=True)


class AreasRequest(TokenOnly):
    parentCode = serializers.CharField(max_length=12, required=False, help_text="不传返回一级地址")


class AreaItem(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField(help_text="1 省 2 市 3 区县")
    parentCode = serializers.CharField(allow_null=True)


class AreasResult(serializers.Serializer):
    areas = AreaItem(many=True)


class BrandsRequest(Page):
    name = serializers.CharField(max_length=100, required=False, help_text="按名称（中文或英文）模糊查询")


class BrandItem(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    englishName = serializers.CharField()


class BrandsResult(serializers.Serializer):
    total = serializers.IntegerField()
    pageNo = serializers.IntegerField()
    pageSize = serializers.IntegerField()
    brands = BrandItem(many=True)


def envelope(name, result_serializer):
    """The §6.1 envelope around a result, for the OpenAPI document."""
    return inline_serializer(
        name=name,
        fields={
            "success": serializers.BooleanField(help_text="true 成功；false 失败"),
            "result": result_serializer(required=False),
            "code": serializers.CharField(required=False, help_text="失败时的错误码（见 §6.2）"),
            "desc": serializers.CharField(required=False, help_text="失败时的错误描述"),
        },
    )
