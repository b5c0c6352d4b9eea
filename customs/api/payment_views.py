"""Staff API for payment records: list and read them, create or update one (Django model permissions apply)."""
from decimal import Decimal

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from customs.api.payment_serializers import PaymentDocument, payment_as_document
from customs.models import PaymentRecord
from customs.payments.services import PaymentInvalid, payment_save
from procurement.kernel.parsers import StrictJSONParser
from procurement.kernel.staffapi import StaffAPIView

TAG = "跨境支付记录（工作人员）"
PAGE_SIZE = 100


class DecimalJSONParser(StrictJSONParser):
    """JSON numbers with a fraction are read as Decimal: an amount never passes through a float. Too deep
    nesting or too long a number is a 400 like any malformed JSON."""

    loads_options = {"parse_float": Decimal}


def _payments():
    return PaymentRecord.objects.prefetch_related("orders__goods")


class PaymentListView(StaffAPIView):
    queryset = PaymentRecord.objects.all()
    parser_classes = [DecimalJSONParser]

    @extend_schema(tags=[TAG], summary="查询支付记录（最多 100 条，按交易时间倒序）", parameters=[
        OpenApiParameter("orderNo", str, description="按订单编号"),
        OpenApiParameter("payTransactionId", str, description="按交易流水号"),
    ], responses={200: PaymentDocument(many=True)})
    def get(self, request):
        payments = _payments()
        if request.query_params.get("orderNo"):
            payments = payments.filter(orders__order_no=request.query_params["orderNo"])
        if request.query_params.get("payTransactionId"):
            payments = payments.filter(pay_transaction_id=request.query_params["payTransactionId"])
        return Response([payment_as_document(p) for p in payments[:PAGE_SIZE]])

    @extend_schema(tags=[TAG], summary="新增或更新一条支付记录（按 payCode + payTransactionId），订单与商品整体替换",
                   request=PaymentDocument, responses={200: PaymentDocument, 201: PaymentDocument})
    def post(self, request):
        incoming = PaymentDocument(data=request.data)
        incoming.is_valid(raise_exception=True)
        self._check_may_update(request, incoming.validated_data)
        try:
            payment, created = payment_save(incoming.validated_data)
        except PaymentInvalid as invalid:
            return Response({"errors": invalid.problems}, status=status.HTTP_400_BAD_REQUEST)
        document = payment_as_document(_payments().get(pk=payment.pk))
        return Response(document, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @staticmethod
    def _check_may_update(request, data):
        exists = PaymentRecord.objects.filter(pay_code=data["payCode"], pay_transaction_id=data["payTransactionId"])
        if exists.exists() and not request.user.has_perm("customs.change_paymentrecord"):
            raise PermissionDenied("该支付记录已存在，更新需要“修改支付记录”权限")


class PaymentDetailView(StaffAPIView):
    queryset = PaymentRecord.objects.all()

    @extend_schema(tags=[TAG], summary="读取一条支付记录", responses={200: PaymentDocument})
    def get(self, request, pk):
        return Response(payment_as_document(get_object_or_404(_payments(), pk=pk)))
