"""Staff API for the trading system: create guarantee applications, ask for invoices, withdraw before opening.

Authenticated by Django session or HTTP Basic with a staff account; rights by the 保函管理 group's
model permissions. Field names follow the seed's wire names.
"""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from guarantees.errors import DuplicateApplication
from guarantees.models import Guarantee, Guarantor, InvoiceRequest, Section
from guarantees.services.guarantees import guarantee_apply, guarantee_quit
from guarantees.services.invoices import invoice_request
from procurement.kernel.credit_code import validate_credit_code
from procurement.kernel.staffapi import StaffAPIView, StaffModelPermissions, valid_input
from procurement.kernel.statemachine import by_user

TAG = "电子保函（交易系统调用，员工认证）"


class ApplicationIn(serializers.Serializer):
    biaoduanno = serializers.CharField(max_length=100, help_text="标段编号")
    appkey = serializers.CharField(max_length=64, help_text="所选金融机构的 appkey")
    biddername = serializers.CharField(max_length=200)
    biddercode = serializers.CharField(max_length=18, validators=[validate_credit_code])
    basicaccount = serializers.CharField(max_length=64, help_text="投标企业基本户（基本存款账户）账号；开标时与金融机构"
                                         "通知的付保费账号核对，非基本户支付的保函认定为无效保函")
    basicbank = serializers.CharField(max_length=200, required=False, help_text="基本户开户银行")
    bzjamount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False,
                                         help_text="保证金金额；不填取标段的保证金金额")


class GuaranteeOut(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    review_label = serializers.CharField(source="get_review_display")
    biaoduanno = serializers.CharField(source="section.section_no")
    guarantor = serializers.CharField(source="guarantor.name")
    validity_label = serializers.CharField(source="get_validity_display")

    class Meta:
        model = Guarantee
        fields = ["applyno", "biaoduanno", "guarantor", "bidder_name", "bidder_code", "basic_account_no",
                  "basic_account_bank", "deposit_amount", "status", "status_label", "review", "review_label",
                  "validity", "validity_label", "validity_reason", "baohanno", "payer_name", "payer_account",
                  "generated_at", "rate", "cost", "created_at"]


class QuitIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="退保原因")


class InvoiceIn(serializers.Serializer):
    applyno = serializers.CharField(max_length=40)
    type = serializers.ChoiceField(choices=InvoiceRequest.Kind.choices, help_text="0 普票，1 专票")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, help_text="不填取保函费用")
    address = serializers.CharField(max_length=300, required=False, help_text="专票必填")
    phone = serializers.CharField(max_length=30, required=False, help_text="专票必填")
    bank = serializers.CharField(max_length=200, required=False, help_text="专票必填")
    account = serializers.CharField(max_length=64, required=False, help_text="专票必填")
    email = serializers.EmailField(required=False)
    mobile = serializers.CharField(max_length=30, required=False)


class InvoiceOut(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="0 普票，1 专票")

    class Meta:
        model = InvoiceRequest
        fields = ["id", "kind", "amount", "status", "invoice_url", "invoice_code", "invoice_no", "created_at"]


class ApplicationsEndpoint(StaffAPIView):
    queryset = Guarantee.objects.all()

    @extend_schema(summary="创建投保申请（发出 baohanapply）；同一投标企业在该标段已有有效申请时返回 200 与该申请",
                   tags=[TAG], request=ApplicationIn, responses={201: GuaranteeOut, 200: GuaranteeOut})
    def post(self, request):
        data = valid_input(ApplicationIn, request.data)
        section = get_object_or_404(Section, section_no=data["biaoduanno"])
        guarantor = get_object_or_404(Guarantor, appkey=data["appkey"])
        try:
            guarantee = guarantee_apply(
                section=section, guarantor=guarantor, bidder_name=data["biddername"],
                bidder_code=data["biddercode"], deposit_amount=data.get("bzjamount"),
                basic_account_no=data["basicaccount"], basic_account_bank=data.get("basicbank", ""),
                actor=by_user(request.user),
            )
        except DuplicateApplication as duplicate:
            # A retried request (the first answer was lost) gets the application it already made.
            return Response(GuaranteeOut(duplicate.existing).data, status=status.HTTP_200_OK)
        return Response(GuaranteeOut(guarantee).data, status=status.HTTP_201_CREATED)


class ApplicationEndpoint(StaffAPIView):
    queryset = Guarantee.objects.select_related("section", "guarantor")

    @extend_schema(summary="查询投保申请与保函状态", tags=[TAG], responses={200: GuaranteeOut})
    def get(self, request, applyno):
        return Response(GuaranteeOut(get_object_or_404(self.queryset, applyno=applyno)).data)


class ChangePermission(StaffModelPermissions):
    perms_map = {**StaffModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


class QuitEndpoint(StaffAPIView):
    queryset = Guarantee.objects.select_related("section", "guarantor")
    permission_classes = [ChangePermission]

    @extend_schema(summary="开标前退保（发出 quitapply）", tags=[TAG], request=QuitIn, responses={200: GuaranteeOut})
    def post(self, request, applyno):
        data = valid_input(QuitIn, request.data)
        guarantee = get_object_or_404(self.queryset, applyno=applyno)
        guarantee_quit(guarantee, reason=data["reason"], actor=by_user(request.user))
        return Response(GuaranteeOut(guarantee).data)


class InvoicesEndpoint(StaffAPIView):
    queryset = InvoiceRequest.objects.all()

    @extend_schema(summary="申请发票（发出 invoiceapply）", tags=[TAG], request=InvoiceIn, responses={201: InvoiceOut})
    def post(self, request):
        data = valid_input(InvoiceIn, request.data)
        guarantee = get_object_or_404(Guarantee, applyno=data.pop("applyno"))
        invoice = invoice_request(guarantee, kind=data.pop("type"), amount=data.pop("amount", None),
                                  actor=by_user(request.user), **data)
        return Response(InvoiceOut(invoice).data, status=status.HTTP_201_CREATED)
