"""The sandbox guarantor: a reference bank for seed 003, over HTTP, for tests, `make run` and counterparties.

It accepts baohanapply and, after `notice_delay` seconds, issues a ciphertext guarantee (a small
generated PDF, signed with the certificate its own test CA issued, see sandbox_pdf.py) through
baohannotice; it decrypts on baohanrestore and sends restorenotice; it answers
invoiceapply, quitapply, canclenotice, claimsnotice and checkbaohanlist. Fault switches (POST
/_sandbox/faults): latency_ms (slow), error_rate (5xx), malformed_rate, and in `extra`: wrong_sign
(our notices carry a bad sign), duplicate_notices (each notice sent twice), notice_delay (seconds),
notice_before_reply (baohannotice is sent, and answered, before the reply to baohanapply goes out),
duplicate_check_rows (checkbaohanlist lists each guarantee twice, the copy with another cost),
malformed_check_list (checkbaohanlist answers code 1 with a baohanlist that is not a list),
other_payer_account (baohannotice names a paying account that is not the bidder's basic account),
unsigned_files (guarantee files without a signature), tampered_files (files changed after they were signed).
"""
import base64
import itertools
import json
import threading
import time
from datetime import datetime
from decimal import Decimal

import requests

from guarantees.sandbox_pdf import signed_pdf, tampered_pdf, text_pdf
from guarantees.wire import guarantee_reply
from procurement.kernel import crypto
from procurement.kernel.sandbox import Faults, Sandbox, SandboxResponse
from procurement.kernel.wire import SHANGHAI, format_wire_time, parse_wire_date, parse_wire_time

DEMO_APPKEY = "demo-bank"
DEMO_APPSECRET = "demo-bank-appsecret-sandbox-only"
RATE = Decimal("0.0015")
# The account the sandbox says the premium was paid from (the demo records it as the bidder's basic account);
# with the `other_payer_account` switch, another one (a premium not paid from the basic account).
PAYER_ACCOUNT = "12050188000000001234"
OTHER_PAYER_ACCOUNT = "6222020000000009999"
SEALED = ("biaoduanno", "biaoduanname", "zbr", "zbrorgnum")


def _flag(value):
    return value in (True, 1, "1", "true", "True", "yes", "on")


