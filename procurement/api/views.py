"""The interfaces the e-mall serves to suppliers (seed 000 §7.1), at the seed's paths."""
from drf_spectacular.utils import extend_schema, extend_schema_view

from procurement.api import queries
from procurement.api import serializers as s
from procurement.api.base import EnvelopeView, TokenView
from procurement.services.accounts import token_login
from procurement.wire import format_wire_time

TAG = "电子卖场 §7.1（电商调用）"


def documented(summary, request, result, name):
    return extend_schema_view(
        post=extend_schema(
            summary=summary, tags=[TAG], responses={200: s.envelope(name, result)},
            request={"application/x-www-form-urlencoded": request, "application/json": request},
        )
    )


@documented("7.1.1 获取电子卖场接口交互凭证", s.TokenRequest, s.TokenResult, "TokenReply")
class TokenEndpoint(EnvelopeView):
    input_serializer = s.TokenRequest

    def answer(self, data):
        raw, token = token_login(**data)
        seconds = int((token.expires_at - token.issued_at).total_seconds())
        return {"token": raw, "expiresAt": format_wire_time(token.expires_at), "expiresIn": seconds}


@documented("7.1.2 获取平台信息", s.TokenOnly, s.PlatformInfoResult, "PlatformInfoReply")
class PlatformInfoEndpoint(TokenView):
    input_serializer = s.TokenOnly

    def answer(self, data):
        return queries.platform_info(self.caller)


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
