"""payExInfoStr: the very texts that are signed are the texts sent, for non-ASCII names and decimal amounts."""
import base64
import json
from decimal import Decimal

import pytest
from gmssl import sm2 as gm_sm2

from customs import wire
from customs.payload import upload_head, upload_lists, upload_sign
from customs.signer import SM2Signer
from tests.customs.conftest import CERT_NO
from tests.customs.payment_factories import CrossBorderOrderFactory, OrderGoodsFactory, PaymentRecordFactory

pytestmark = pytest.mark.django_db

GUID = "FE2374AB-8FNE-JF97-3283-9218ABCDEF12"


@pytest.fixture
def payment():
    payment = PaymentRecordFactory(
        total_amount=Decimal("1234.50"), note='含"引号"与\\反斜杠 ✓', pay_type="",
        inital_request="biz_content={\n\"subject\": \"Iphone6 16G\", \"total_amount\": 88.88}",
    )
    first = CrossBorderOrderFactory(payment=payment, order_no="ord201808030001", recp_code="")
    second = CrossBorderOrderFactory(payment=payment, order_no="ord201808030002")
    OrderGoodsFactory(order=first, gname="小米盒子", item_link="http://click.simba.taobao.com/cc_im?p=?f??&s=1")
    OrderGoodsFactory(order=second, gname="奶粉", item_link="https://mall.example.cn/item/奶粉")
    OrderGoodsFactory(order=second, gname="拖鞋「男款」")
    return type(payment).objects.prefetch_related("orders__goods").get(pk=payment.pk)


def expected_text(value, amount_text):
    """What the head or lists must be on the wire, computed independently: json.dumps, amount spliced in."""
    if isinstance(value, dict):
        value = {k: ("@AMOUNT@" if isinstance(v, Decimal) else v) for k, v in value.items()}
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace('"@AMOUNT@"', amount_text)


def test_the_signed_texts_are_the_texts_in_the_payload(payment, sm2_keypair):
    private_key, public_key = sm2_keypair
    head, lists = upload_head(payment, GUID), upload_lists(payment)

    signed = upload_sign("fe2374-8fnejf97-32839218", head, lists, SM2Signer(private_key, CERT_NO), 1533282603450)

    head_text, lists_text = expected_text(head, "1234.5"), expected_text(lists, "")
    assert signed.sign_source == (
        '"sessionID":"fe2374-8fnejf97-32839218"||'
        f'"payExchangeInfoHead":"{head_text}"||"payExchangeInfoLists":"{lists_text}"||'
        '"serviceTime":"1533282603450"'
    )
    assert f'"payExchangeInfoHead":{head_text},' in signed.pay_ex_info_str
    assert f'"payExchangeInfoLists":{lists_text},' in signed.pay_ex_info_str
    assert '"totalAmount":1234.5,' in head_text
    assert "奶粉" in signed.pay_ex_info_str and "\\u" not in signed.pay_ex_info_str
    assert signed.sign_value == json.loads(signed.pay_ex_info_str)["signValue"]
    verifier = gm_sm2.CryptSM2(private_key="", public_key=public_key[2:])
    assert verifier.verify_with_sm3(base64.b64decode(signed.sign_value).hex(), signed.sign_source.encode("utf-8"))


def test_the_payload_is_the_documented_json(payment, sm2_keypair):
    signed = upload_sign("s-1", upload_head(payment, GUID), upload_lists(payment), SM2Signer(sm2_keypair[0], CERT_NO),
                         1533282603450)

    document = wire.parse_customs_json(signed.pay_ex_info_str)

    assert list(document) == ["sessionID", "payExchangeInfoHead", "payExchangeInfoLists", "serviceTime", "certNo",
                              "signValue"]
    assert (document["serviceTime"], document["certNo"]) == (1533282603450, CERT_NO)
    head = document["payExchangeInfoHead"]
    assert list(head) == ["guid", "initalRequest", "initalResponse", "ebpCode", "payCode", "payTransactionId",
                          "totalAmount", "currency", "verDept", "tradingTime", "note"]  # empty payType left out
    assert head["totalAmount"] == Decimal("1234.5") and isinstance(head["totalAmount"], Decimal)
    assert head["tradingTime"] == "20180705133320"
    assert head["note"] == '含"引号"与\\反斜杠 ✓'
    assert head["initalRequest"] == payment.inital_request
    first, second = document["payExchangeInfoLists"]
    assert list(first) == ["orderNo", "goodsInfo", "recpAccount", "recpName"]  # empty recpCode left out
    assert [g["gname"] for g in second["goodsInfo"]] == ["奶粉", "拖鞋「男款」"]


@pytest.mark.parametrize(("stored", "sent"), [
    ("2000.00000", "2000"), ("88.80000", "88.8"), ("0.00001", "0.00001"), ("1234.5", "1234.5"),
    ("12345678901234.12345", "12345678901234.12345"), ("100000000000000", "100000000000000"),
])
def test_amounts_are_written_as_exact_decimal_numbers(stored, sent):
    text = wire.customs_json({"totalAmount": Decimal(stored)})

    assert text == '{"totalAmount":' + sent + "}"
    assert wire.parse_customs_json(text)["totalAmount"] == Decimal(stored)


def test_a_float_amount_is_refused():
    with pytest.raises(TypeError):
        wire.customs_json({"totalAmount": 88.88})
