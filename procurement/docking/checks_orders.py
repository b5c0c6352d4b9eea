"""Order cases both standards share, in the supplier's test mode (orders numbered TEST…): submit → query →
confirm; submit → cancel before confirm; cancel after confirm refused; the same number submitted twice makes one
order; logistics and invoice answer."""
from decimal import Decimal

from django.conf import settings

from procurement.docking.cases import CaseFailed, expect
from procurement.kernel import http
from procurement.suppliers.records import OrderLineRequest, OrderRequest, OrderState

RECEIVER = ("对接测试", "13800000000", "天津市和平区对接测试地址 1 号（测试订单，请勿发货）")


def _request(ctx, connector, tag):
    """A one-line test order of the first sample SKU with a usable price."""
    skus = ctx.skus()[: ctx.sample_size]
    expect(skus, "测试环境没有可下单的商品")
    quotes = connector.prices(skus)
    for sku in skus:
        quote = quotes.get(sku)
        if quote is None:
            continue
        try:
            price = Decimal(quote.price)
        except ArithmeticError:
            continue
        if price > 0:
            line = OrderLineRequest(sku, 1, f"{price:.2f}")
            return OrderRequest(number=ctx.order_number(tag), lines=(line,), total=line.price, receiver=RECEIVER[0],
                                mobile=RECEIVER[1], area_path=tuple(settings.DOCKING_ORDER_AREA_PATH),
                                address=RECEIVER[2], credit_terms=False, invoice_title="对接测试单位",
                                invoice_tax_no="91120000000000000X", remark="对接测试订单，请勿发货")
    raise CaseFailed("抽样商品中没有价格可用的商品，无法测试下单")


def _submitted(ctx, connector, tag):
    request = _request(ctx, connector, tag)
    try:
        order = connector.order_submit(request)
    except http.Refused as refused:
        raise CaseFailed(f"预下单（{request.lines[0].sku} × 1，单价 {request.lines[0].price}，地区 "
                         f"{request.area_path[-1]}）被拒绝：{refused}") from None
    expect(order.number, "预下单成功，但回复中没有电商的订单号（orderId）")
    expect(order.state in (OrderState.PLACED, OrderState.UNKNOWN),
           f"预下单后订单状态应为 1（已下单未确认），实为 {order.state.value}")
    return request, order


def submit_query_confirm(ctx):
    connector = ctx.connector()
    request, order = _submitted(ctx, connector, "A")
    held = connector.order_query(request.number)
    expect(held is not None, f"预下单成功后，查询订单 {request.number} 却答“订单不存在”")
    expect(held.number == order.number, f"查询订单返回的 orderId「{held.number}」与预下单返回的「{order.number}」不同")
    state = connector.order_confirm(request.number, order.number)
    expect(state is OrderState.CONFIRMED, f"确认订单后状态应为 2（已确认），实为 {state.value}")
    held = connector.order_query(request.number)
    expect(held is not None and held.state is OrderState.CONFIRMED,
           "确认订单后查询订单，状态不是 2（已确认）")
    return {"order": request.number}


def cancel_before_confirm(ctx):
    connector = ctx.connector()
    request, order = _submitted(ctx, connector, "B")
    try:
        state = connector.order_cancel(request.number, order.number)
    except http.Refused as refused:
        raise CaseFailed(f"确认前取消订单 {request.number} 被拒绝：{refused}；合同规定确认前可以取消") from None
    expect(state is OrderState.CANCELLED, f"取消订单后状态应为 5（已取消），实为 {state.value}")
    return {"order": request.number}


def cancel_after_confirm_refused(ctx):
    connector = ctx.connector()
    request, order = _submitted(ctx, connector, "C")
    connector.order_confirm(request.number, order.number)
    try:
        state = connector.order_cancel(request.number, order.number)
    except http.Refused:
        return {"order": request.number}
    raise CaseFailed(f"已确认的订单 {request.number} 被取消了（状态 {state.value}）：合同规定确认后不能取消，"
                     "应返回失败报文")


def duplicate_submit(ctx):
    connector = ctx.connector()
    request, first = _submitted(ctx, connector, "D")
    try:
        again = connector.order_submit(request)
    except http.Refused as refused:
        raise CaseFailed(f"以同一订单号 {request.number} 再次预下单被拒绝（{refused}）：合同要求返回已创建的那一单") from None
    expect(again.number == first.number, f"以同一订单号 {request.number} 再次预下单，得到了另一个订单"
                                         f"（{again.number}，第一次为 {first.number}）：重复提交不应新建订单")
    return {"order": request.number}


def logistics(with_invoice):
    """Logistics (and, where the standard requires it, the invoice) of a confirmed test order answer."""
    return lambda ctx: _logistics(ctx, with_invoice)


def invoice_answers(ctx):
    connector = ctx.connector()
    request, order = _submitted(ctx, connector, "F")
    connector.order_confirm(request.number, order.number)
    connector.invoice_query(request.number, order.number)
    return {"order": request.number}


def _logistics(ctx, with_invoice):
    connector = ctx.connector()
    request, order = _submitted(ctx, connector, "E")
    connector.order_confirm(request.number, order.number)
    try:
        packages = connector.order_track(request.number, order.number)
    except http.OutboundError as error:
        raise CaseFailed(f"物流接口对已确认的订单 {request.number} 没有正常回复：{error}（未发货时应返回空数组）") from None
    if with_invoice:
        try:
            connector.invoice_query(request.number, order.number)
        except http.OutboundError as error:
            raise CaseFailed(f"发票接口对订单 {request.number} 没有正常回复：{error}（未开票时 state 为 0）") from None
    return {"packages": len(packages)}
