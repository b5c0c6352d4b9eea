"""payExInfoStr: the head and lists of a payment, serialised once, signed, and sent as the very same text.

Key order follows seed 004 §1.6.2; optional fields left empty (payType, note, recpCode) are left
out rather than sent as "". Amounts are Decimal all the way (customs.wire.customs_json).
"""
from dataclasses import dataclass

from customs.wire import customs_json, customs_pay_ex_info, customs_sign_source, format_trading_time
from procurement.kernel.wire import epoch_ms_now


@dataclass(frozen=True)
class SignedUpload:
    service_time: int
    sign_source: str
    cert_no: str
    sign_value: str
    pay_ex_info_str: str


def upload_head(payment, guid):
    """payExchangeInfoHead of a payment (a dict whose order is the order on the wire)."""
    return _without_empty_optionals({
        "guid": guid,
        "initalRequest": payment.inital_request,
        "initalResponse": payment.inital_response,
        "ebpCode": payment.ebp_code,
        "payCode": payment.pay_code,
        "payTransactionId": payment.pay_transaction_id,
        "totalAmount": payment.total_amount,
        "currency": payment.currency,
        "verDept": payment.ver_dept,
        "payType": payment.pay_type,
        "tradingTime": format_trading_time(payment.trading_time),
        "note": payment.note,
    }, optional=("payType", "note"))


def upload_lists(payment):
    """payExchangeInfoLists: every order the payment paid (orders and goods prefetched by the caller)."""
    return [
        _without_empty_optionals({
            "orderNo": order.order_no,
            "goodsInfo": [{"gname": item.gname, "itemLink": item.item_link} for item in order.goods.all()],
            "recpAccount": order.recp_account,
            "recpCode": order.recp_code,
            "recpName": order.recp_name,
        }, optional=("recpCode",))
        for order in payment.orders.all()
    ]


def _without_empty_optionals(record, optional):
    return {key: value for key, value in record.items() if key not in optional or value not in (None, "")}


def upload_sign(session_id, head, lists, signer, service_time=None):
    """Serialise head and lists once; sign the `||` source; embed the same texts in payExInfoStr."""
    service_time = service_time or epoch_ms_now()
    head_text, lists_text = customs_json(head), customs_json(lists)
    source = customs_sign_source(session_id, head_text, lists_text, service_time)
    signature = signer.sign(source)
    return SignedUpload(
        service_time=service_time, sign_source=source, cert_no=signature.cert_no, sign_value=signature.value,
        pay_ex_info_str=customs_pay_ex_info(session_id, head_text, lists_text, service_time,
                                            signature.cert_no, signature.value),
    )
