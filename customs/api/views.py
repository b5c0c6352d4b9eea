"""platDataOpen (seed 004 §1.6.1): customs asks for an order's payment data; we record it and answer at once."""
from drf_spectacular.utils import extend_schema

from customs.api.base import CustomsView
from customs.api.serializers import CustomsReply, OpenRequest, OpenRequestForm, open_request_document
from customs.services import request_record


@extend_schema(
    summary="1.6.1 企业实时数据获取接口 platDataOpen（海关调用）", tags=["海关 实时数据获取"],
    request={"application/x-www-form-urlencoded": OpenRequestForm, "application/json": OpenRequest},
    responses={200: CustomsReply},
    description="只记录请求并立即应答 10000；支付数据随后由任务签名上传至 realTimeDataUpload。"
                "同一 sessionID 重复调用得到相同应答。",
)
class PlatDataOpenView(CustomsView):
    input_serializer = OpenRequest

    def post(self, request):
        data = self.validated(open_request_document(request.data))
        code, message = request_record(
            order_no=data["orderNo"], session_id=data["sessionID"], service_time=data["serviceTime"],
            remote_addr=request.META.get("REMOTE_ADDR") or None,
        )
        return self.reply((code, message))
