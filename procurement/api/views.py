"""The §7.1 token and platform interfaces the e-mall serves to suppliers, at the seed's paths."""
from procurement.api import serializers as s
from procurement.api.base import EmallView, TokenOnly, TokenView, documented
from procurement.kernel.served import caller_address
from procurement.kernel.wire import format_wire_time
from procurement.services.accounts import token_login


@documented("7.1.1 获取电子卖场接口交互凭证", s.TokenRequest, s.TokenResult, "TokenReply")
class TokenEndpoint(EmallView):
    input_serializer = s.TokenRequest

    def answer(self, data):
        raw, token = token_login(**data, caller=caller_address(self.request))
        seconds = int((token.expires_at - token.issued_at).total_seconds())
        return {"token": raw, "expiresAt": format_wire_time(token.expires_at), "expiresIn": seconds}


@documented("7.1.2 获取平台信息", TokenOnly, s.PlatformInfoResult, "PlatformInfoReply")
class PlatformInfoEndpoint(TokenView):
    input_serializer = TokenOnly

    def answer(self, data):
        caller = self.caller
        return {
            "supplierCode": caller.supplier_code,
            "supplierName": caller.supplier_name,
            "platforms": [{"platformCode": code, "platformName": name} for code, name in caller.platforms],
        }
