"""Every §1.6.3 rule broken once: our check names the field before sending, and the sandbox customs refuses it over HTTP."""
import copy
from decimal import Decimal

import pytest
import requests

from customs.formats import check_upload
from customs.models import new_guid
from customs.payload import upload_sign
from customs.sandbox import UPLOAD_PATH, CustomsSandbox
from customs.signer import SM2Signer
from procurement.kernel.sandbox import serve
from tests.customs.conftest import CERT_NO

GONE = object()

HEAD = {
    "guid": "FE2374AB-0F0E-4F97-8283-9218ABCDEF12", "initalRequest": "https://pay.example.cn/?amount=88.88",
    "initalResponse": '{"code":"10000"}', "ebpCode": "44069679AS", "payCode": "4403160BUF",
    "payTransactionId": "201808010XTOO180881108351", "totalAmount": Decimal("88.88"), "currency": "502",
    "verDept": "3", "payType": "1", "tradingTime": "20180705133320", "note": "备注",
}
LISTS = [{"orderNo": "ord201808030001", "goodsInfo": [{"gname": "小米盒子", "itemLink": "http://example.cn/1"}],
          "recpAccount": "6217850100007893905", "recpCode": "91350100M000100Y43", "recpName": "天猫国际有限公司"}]

H, L0, G0 = ("head",), ("lists", 0), ("lists", 0, "goodsInfo", 0)
BROKEN = [
    (H + ("guid",), GONE, "payExchangeInfoHead.guid"),
    (H + ("guid",), "FE2374AB-0F0E-4F97-8283-9218ABCDEF1", "payExchangeInfoHead.guid"),
    (H + ("guid",), "fe2374ab-0f0e-4f97-8283-9218abcdef12", "payExchangeInfoHead.guid"),
    (H + ("guid",), "FE2374AB-0F0E-4F97-8283-9218ABCDEF123", "payExchangeInfoHead.guid"),
    (H + ("initalRequest",), GONE, "payExchangeInfoHead.initalRequest"),
    (H + ("initalRequest",), "请" * 8001, "payExchangeInfoHead.initalRequest"),
    (H + ("initalResponse",), "", "payExchangeInfoHead.initalResponse"),
    (H + ("initalResponse",), "x" * 8001, "payExchangeInfoHead.initalResponse"),
    (H + ("ebpCode",), GONE, "payExchangeInfoHead.ebpCode"),
    (H + ("ebpCode",), "4" * 19, "payExchangeInfoHead.ebpCode"),
    (H + ("payCode",), GONE, "payExchangeInfoHead.payCode"),
    (H + ("payCode",), "4" * 19, "payExchangeInfoHead.payCode"),
    (H + ("payTransactionId",), GONE, "payExchangeInfoHead.payTransactionId"),
    (H + ("payTransactionId",), "T" * 61, "payExchangeInfoHead.payTransactionId"),
    (H + ("totalAmount",), GONE, "payExchangeInfoHead.totalAmount"),
    (H + ("totalAmount",), Decimal("88.000001"), "payExchangeInfoHead.totalAmount"),
    (H + ("totalAmount",), Decimal("123456789012345"), "payExchangeInfoHead.totalAmount"),
    (H + ("totalAmount",), Decimal("0"), "payExchangeInfoHead.totalAmount"),
    (H + ("totalAmount",), Decimal("-1.5"), "payExchangeInfoHead.totalAmount"),
    (H + ("totalAmount",), "88.88", "payExchangeInfoHead.totalAmount"),
    (H + ("currency",), GONE, "payExchangeInfoHead.currency"),
    (H + ("currency",), "50200", "payExchangeInfoHead.currency"),
    (H + ("verDept",), GONE, "payExchangeInfoHead.verDept"),
    (H + ("verDept",), "4", "payExchangeInfoHead.verDept"),
    (H + ("payType",), "5", "payExchangeInfoHead.payType"),
    (H + ("payType",), "12", "payExchangeInfoHead.payType"),
    (H + ("tradingTime",), GONE, "payExchangeInfoHead.tradingTime"),
    (H + ("tradingTime",), "2018070513332", "payExchangeInfoHead.tradingTime"),
    (H + ("tradingTime",), "2018-07-05 133", "payExchangeInfoHead.tradingTime"),
    (H + ("tradingTime",), 20180705133320, "payExchangeInfoHead.tradingTime"),
    (H + ("note",), "备" * 1001, "payExchangeInfoHead.note"),
    (("lists",), [], "payExchangeInfoLists"),
    (L0 + ("orderNo",), GONE, "payExchangeInfoLists[0].orderNo"),
    (L0 + ("orderNo",), "o" * 61, "payExchangeInfoLists[0].orderNo"),
    (L0 + ("recpAccount",), GONE, "payExchangeInfoLists[0].recpAccount"),
    (L0 + ("recpAccount",), "6" * 61, "payExchangeInfoLists[0].recpAccount"),
    (L0 + ("recpCode",), "1" * 19, "payExchangeInfoLists[0].recpCode"),
    (L0 + ("recpCode",), "1105910159", "payExchangeInfoLists[0].recpCode"),
    (L0 + ("recpCode",), "91350100M000100Y44", "payExchangeInfoLists[0].recpCode"),
    (L0 + ("recpCode",), "91350100m000100y43", "payExchangeInfoLists[0].recpCode"),
    (L0 + ("recpCode",), "91350100I000100Y43", "payExchangeInfoLists[0].recpCode"),
    (L0 + ("recpName",), GONE, "payExchangeInfoLists[0].recpName"),
    (L0 + ("recpName",), "名" * 101, "payExchangeInfoLists[0].recpName"),
    (L0 + ("goodsInfo",), GONE, "payExchangeInfoLists[0].goodsInfo"),
    (L0 + ("goodsInfo",), [], "payExchangeInfoLists[0].goodsInfo"),
    (G0 + ("gname",), GONE, "payExchangeInfoLists[0].goodsInfo[0].gname"),
    (G0 + ("gname",), "品" * 251, "payExchangeInfoLists[0].goodsInfo[0].gname"),
    (G0 + ("itemLink",), GONE, "payExchangeInfoLists[0].goodsInfo[0].itemLink"),
    (G0 + ("itemLink",), "h" * 3001, "payExchangeInfoLists[0].goodsInfo[0].itemLink"),
]
IDS = [f"{field}={'missing' if value is GONE else repr(value)[:20]}" for _, value, field in BROKEN]


