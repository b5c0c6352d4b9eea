"""Input and output shapes of the §7.1 catalog interfaces; field names are exactly the wire names."""
from rest_framework import serializers

from procurement.api.base import TokenOnly
from procurement.models import Promise


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
