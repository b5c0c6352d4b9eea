"""The sandbox customs (通关服务系统): realTimeDataUpload that checks everything, and a caller of our platDataOpen.

It parses payExInfoStr, rebuilds the `||` sign source from the texts it received, verifies the SM2
signature with the public key registered for the certNo, checks every §1.6.3 rule, and answers
10000, or 20000 / 2xxxx with the reason. It keeps the guid of every verified upload it answered: a guid
it refused comes back as a duplicate (20015); one it accepted is accepted again and kept once. Fault
switches (POST /_sandbox/faults): the common latency_ms (slow), error_rate (share answered 503) and
malformed_rate, `reject` (a message: every upload that passes the checks is answered 20000 with it), and
`reply_body` (a text every upload is answered with, as it is).
"""
import base64
import binascii
import uuid

import requests

from customs.formats import check_upload
from customs.wire import (
    CUSTOMS_FAIL,
    CUSTOMS_OK,
    CustomsCode,
    CustomsError,
    customs_json,
    customs_reply,
    customs_sign_source,
    parse_customs_json,
)
from procurement.kernel import crypto
from procurement.kernel.sandbox import Sandbox, SandboxResponse
from procurement.kernel.wire import epoch_ms_now

UPLOAD_PATH = "/ceb2grab/grab/realTimeDataUpload"
OPEN_PATH = "/customs/platDataOpen"
_TOP_LEVEL = (("sessionID", str), ("payExchangeInfoHead", dict), ("payExchangeInfoLists", list),
              ("serviceTime", int), ("certNo", str), ("signValue", str))


class CustomsSandbox(Sandbox):
    name = "海关（通关服务系统）"

    def __init__(self, certificates=None, platform_url="", faults=None):
        super().__init__(faults)
        self.certificates = dict(certificates or {})  # certNo → SM2 public key (hex)
        self.platform_url = platform_url.rstrip("/")
        self.sessions = {}  # sessionID → orderNo, for the requests this sandbox made
        self.received = []  # the uploads it accepted, as parsed documents
        self.guids = {}  # guid → the code it was answered with
        self.routes = {UPLOAD_PATH: self.upload, "/_sandbox/open": self.open, "/_sandbox/uploads": self.uploads}

    def upload(self, request):
        if self.faults.extra.get("reply_body"):  # a reply customs would never send, as it is
            return SandboxResponse(200, str(self.faults.extra["reply_body"]).encode("utf-8"))
        try:
            document = self._verified(request.params().get("payExInfoStr"))
        except CustomsError as refusal:
            return SandboxResponse.json(_answer(refusal.code.value, refusal.message))
        code, message = self._verdict(document)
        return SandboxResponse.json(_answer(code, message))

    def _verified(self, text):
        """The upload's document if it parses and its signature verifies; CustomsError otherwise."""
        document = _parsed(text)
        public_key = self.certificates.get(document["certNo"])
        if public_key is None:
            raise CustomsError(CustomsCode.UNKNOWN_CERTIFICATE, f"证书未登记：{document['certNo']}")
        head, lists = document["payExchangeInfoHead"], document["payExchangeInfoLists"]
        source = customs_sign_source(document["sessionID"], customs_json(head), customs_json(lists),
                                     document["serviceTime"])
        if not crypto.sm2_verify(source.encode("utf-8"), _signature_bytes(document["signValue"]), public_key):
            raise CustomsError(CustomsCode.BAD_SIGNATURE, "验签失败：签名与报文内容不符")
        return document

    def _verdict(self, document):
        """(code, message) for a verified upload. Like customs, it keeps every guid it answered: the same guid
        again after an acceptance is the same message (accepted again, kept once); after a refusal, a duplicate."""
        guid = str(document["payExchangeInfoHead"].get("guid"))
        with self.lock:
            answered = self.guids.get(guid)
            if answered == CUSTOMS_OK:
                return CUSTOMS_OK, "上传成功（重复上传，已接收）"
            if answered is not None:
                return CustomsCode.DUPLICATE_GUID.value, f"系统唯一序号重复：{guid} 已被使用"
            code, message = self._checked(document)
            self.guids[guid] = code
            if code == CUSTOMS_OK:
                self.received.append(document)
        return code, message

    def _checked(self, document):
        """§1.6.3, the requested order, then customs' own refusal (the `reject` switch)."""
        try:
            problems = check_upload(document["payExchangeInfoHead"], document["payExchangeInfoLists"])
            if problems:
                raise CustomsError(CustomsCode.INVALID_FIELD, "；".join(str(p) for p in problems))
            self._check_requested_order(document["sessionID"], document["payExchangeInfoLists"])
        except CustomsError as refusal:
            return refusal.code.value, refusal.message
        reason = self.faults.extra.get("reject")
        return (CUSTOMS_FAIL, str(reason)) if reason else (CUSTOMS_OK, "上传成功")

    def _check_requested_order(self, session_id, lists):
        wanted = self.sessions.get(session_id)
        if wanted and wanted not in [order.get("orderNo") for order in lists]:
            raise CustomsError(CustomsCode.INVALID_FIELD, f"未返回请求的订单 {wanted}")

    def open(self, request):
        """POST orderNo=…: call the platform's platDataOpen as customs does; answers its reply and the sessionID."""
        order_no = request.params().get("orderNo", "")
        session_id = request.params().get("sessionID") or str(uuid.uuid4())
        with self.lock:
            self.sessions[session_id] = order_no
        open_req = customs_json({"orderNo": order_no, "sessionID": session_id, "serviceTime": epoch_ms_now()})
        try:
            reply = requests.post(self.platform_url + OPEN_PATH, data={"openReq": open_req}, timeout=10)
            answer = reply.json()
        except (requests.RequestException, ValueError) as exc:
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        return SandboxResponse.json({"sessionID": session_id, "reply": answer})

    def uploads(self, request):
        with self.lock:
            accepted = list(self.received)
        return SandboxResponse.json({"accepted": [
            {"sessionID": d["sessionID"], "orderNos": [o.get("orderNo") for o in d["payExchangeInfoLists"]],
             "totalAmount": customs_json(d["payExchangeInfoHead"].get("totalAmount")), "certNo": d["certNo"]}
            for d in accepted
        ]})


