"""The storefront's order API: place a purchase (one order per supplier), read orders, confirm, cancel, record a
credit-terms payment. Staff-authenticated; rights by the 订单管理 group's model permissions."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from catalog.models import Sku
from orders.api import serializers as s
from orders.models import DeliveryAddress, Order, Purchaser
from orders.services.intake import Cart, CartLine, OrderInvalid, orders_place
from orders.services.payments import payment_record
from orders.services.staff import order_cancel, order_confirm
from procurement.kernel.staffapi import StaffAPIView, StaffModelPermissions, valid_input
from procurement.kernel.statemachine import by_user
from procurement.models import Area

TAG = "订单（商城前台调用，员工认证）"
PAGE_SIZE = 100


def _orders():
    return Order.objects.select_related("supplier").prefetch_related("lines")


class ManagePermission(StaffModelPermissions):
    """Acting on an order (confirm, cancel, record a payment) needs the 处理订单 permission."""

    perms_map = {**StaffModelPermissions.perms_map, "POST": ["%(app_label)s.manage_order"]}


class OrdersEndpoint(StaffAPIView):
    queryset = Order.objects.all()

    @extend_schema(tags=[TAG], summary="下单：一次购买按电商拆成订单（同一 storefrontNo 重复提交返回已建订单）",
                   request=s.OrderIn, responses={201: s.OrderOut(many=True), 200: s.OrderOut(many=True)})
    def post(self, request):
        data = valid_input(s.OrderIn, request.data)
        cart = _cart(data)
        if cart.problems:
            return Response({"detail": "；".join(cart.problems), "problems": cart.problems}, status=400)
        try:
            orders, created = orders_place(cart, actor=by_user(request.user))
        except OrderInvalid as invalid:
            return Response({"detail": str(invalid), "problems": invalid.problems}, status=400)
        body = s.OrderOut(_orders().filter(pk__in=[o.pk for o in orders]).order_by("id"), many=True).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(tags=[TAG], summary="查询订单（最多 100 条，新的在前）", parameters=[
        OpenApiParameter("storefrontNo", str), OpenApiParameter("status", str)], responses={200: s.OrderOut(many=True)})
    def get(self, request):
        orders = _orders()
        for param, field in (("storefrontNo", "storefront_no"), ("status", "status")):
            if request.query_params.get(param):
                orders = orders.filter(**{field: request.query_params[param]})
        return Response(s.OrderOut(orders[:PAGE_SIZE], many=True).data)


class OrderEndpoint(StaffAPIView):
    queryset = Order.objects.all()

    @extend_schema(tags=[TAG], summary="查询一个订单", responses={200: s.OrderOut})
    def get(self, request, number):
        return Response(s.OrderOut(get_object_or_404(_orders(), number=number)).data)


class ConfirmEndpoint(StaffAPIView):
    queryset = Order.objects.all()
    permission_classes = [ManagePermission]

    @extend_schema(tags=[TAG], summary="确认订单（电商预下单成功后）", request=None, responses={202: s.OrderOut})
    def post(self, request, number):
        order = get_object_or_404(Order, number=number)
        order_confirm(order, actor=by_user(request.user))
        return Response(s.OrderOut(_orders().get(pk=order.pk)).data, status=status.HTTP_202_ACCEPTED)


class CancelEndpoint(StaffAPIView):
    queryset = Order.objects.all()
    permission_classes = [ManagePermission]

    @extend_schema(tags=[TAG], summary="取消订单（电商确认之前）", request=s.ReasonIn, responses={202: s.OrderOut})
    def post(self, request, number):
        data = valid_input(s.ReasonIn, request.data)
        order = get_object_or_404(Order, number=number)
        order_cancel(order, actor=by_user(request.user), reason=data["reason"])
        return Response(s.OrderOut(_orders().get(pk=order.pk)).data, status=status.HTTP_202_ACCEPTED)


class PaymentsEndpoint(StaffAPIView):
    queryset = Order.objects.all()
    permission_classes = [ManagePermission]

    @extend_schema(tags=[TAG], summary="登记账期订单的转账（推送电商核对）", request=s.PaymentIn,
                   responses={201: s.OrderOut})
    def post(self, request, number):
        data = valid_input(s.PaymentIn, request.data)
        order = get_object_or_404(Order, number=number)
        payment_record(order, serial_no=data["serialNo"], amount=data["amount"], paid_at=data["paidAt"],
                       bank_name=data["bankName"], bank_account=data["bankAccount"], actor=by_user(request.user))
        return Response(s.OrderOut(_orders().get(pk=order.pk)).data, status=status.HTTP_201_CREATED)


def _cart(data):
    """The Cart of a valid request; what cannot be found is named in cart.problems."""
    problems = []
    purchaser = Purchaser.objects.select_related("unit").filter(external_id=data["purchaser"], is_active=True).first()
    if purchaser is None:
        problems.append(f"purchaser：采购人 {data['purchaser']} 不存在或已停用")
    address = _address(data, purchaser, problems)
    lines = []
    for index, line in enumerate(data["lines"]):
        sku = Sku.objects.select_related("supplier").filter(supplier__code=line["supplier"], sku_code=line["sku"]).first()
        if sku is None:
            problems.append(f"lines[{index}]：电商 {line['supplier']} 没有商品 {line['sku']}")
            continue
        lines.append(CartLine(sku, line["quantity"], line["price"]))
    return Cart(purchaser=purchaser, address=address, lines=lines, credit_terms=data["payment"] == Order.Payment.CREDIT,
                storefront_no=data["storefrontNo"], invoice_title=data.get("invoiceTitle", ""),
                invoice_tax_no=data.get("invoiceTaxNo", ""), remark=data.get("remark", ""),
                confirm_on_submit=data["autoConfirm"], problems=problems)


def _address(data, purchaser, problems):
    if purchaser is None:
        return None
    if "addressId" in data:
        address = DeliveryAddress.objects.select_related("area").filter(pk=data["addressId"], purchaser=purchaser).first()
        if address is None:
            problems.append(f"addressId：采购人没有编号为 {data['addressId']} 的收货地址")
        return address
    given = data["address"]
    area = Area.objects.filter(code=given["areaCode"], level=Area.Level.COUNTY).first()
    if area is None:
        problems.append(f"address.areaCode：{given['areaCode']} 不是区县级地区编码")
        return None
    return DeliveryAddress(purchaser=purchaser, area=area, address=given["address"], receiver=given["receiver"],
                           receiver_phone=given["receiverPhone"])
