"""Outbound calls to guarantors (seed 003): each message built, SM3-signed with the guarantor's appsecret, posted as JSON.

Section number and name, tenderer and its credit code leave us only as SM4 ciphertext under the
section's key; the key itself goes out in baohanrestore, and never before the opening time.
The body is UTF-8 JSON with Chinese as text (seed: "编码为UTF-8"), not as \\uXXXX escapes.
"""
import json

from django.utils import timezone

from guarantees.models import OutboundMessage
from guarantees.rules import quit_refusal, restore_refusal
from procurement.kernel import crypto, http
from procurement.kernel.wire import format_wire_date, format_wire_money, format_wire_time

KIND = "guarantor"
Interface = OutboundMessage.Interface


def counterparty(guarantor):
    return http.Counterparty(KIND, guarantor.appkey, guarantor.base_url, secrets=(guarantor.appsecret,))


def signed(guarantor, fields):
    """The message as sent: appkey, timestamp, the non-empty fields, and the sign over all of them."""
    params = {"appkey": guarantor.appkey, "timestamp": format_wire_time(timezone.now())}
    params.update({k: v for k, v in fields.items() if v not in (None, "")})
    params["sign"] = crypto.guarantee_sign(params, guarantor.appsecret)
    return params


def _post(party, interface, params, reference):
    # The kernel client sends a JSON body as UTF-8 text with charset=utf-8 (the seed: 编码为UTF-8).
    return http.call(party, interface, interface, json_body=params, reference=reference)


def guarantor_call(guarantor, interface, fields, reference=""):
    """POST one signed message to `<base_url>/<interface>`; the reply's data and the id of the attempt
    recorded (to grade a reply the caller finds unusable), or a typed OutboundError."""
    reply = _post(counterparty(guarantor), interface, signed(guarantor, fields), reference)
    document = reply.json()
    if not isinstance(document, dict) or "code" not in document:
        http.bad_reply(reply.attempt_id, "回复缺少 code")
    if str(document["code"]) != "1":
        http.refuse(reply, document["code"], str(document.get("message", "")))
    return document.get("data"), reply.attempt_id


def send(message):
    """Send one queued message (an OutboundMessage row) to its guarantee's guarantor."""
    guarantee = message.guarantee
    fields = _BUILDERS[message.interface](message)
    guarantor_call(guarantee.guarantor, message.interface, fields, reference=guarantee.applyno)


def _apply(message):
    guarantee, section = message.guarantee, message.guarantee.section
    if timezone.now() >= section.opening_time:  # a queued or retried application must not go out late
        raise http.PermanentError(f"标段已于 {format_wire_time(section.opening_time)} 开标，投保申请不再发送")

    def sealed(text):
        return crypto.sm4_encrypt(text, section.sm4_key) if text else ""

    return {
        "applyno": guarantee.applyno, "biddername": guarantee.bidder_name, "biddercode": guarantee.bidder_code,
        "biaoduanno": sealed(section.section_no), "biaoduanname": sealed(section.section_name),
        "bzjamount": format_wire_money(guarantee.deposit_amount), "zbr": sealed(section.tenderer),
        "zbrorgnum": sealed(section.tenderer_code),
    }


def _restore(message):
    guarantee, section = message.guarantee, message.guarantee.section
    refusal = restore_refusal(section)
    if refusal:  # checked again at the last moment: the key never leaves early
        raise http.PermanentError(refusal)
    return {"applyno": guarantee.applyno, "baohanno": guarantee.baohanno,
            "kaibiaotime": format_wire_time(section.opening_time), "key": section.sm4_key}


def _invoice(message):
    invoice, guarantee = message.invoice, message.guarantee
    return {
        "applyno": guarantee.applyno, "baohanno": guarantee.baohanno, "biddername": guarantee.bidder_name,
        "biddercode": guarantee.bidder_code, "amount": format_wire_money(invoice.amount), "type": invoice.kind,
        "address": invoice.address, "phone": invoice.phone, "bank": invoice.bank, "account": invoice.account,
        "email": invoice.email, "mobile": invoice.mobile,
    }


def _quit(message):
    section = message.guarantee.section
    refusal = quit_refusal(section)
    if refusal:  # a queued or retried withdrawal must not leave after the opening (the seed: 开标前)
        raise http.PermanentError(f"{refusal}：开标时间 {format_wire_time(section.opening_time)}，退保申请不再发送")
    return {"applyno": message.guarantee.applyno, "baohanno": message.guarantee.baohanno, "reason": message.reason}


def _cancel(message):
    return {"applyno": message.guarantee.applyno, "baohanno": message.guarantee.baohanno}


def _claim(message):
    claim, guarantee = message.claim, message.guarantee
    files = [{"fileurl": url} for url in claim.file_urls]
    return {
        "applyno": guarantee.applyno, "baohanno": guarantee.baohanno, "payeraccount": claim.payee_account,
        "payeramount": format_wire_money(claim.amount) if claim.amount is not None else "",
        "filelist": json.dumps(files, ensure_ascii=False, separators=(",", ":")) if files else "",
        "applyusername": claim.contact_name, "applyuserphone": claim.contact_phone, "Reason": claim.reason,
    }


_BUILDERS = {
    Interface.APPLY: _apply, Interface.RESTORE: _restore, Interface.INVOICE: _invoice,
    Interface.QUIT: _quit, Interface.CANCEL: _cancel, Interface.CLAIM: _claim,
}


def check_list(guarantor, start_date, end_date):
    """checkbaohanlist: the guarantor's guarantees issued in the range (withdrawn ones included)."""
    fields = {"startdate": format_wire_date(start_date), "enddate": format_wire_date(end_date)}
    data, attempt_id = guarantor_call(guarantor, "checkbaohanlist", fields,
                                      reference=f"{fields['startdate']}~{fields['enddate']}")
    rows = data.get("baohanlist") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and r.get("applyno") for r in rows):
        http.bad_reply(attempt_id, "checkbaohanlist 返回的 data.baohanlist 格式不正确")
    return rows