class SandboxGuarantor(Sandbox):
    name = "金融机构（电子保函）"

    def __init__(self, appkey, appsecret, notify_url, faults=None, notice_delay=0.0):
        super().__init__(faults or Faults())
        self.faults.extra.setdefault("notice_delay", notice_delay)
        self.appkey, self.appsecret, self.notify_url = appkey, appsecret, notify_url.rstrip("/")
        self.guarantees = {}  # applyno → what we issued
        self.received = []  # (interface, params) of every well-signed request
        self.raw = []  # (interface, Content-Type, body bytes) of every request, as it came over the wire
        self.sent = []  # (interface, the platform's reply) of every notice we sent
        self.claims = []
        self.held = None  # notices held back by notices_hold() (tests that fix the order of events), else None
        self._timers, self._stopped = [], False
        self._numbers = itertools.count(1)
        self.routes = {f"/{name}": self._signed(handler) for name, handler in {
            "baohanapply": self.baohanapply, "baohanrestore": self.baohanrestore, "invoiceapply": self.invoiceapply,
            "quitapply": self.quitapply, "canclenotice": self.canclenotice, "claimsnotice": self.claimsnotice,
            "checkbaohanlist": self.checkbaohanlist,
        }.items()}

    # --- inbound: what the platform calls ------------------------------------------------------------

    def _signed(self, handler):
        def checked(request):
            with self.lock:
                self.raw.append((request.path.strip("/"), request.headers.get("content-type", ""), request.body))
            try:
                params = request.params()
            except ValueError:
                return self._reply(False, "报文不是合法的 JSON")
            if params.get("appkey") != self.appkey:
                return self._reply(False, "appkey 无效")
            if not crypto.guarantee_sign_valid(params, self.appsecret, params.get("sign")):
                return self._reply(False, "签名错误")
            with self.lock:
                self.received.append((request.path.strip("/"), params))
            return handler(params)

        return checked

    def _reply(self, ok, message, data=None):
        return SandboxResponse.json(guarantee_reply(ok, message, data))

    def baohanapply(self, params):
        missing = [k for k in ("applyno", "biddername", "biddercode", "biaoduanno", "biaoduanname", "bzjamount", "zbr")
                   if not params.get(k)]
        if missing:
            return self._reply(False, "缺少参数：" + "、".join(missing))
        with self.lock:
            if params["applyno"] in self.guarantees:
                return self._reply(True, "已受理（重复申请）")
            record = self.guarantees[params["applyno"]] = self._issue(params)
        if _flag(self.faults.extra.get("notice_before_reply")):
            self._notify("baohannotice", self._baohannotice_fields, record)
        else:
            self._later("baohannotice", self._baohannotice_fields, record)
        return self._reply(True, "受理成功")

    def _issue(self, params):
        cost = (Decimal(params["bzjamount"]) * RATE).quantize(Decimal("0.01"))
        return {
            "apply": params, "baohanno": f"SBH{datetime.now(SHANGHAI):%Y%m%d}{next(self._numbers):05d}",
            "generatetime": format_wire_time(datetime.now(SHANGHAI)), "rate": str(RATE),
            "cost": f"{max(cost, Decimal('100.00')):.2f}", "status": "0",
        }

    def _baohannotice_fields(self, record):
        apply = record["apply"]
        pdf = self._signed_file(
            text_pdf("投标保函（密文）", [f"{k}: {apply.get(k, '')}" for k in ("applyno", "biddername", *SEALED)]))
        return {
            "applyno": apply["applyno"], "baohanno": record["baohanno"],
            "baohanurl": f"https://sandbox-bank.invalid/baohan/{record['baohanno']}.pdf",
            "baohanfile": base64.b64encode(pdf).decode("ascii"), "payername": apply["biddername"],
            "payeraccount": OTHER_PAYER_ACCOUNT if _flag(self.faults.extra.get("other_payer_account")) else PAYER_ACCOUNT,
            "instname": "沙箱银行天津分行",
            "generatetime": record["generatetime"], "rate": record["rate"], "cost": record["cost"], "applystatus": "1",
        }

    def baohanrestore(self, params):
        record = self.guarantees.get(params.get("applyno", ""))
        if record is None or record["baohanno"] != params.get("baohanno"):
            return self._reply(False, "保函不存在")
        try:
            if parse_wire_time(params.get("kaibiaotime", "")) > datetime.now(SHANGHAI):
                return self._reply(False, "未到开标时间")
            plain = {k: crypto.sm4_decrypt(record["apply"][k], params.get("key", ""))
                     for k in SEALED if record["apply"].get(k)}
        except (ValueError, crypto.CryptoError) as exc:
            return self._reply(False, f"解密失败：{exc}")
        record["plain"] = plain
        self._later("restorenotice", self._restorenotice_fields, record)
        return self._reply(True, "受理成功")

    def _restorenotice_fields(self, record):
        lines = [f"{k}: {v}" for k, v in record["plain"].items()]
        pdf = self._signed_file(text_pdf("投标保函（明文）", [f"保函编号: {record['baohanno']}", *lines]))
        return {"applyno": record["apply"]["applyno"], "baohanno": record["baohanno"],
                "baohanurl": f"https://sandbox-bank.invalid/baohan/{record['baohanno']}-plain.pdf",
                "baohanfile": base64.b64encode(pdf).decode("ascii")}

    def _signed_file(self, pdf):
        """The guarantee file as this bank issues it: signed by its certificate, unless a switch says otherwise."""
        if _flag(self.faults.extra.get("unsigned_files")):
            return pdf
        signed = signed_pdf(pdf)
        return tampered_pdf(signed) if _flag(self.faults.extra.get("tampered_files")) else signed

    def invoiceapply(self, params):
        record = self._record(params)
        if record is None:
            return self._reply(False, "保函不存在")
        if params.get("type") == "1" and not all(params.get(k) for k in ("address", "phone", "bank", "account")):
            return self._reply(False, "专票须填写地址、电话、开户行、账号")
        number = next(self._numbers)
        self._later("invoicenotice", lambda r: {
            "baohanno": r["baohanno"], "invoiceurl": f"https://sandbox-bank.invalid/invoice/{number}.pdf",
            "invoicecode": "012002100111", "invoiceno": f"{number:08d}", "applystatus": "1"}, record)
        return self._reply(True, "受理成功")

    def quitapply(self, params):
        record = self._record(params)
        if record is None:
            return self._reply(False, "保函不存在")
        record["status"] = "1"
        self._later("quitnotice", lambda r: {"applyno": r["apply"]["applyno"], "baohanno": r["baohanno"]}, record)
        return self._reply(True, "受理成功")

    def canclenotice(self, params):
        record = self._record(params)
        if record is None:
            return self._reply(False, "保函不存在")
        record["cancelled"] = True
        return self._reply(True, "已注销")

    def claimsnotice(self, params):
        if self._record(params) is None:
            return self._reply(False, "保函不存在")
        with self.lock:
            self.claims.append(params)
        return self._reply(True, "已受理，见索即付")

    def checkbaohanlist(self, params):
        try:
            start, end = parse_wire_date(params.get("startdate")), parse_wire_date(params.get("enddate"))
        except ValueError:
            return self._reply(False, "日期格式应为 yyyy-MM-dd")
        # `listed_generatetime` (set by a test) is what the list shows in place of the true issue time.
        rows = [{"applyno": r["apply"]["applyno"], "baohanno": r["baohanno"],
                 "generatetime": r.get("listed_generatetime", r["generatetime"]),
                 "rate": r["rate"], "cost": r["cost"], "status": r["status"]}
                for r in list(self.guarantees.values()) if start <= parse_wire_time(r["generatetime"]).date() <= end]
        if _flag(self.faults.extra.get("duplicate_check_rows")):
            rows += [{**row, "cost": str(Decimal(row["cost"]) + 1)} for row in rows]
        if _flag(self.faults.extra.get("malformed_check_list")):
            return self._reply(True, "查询成功", {"baohanlist": {"applyno": "not a list"}})
        return self._reply(True, "查询成功", {"baohanlist": rows})

    def _record(self, params):
        record = self.guarantees.get(params.get("applyno", ""))
        return record if record and record["baohanno"] == params.get("baohanno") else None

    # --- outbound: the notices we send the platform --------------------------------------------------

    def notices_hold(self):
        """Keep the notices this bank would send until notices_release()."""
        with self.lock:
            self.held = []

    def notices_release(self):
        """Send the held notices now, in order, and stop holding."""
        with self.lock:
            held, self.held = self.held or [], None
        for interface, build, record in held:
            self._notify(interface, build, record)

    def _later(self, interface, build, record):
        with self.lock:
            if self.held is not None:
                self.held.append((interface, build, record))
                return
            if self._stopped:
                return
            delay = float(self.faults.extra.get("notice_delay") or 0)
            timer = threading.Timer(delay, self._notify, args=(interface, build, record))
            timer.daemon = True
            timer.start()
            self._timers = [*(t for t in self._timers if t.is_alive()), timer]

    def notices_stop(self, timeout=30):
        """Send no more notices, and wait for those already on their way (a test's database is emptied only
        once nothing can still write to it)."""
        with self.lock:
            self._stopped, timers = True, list(self._timers)
        for timer in timers:
            timer.cancel()  # not yet due: never sent
            timer.join(timeout)

    def _notify(self, interface, build, record):
        params = {"appkey": self.appkey, "timestamp": format_wire_time(datetime.now(SHANGHAI)), **build(record)}
        params["sign"] = "0" * 64 if _flag(self.faults.extra.get("wrong_sign")) else crypto.guarantee_sign(
            params, self.appsecret)
        body = json.dumps(params, ensure_ascii=False)
        for _ in range(2 if _flag(self.faults.extra.get("duplicate_notices")) else 1):
            self._post(interface, body)

    def _post(self, interface, body):
        for attempt in range(3):
            if attempt and self._stopped:
                break
            try:
                response = requests.post(f"{self.notify_url}/{interface}", data=body.encode("utf-8"), timeout=30,
                                         headers={"Content-Type": "application/json"})
                with self.lock:
                    self.sent.append((interface, response.json()))
                return
            except (requests.RequestException, ValueError):
                time.sleep(1 + attempt)
        with self.lock:
            self.sent.append((interface, None))


def build_demo_sandbox(public_base_url):
    """The bank `make run` starts: the demo guarantor's credentials, notices after 5 seconds."""
    return SandboxGuarantor(DEMO_APPKEY, DEMO_APPSECRET, f"{public_base_url.rstrip('/')}/guarantee", notice_delay=5)
