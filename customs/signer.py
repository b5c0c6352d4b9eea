"""Pluggable signers of the customs sign source, chosen by settings.CUSTOMS_SIGNER.

`sm2`: a software SM2 key (gmssl through procurement.crypto) and a configured certNo; signValue is
the Base64 of the 64-byte r||s. For the sandbox and tests, and for a registered software certificate.
`ukey`: the 电子口岸 client's local websocket service (cus-sec_SpcSignDataAsPEM) signs with the card
and returns the signature and the certNo. One request at a time (a database lease, so across every
worker process), each with its own `_id`. Message shapes: docs/customs-interface.md.
"""
import base64
import functools
import itertools
import json
import logging
import os
import time
from dataclasses import dataclass

from django.conf import settings
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from procurement.kernel import crypto, http
from procurement.kernel.http import PermanentError, TransientError

UKEY_METHOD = "cus-sec_SpcSignDataAsPEM"
UKEY_COUNTERPARTY = "ukey"  # in the outbound call log, seen by those who see the customs calls
UKEY_OK_STATUS = "00"
# websockets logs every frame at DEBUG, and our request frame carries the PIN: its logger stays quiet
# whatever LOG_LEVEL says.
_FRAME_LOGGER = logging.getLogger("customs.signer.websocket")
_FRAME_LOGGER.setLevel(logging.WARNING)


@dataclass(frozen=True)
class Signature:
    value: str
    cert_no: str


class SignerUnavailable(TransientError):
    """The signing service could not be reached or did not answer in time: try again later."""

    outcome = "connection_error"


class SignerRefused(PermanentError):
    """The signer answered no (wrong PIN, no card…) or is not configured: staff must act."""

    outcome = "refused"


class SM2Signer:
    name = "sm2"

    def __init__(self, private_key_hex, cert_no):
        if not private_key_hex or not cert_no:
            raise SignerRefused("未配置 SM2 签名：需要 CUSTOMS_SM2_PRIVATE_KEY 与 CUSTOMS_CERT_NO")
        try:
            self.public_key = crypto.sm2_public_key(private_key_hex)
        except crypto.CryptoError as exc:
            raise SignerRefused(f"CUSTOMS_SM2_PRIVATE_KEY 无效：{exc}") from None
        self._private_key = private_key_hex
        self.cert_no = cert_no

    @classmethod
    def from_settings(cls):
        return _sm2_signer(settings.CUSTOMS_SM2_PRIVATE_KEY, settings.CUSTOMS_CERT_NO)

    def sign(self, source):
        raw = crypto.sm2_sign(source.encode("utf-8"), self._private_key, self.public_key)
        return Signature(base64.b64encode(raw).decode("ascii"), self.cert_no)


@functools.lru_cache(maxsize=4)
def _sm2_signer(private_key_hex, cert_no):
    # Deriving the public key is a scalar multiplication: once per configured key, not per upload.
    return SM2Signer(private_key_hex, cert_no)


_request_ids = itertools.count(1)


def _next_request_id():
    """Unique among the processes of a host at any moment: the pid, then a per-process counter."""
    return (os.getpid() % 100_000) * 1_000_000 + next(_request_ids) % 1_000_000


class UkeySigner:
    name = "ukey"

    def __init__(self, url, pin, timeout_seconds, cert_no=""):
        self.url = url
        self._pin = pin
        self.timeout = timeout_seconds
        self.fallback_cert_no = cert_no

    @classmethod
    def from_settings(cls):
        return cls(settings.CUSTOMS_UKEY_URL, settings.CUSTOMS_UKEY_PIN, settings.CUSTOMS_UKEY_TIMEOUT_SECONDS,
                   settings.CUSTOMS_CERT_NO)

    def request(self, source, request_id):
        args = {"inData": source}
        if self._pin:
            args["passwd"] = self._pin
        return {"_method": UKEY_METHOD, "_id": request_id, "args": args}

    def sign(self, source):
        from customs.models import SigningLease
        from procurement.kernel.lease import LeaseBusy, lease_held

        try:
            with lease_held(SigningLease, "ukey", hold_seconds=self.timeout + 5, wait_seconds=self.timeout):
                return self._recorded_exchange(source)
        except LeaseBusy as busy:
            raise SignerUnavailable(f"签名服务忙：{busy}") from None

    def _recorded_exchange(self, source):
        """The exchange with the signing service, recorded in the outbound call log (the PIN masked)."""
        party = http.Counterparty(UKEY_COUNTERPARTY, "eport", self.url, secrets=(self._pin,) if self._pin else ())
        with http.recorded(party, UKEY_METHOD, self.url, self.request(source, "…")) as exchange:
            reply = self._exchange(source)
            exchange.reply = json.dumps(reply, ensure_ascii=False)
            return self._signature(reply)

    def _exchange(self, source):
        request_id = _next_request_id()
        deadline = time.monotonic() + self.timeout
        try:
            with connect(self.url, open_timeout=self.timeout, proxy=None, close_timeout=1, ping_interval=None,
                         logger=_FRAME_LOGGER) as socket:
                socket.send(json.dumps(self.request(source, request_id), ensure_ascii=False))
                return self._await_reply(socket, request_id, deadline)
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise SignerUnavailable(f"无法使用签名服务 {self.url}：{type(exc).__name__}: {exc}") from None

    @staticmethod
    def _await_reply(socket, request_id, deadline):
        """Skip what is not ours (the `open` greeting, replies to others) until our `_id` answers."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("签名服务未在时限内应答")
            try:
                message = json.loads(socket.recv(timeout=remaining))
            except ValueError:
                raise SignerUnavailable("签名服务的应答不是 JSON") from None
            if isinstance(message, dict) and str(message.get("_id")) == str(request_id):
                return message

    def _signature(self, reply):
        status = reply.get("_status")
        args = reply.get("_args") if isinstance(reply.get("_args"), dict) else {}
        errors = args.get("Error") or []
        if status not in (None, UKEY_OK_STATUS) or args.get("Result") is not True:
            detail = "；".join(str(e) for e in errors) or f"_status={status}"
            raise SignerRefused(f"签名服务拒绝签名：{detail}")
        data = args.get("Data") or []
        value = "".join(str(data[0]).split()) if data else ""
        cert_no = str(data[1]).strip() if len(data) > 1 and data[1] else self.fallback_cert_no
        if not value or not cert_no:
            raise SignerRefused("签名服务的应答缺少签名值或证书编号")
        return Signature(value, cert_no)


SIGNERS = {"sm2": SM2Signer, "ukey": UkeySigner}


def signer_from_settings():
    """The configured signer (settings.CUSTOMS_SIGNER, checked against SIGNERS when settings load)."""
    return SIGNERS[settings.CUSTOMS_SIGNER].from_settings()
