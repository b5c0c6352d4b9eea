"""The §7.1 catalog interfaces the e-mall serves to suppliers (categories, parameters, promises, areas, brands)."""
from catalog.api import queries
from catalog.api import serializers as s
from procurement.api.base import TokenView, documented


@documented("7.1.3 获取平台品目信息", s.CatalogsRequest, s.CatalogsResult, "CatalogsReply")
class CatalogsEndpoint(TokenView):
    input_serializer = s.CatalogsRequest

    def answer(self, data):
        return queries.catalogs(
            self.caller, platform_code=data["platformCode"], parent_code=data.get("parentCode"),
            page_no=data["pageNo"], page_size=data["pageSize"],
        )


@documented("7.1.4 获取商品承诺/产品认证/七天无理由退货", s.PromiseRequest, s.PromiseResult, "PromiseReply")
class RegionPromiseEndpoint(TokenView):
    input_serializer = s.PromiseRequest

    def answer(self, data):
        return queries.promises(kind=data.get("kind"), area_code=data.get("areaCode"))


@documented("7.1.5 获取标准品目标准参数项", s.CatalogsParamRequest, s.CatalogsParamResult, "CatalogsParamReply")
class CatalogsParamEndpoint(TokenView):
    input_serializer = s.CatalogsParamRequest

    def answer(self, data):
        return queries.catalog_params(
            catalog_id=data.get("catalogId"), interface_code=data.get("interfaceCode"), version=data.get("version")
        )


@documented("7.1.6 获取地址信息", s.AreasRequest, s.AreasResult, "AreasReply")
class AreasEndpoint(TokenView):
    input_serializer = s.AreasRequest

    def answer(self, data):
        return queries.areas(parent_code=data.get("parentCode"))


@documented("7.1.7 获取品牌信息", s.BrandsRequest, s.BrandsResult, "BrandsReply")
class BrandsEndpoint(TokenView):
    input_serializer = s.BrandsRequest

    def answer(self, data):
        return queries.brands(name=data.get("name"), page_no=data["pageNo"], page_size=data["pageSize"])