def _answer(code, message):
    return {**customs_reply(code, message), "total": 0}


def _parsed(text):
    if not text:
        raise CustomsError(CustomsCode.UNREADABLE_UPLOAD, "缺少表单字段 payExInfoStr")
    try:
        document = parse_customs_json(text)
    except ValueError as exc:
        raise CustomsError(CustomsCode.UNREADABLE_UPLOAD, f"payExInfoStr 不是合法的 JSON：{exc}") from None
    if not isinstance(document, dict):
        raise CustomsError(CustomsCode.UNREADABLE_UPLOAD, "payExInfoStr 应为 JSON 对象")
    for name, kind in _TOP_LEVEL:
        value = document.get(name)
        if not isinstance(value, kind) or isinstance(value, bool) or value in ("", None):
            raise CustomsError(CustomsCode.INVALID_FIELD, f"{name}：缺少或类型错误")
    return document


def _signature_bytes(sign_value):
    try:
        return base64.b64decode(sign_value, validate=True)
    except (binascii.Error, ValueError):
        raise CustomsError(CustomsCode.BAD_SIGNATURE, "signValue 不是合法的 Base64") from None


def build_demo_sandbox(public_base_url):
    """The sandbox `make run` starts: it knows the certificate our settings sign with (sm2 signer)."""
    from django.conf import settings

    certificates = {}
    if settings.CUSTOMS_SM2_PRIVATE_KEY and settings.CUSTOMS_CERT_NO:
        certificates[settings.CUSTOMS_CERT_NO] = crypto.sm2_public_key(settings.CUSTOMS_SM2_PRIVATE_KEY)
    return CustomsSandbox(certificates=certificates, platform_url=public_base_url)