def broken(path, value):
    """HEAD and LISTS with one rule broken, under a guid of their own (customs refuses a guid used before)."""
    upload = {"head": {**copy.deepcopy(HEAD), "guid": new_guid()}, "lists": copy.deepcopy(LISTS)}
    if len(path) == 1:
        upload[path[0]] = value
        return upload["head"], upload["lists"]
    *parents, name = path
    target = upload
    for step in parents:
        target = target[step]
    if value is GONE:
        del target[name]
    else:
        target[name] = value
    return upload["head"], upload["lists"]


def test_the_reference_upload_is_valid():
    assert check_upload(HEAD, LISTS) == []


def test_the_longest_allowed_values_pass():
    head = {**HEAD, "initalRequest": "请" * 8000, "note": "备" * 1000, "totalAmount": Decimal("12345678901234.12345")}
    lists = [{**LISTS[0], "recpName": "名" * 100}]

    assert check_upload(head, lists) == []


@pytest.mark.parametrize(("path", "value", "field"), BROKEN, ids=IDS)
def test_each_broken_rule_is_named_before_sending(path, value, field):
    problems = check_upload(*broken(path, value))

    assert [p.field for p in problems] == [field]
    assert problems[0].reason


@pytest.fixture(scope="module")
def sandbox_customs(sm2_keypair):
    """One sandbox for the whole table (stopping a server takes half a second)."""
    running = serve(CustomsSandbox(certificates={CERT_NO: sm2_keypair[1]}))
    yield running
    running.stop()


@pytest.mark.parametrize(("path", "value", "field"), BROKEN, ids=IDS)
def test_the_sandbox_customs_refuses_each_broken_rule(sandbox_customs, sm2_keypair, path, value, field):
    head, lists = broken(path, value)
    signed = upload_sign("session-formats", head, lists, SM2Signer(sm2_keypair[0], CERT_NO))

    reply = requests.post(sandbox_customs.url + UPLOAD_PATH, data={"payExInfoStr": signed.pay_ex_info_str},
                          timeout=10).json()

    assert reply["code"] == "20012", reply
    assert field in reply["message"]
    assert sandbox_customs.sandbox.received == []
