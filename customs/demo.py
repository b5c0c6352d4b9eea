"""Demo data for `make run`: cross-border payment records to probe, and how to watch an upload."""
from datetime import datetime
from decimal import Decimal

from django.conf import settings

from customs.payments.services import payment_save
from procurement.kernel.wire import SHANGHAI

DEMO_EBP_CODE = "12019600AA"
DEMO_PAYMENTS = [
    {
        "payCode": "4403160BUF", "payTransactionId": "DEMO-PAY-0001", "totalAmount": Decimal("2988.50"),
        "currency": "142", "verDept": "3", "payType": "1", "tradingTime": datetime(2026, 3, 5, 13, 33, 20, tzinfo=SHANGHAI),
        "initalRequest": "https://openapi.alipay.com/gateway.do?method=alipay.trade.pay&out_trade_no=DEMO-0001"
                         "&total_amount=2988.50&subject=奶粉 拖鞋",
        "initalResponse": '{"alipay_trade_pay_response":{"code":"10000","msg":"Success",'
                          '"trade_no":"DEMO-PAY-0001","total_amount":"2988.50"}}',
        "note": "演示：一笔支付两个订单",
        "orders": [
            {"orderNo": "DEMO-ORD-0001", "recpAccount": "6217850100007893905", "recpCode": "91120116MA05JX123U",
             "recpName": "天津跨境示范有限公司",
             "goodsInfo": [{"gname": "婴儿配方奶粉 900克", "itemLink": "https://mall.example.cn/item/1001"},
                           {"gname": "棉拖鞋「冬季款」", "itemLink": "https://mall.example.cn/item/1002"}]},
            {"orderNo": "DEMO-ORD-0002", "recpAccount": "6217850100007893905", "recpName": "天津跨境示范有限公司",
             "goodsInfo": [{"gname": "小米盒子", "itemLink": "https://mall.example.cn/item/1003"}]},
        ],
    },
    {
        "payCode": "4403160BUF", "payTransactionId": "DEMO-PAY-0002", "totalAmount": Decimal("88.88"),
        "currency": "502", "verDept": "1", "tradingTime": datetime(2026, 3, 6, 9, 5, 0, tzinfo=SHANGHAI),
        "initalRequest": "pay?order=DEMO-ORD-0003&amount=88.88&currency=USD",
        "initalResponse": '{"code":"SUCCESS","amount":"88.88"}',
        "orders": [
            {"orderNo": "DEMO-ORD-0003", "recpAccount": "OVERSEAS-ACC-77", "recpName": "Example Global Store Ltd.",
             "goodsInfo": [{"gname": "Vitamin C 1000mg", "itemLink": "https://mall.example.cn/item/2001"}]},
        ],
    },
]


def load_demo(stdout):
    for document in DEMO_PAYMENTS:
        payment, created = payment_save({"ebpCode": settings.CUSTOMS_EBP_CODE or DEMO_EBP_CODE, **document})
        stdout.write(f"跨境支付记录 {payment.pay_transaction_id}：{'新增' if created else '已更新'}")
    stdout.write(
        "海关演示：python manage.py customs_probe DEMO-ORD-0001 --wait 30 "
        f"（模拟海关调用 platDataOpen，随后由任务签名上传至 {settings.CUSTOMS_UPLOAD_URL}）"
    )
