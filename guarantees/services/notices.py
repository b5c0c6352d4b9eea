"""Notices guarantors send us (baohannotice, restorenotice, invoicenotice, quitnotice), applied exactly once.

Each notice is stored with the answer we gave, unique on (guarantor, interface, sign): a replay gets
that first answer and changes nothing, even when two copies arrive at the same moment.
"""
from django.db import IntegrityError, transaction
from django.utils import timezone

from guarantees.errors import NoticeRefused
from guarantees.models import Guarantee, InboundNotice, InvoiceRequest
from guarantees.services.files import guarantee_file_store, kept_only_if_applied
from guarantees.services.moves import guarantee_move, invoice_move
from guarantees.signatures import pdf_signatures_inspect
from guarantees.wire import guarantee_reply
from procurement.kernel.statemachine import IllegalTransition, by_source

Status = Guarantee.Status
_OMITTED = ("baohanfile",)


def notice_replayed(guarantor, interface, sign):
    """The answer given to this very notice before, or None."""
    notice = InboundNotice.objects.filter(guarantor=guarantor, interface=interface, sign=sign.lower()).first()
    return notice.reply if notice else None


def notice_receive(guarantor, interface, params, data, handler):
    """Store the notice and apply `handler(guarantor, data)` in one transaction; returns the reply to send."""
    sign = params["sign"].lower()
    with transaction.atomic():
        try:
            with transaction.atomic():
                notice = InboundNotice.objects.create(
                    guarantor=guarantor, interface=interface, sign=sign, params=_excerpt(params),
                    reference=params.get("applyno") or params.get("baohanno") or "",
                )
        except IntegrityError:
            return notice_replayed(guarantor, interface, sign)
        try:
            with transaction.atomic():
                reply = guarantee_reply(True, handler(guarantor, data))
        except (NoticeRefused, IllegalTransition) as refusal:
            reply = guarantee_reply(False, str(refusal))
        notice.reply = reply
        notice.save(update_fields=["reply"])
    return reply


def _excerpt(params):
    return {k: (f"（{len(v)} 字符，已省略）" if k in _OMITTED else v) for k, v in params.items()}


def _guarantee(guarantor, applyno):
    """The guarantee the notice names, locked until the notice's transaction ends.

    The lock makes a concurrent move (the reply to baohanapply arriving as the bank's notice does) wait for
    us, or us for it, so the notice reads the state it will change instead of being refused as stale.
    """
    guarantee = (Guarantee.objects.filter(guarantor=guarantor, applyno=applyno).select_related("section")
                 .select_for_update(of=("self",)).first())
    if guarantee is None:
        raise NoticeRefused(f"业务流水号 {applyno} 不存在")
    return guarantee


def _same_baohanno(guarantee, baohanno):
    if guarantee.baohanno != baohanno:
        raise NoticeRefused(f"保函编号 {baohanno} 与业务流水号 {guarantee.applyno} 的保函不符")


def baohannotice_apply(guarantor, data):
    """The guarantor issued (applystatus=1) or declined (0) the ciphertext guarantee."""
    signature = pdf_signatures_inspect(data["baohanfile"])  # before the lock: it reads the whole file
    guarantee = _guarantee(guarantor, data["applyno"])
    if guarantee.baohanno:
        _same_baohanno(guarantee, data["baohanno"])
        if guarantee.apply_status != data["applystatus"]:
            raise NoticeRefused(f"与已登记的审核结果（applystatus={guarantee.apply_status}）不一致，未变更")
        return "保函已登记"
    if guarantee.status not in (Status.APPLYING, Status.APPLIED):
        raise NoticeRefused(f"保函{guarantee.get_status_display()}，不能出函")
    if data["applystatus"] == "1" and data["generatetime"] > guarantee.section.opening_time:
        raise NoticeRefused("出函时间晚于开标时间，保函无效")
    to_status = Status.ISSUED if data["applystatus"] == "1" else Status.DECLINED
    fields = {
        "baohanno": data["baohanno"], "cipher_url": data["baohanurl"], "payer_name": data["payername"],
        "payer_account": data["payeraccount"], "inst_name": data.get("instname", ""),
        "generated_at": data["generatetime"], "rate": data["rate"], "cost": data["cost"],
        "apply_status": data["applystatus"], "cipher_signature": signature,
    }
    fields["cipher_file"] = guarantee_file_store(guarantee, "cipher_file", data["baohanfile"])
    with kept_only_if_applied(guarantee, "cipher_file", fields["cipher_file"]):
        guarantee_move(guarantee, to_status, actor=by_source("baohannotice 通知"), extra=fields,
                       reason="金融机构出函" if to_status == Status.ISSUED else "金融机构审核未通过")
    return "接收成功"


def restorenotice_apply(guarantor, data):
    """The guarantor decrypted with the key we sent and returns the plaintext guarantee."""
    signature = pdf_signatures_inspect(data["baohanfile"])
    guarantee = _guarantee(guarantor, data["applyno"])
    _same_baohanno(guarantee, data["baohanno"])
    if guarantee.plain_file:
        return "明文保函已登记"
    if guarantee.status != Status.RESTORING:
        raise NoticeRefused(f"保函{guarantee.get_status_display()}，未发出还原请求")
    fields = {"plain_url": data.get("baohanurl", ""), "plain_signature": signature,
              "plain_file": guarantee_file_store(guarantee, "plain_file", data["baohanfile"])}
    with kept_only_if_applied(guarantee, "plain_file", fields["plain_file"]):
        guarantee_move(guarantee, Status.RESTORED, actor=by_source("restorenotice 通知"), extra=fields,
                       reason="金融机构已还原明文保函")
    return "接收成功"


def invoicenotice_apply(guarantor, data):
    """The result of the guarantee's open invoice request (one at a time); a repeat of a result already in is a no-op."""
    invoices = InvoiceRequest.objects.filter(guarantee__guarantor=guarantor, guarantee__baohanno=data["baohanno"])
    issued = data["applystatus"] == "1"
    answer = {"invoice_url": data.get("invoiceurl", ""), "invoice_code": data.get("invoicecode", ""),
              "invoice_no": data.get("invoiceno", "")}
    invoice = (invoices.filter(status__in=InvoiceRequest.OPEN).select_related("guarantee")
               .select_for_update(of=("self",)).order_by("-id").first())  # locked: see _guarantee
    outcome = InvoiceRequest.Status.ISSUED if issued else InvoiceRequest.Status.REFUSED
    # A repeat of a result already recorded: sure when it names an invoice number, else only if none is open.
    if (answer["invoice_no"] or invoice is None) and invoices.filter(status=outcome, **answer).exists():
        return "发票结果已登记"
    if invoice is None:
        raise NoticeRefused(f"保函 {data['baohanno']} 没有待开具的发票申请")
    invoice_move(invoice, outcome, actor=by_source("invoicenotice 通知"), extra={**answer, "answered_at": timezone.now()},
                 reason="发票已开具" if issued else "开票未通过")
    return "接收成功"


def quitnotice_apply(guarantor, data):
    """The guarantor has processed our quitapply."""
    guarantee = _guarantee(guarantor, data["applyno"])
    _same_baohanno(guarantee, data["baohanno"])
    if guarantee.status == Status.QUIT:
        return "退保已登记"
    if guarantee.status != Status.QUITTING:
        raise NoticeRefused(f"保函{guarantee.get_status_display()}，未申请退保")
    guarantee_move(guarantee, Status.QUIT, actor=by_source("quitnotice 通知"), reason="金融机构已退保")
    return "接收成功"
