"""A guarantee's life on our side: application, review, withdrawal (退保), cancellation (注销), claims."""
import secrets
import unicodedata

from django.db import IntegrityError, transaction
from django.utils import timezone

from guarantees.errors import DuplicateApplication, NotAllowed
from guarantees.models import Claim, Guarantee, GuaranteeEvent, OutboundMessage, Section
from guarantees.rules import quit_refusal
from guarantees.services.files import SIGNATURE_FIELDS, guarantee_files_inspect
from guarantees.services.messages import message_enqueue
from guarantees.services.moves import guarantee_move
from guarantees.services.validity import paid_from_basic_account
from guarantees.signatures import FAILED_VERDICTS, Verdict
from procurement.kernel.statemachine import transition
from procurement.kernel.wire import format_wire_time

Status = Guarantee.Status
Review = Guarantee.Review
Interface = OutboundMessage.Interface


def apply_refusal(section, guarantor):
    """Why an application for `section` through `guarantor` is refused now, or None."""
    if not guarantor.enabled:
        return f"金融机构「{guarantor}」已停用"
    if section.status != Section.Status.NORMAL:
        return f"标段已{section.get_status_display()}，不能投保"
    if timezone.now() >= section.opening_time:
        return f"标段已于 {format_wire_time(section.opening_time)} 开标，不能再投保"
    return None


def guarantee_apply(*, section, guarantor, bidder_name, bidder_code, deposit_amount=None, basic_account_no="",
                    basic_account_bank="", actor):
    """Record an application and queue its baohanapply; refused once the section has opened or is abnormal.

    The bidder's basic account (基本存款账户) is what the premium must be paid from: without it the guarantee
    is judged invalid at opening (services/validity.py).
    """
    refusal = apply_refusal(section, guarantor)
    if refusal:
        raise NotAllowed(refusal)
    _refuse_duplicate(section, guarantor, bidder_code)
    bidder = {"bidder_name": bidder_name, "bidder_code": bidder_code, "basic_account_no": basic_account_no.strip(),
              "basic_account_bank": basic_account_bank.strip()}
    try:
        with transaction.atomic():
            return _record_application(section, guarantor, bidder, deposit_amount, actor)
    except IntegrityError:
        _refuse_duplicate(section, guarantor, bidder_code)  # a concurrent twin won the unique constraint
        raise


def _refuse_duplicate(section, guarantor, bidder_code):
    """A caller retrying its request (a timeout, say) must not buy a second guarantee."""
    existing = Guarantee.objects.filter(section=section, guarantor=guarantor, bidder_code=bidder_code).exclude(
        status__in=Guarantee.ENDED).first()
    if existing is not None:
        raise DuplicateApplication(existing)


def _record_application(section, guarantor, bidder, deposit_amount, actor):
    guarantee = Guarantee.objects.create(
        applyno=_new_applyno(), section=section, guarantor=guarantor, created_by=actor.user,
        deposit_amount=section.deposit_amount if deposit_amount is None else deposit_amount, **bidder,
    )
    GuaranteeEvent.objects.create(
        guarantee=guarantee, from_state="", to_state=guarantee.status, actor=actor.user,
        source=actor.source, reason="创建投保申请",
    )
    message_enqueue(Interface.APPLY, guarantee)
    return guarantee


def _new_applyno():
    return f"BH{timezone.localtime():%Y%m%d%H%M%S}{secrets.token_hex(3).upper()}"


def review_checks(guarantee):
    """The seed's rules for an issued guarantee, as (rule, passed) pairs staff see before they accept.

    `passed` is None where a person has to judge (a signature algorithm we cannot verify, a file not yet
    inspected): it does not refuse the acceptance, a False does.
    """
    return [
        ("保函为电子件（PDF）", bool(guarantee.cipher_file or guarantee.plain_file)),
        *signature_checks(guarantee),
        ("已记录付保费账户户名和账号", bool(guarantee.payer_name and guarantee.payer_account)),
        ("付保费户名与投标企业一致（基本户支付）", same_company_name(guarantee.payer_name, guarantee.bidder_name)),
        ("付保费账号为投标企业基本户账号", paid_from_basic_account(guarantee)),
        ("开标核验未认定为无效保函", guarantee.validity != Guarantee.Validity.INVALID),
        ("金融机构审核通过（applystatus=1）", guarantee.apply_status == "1"),
    ]


def signature_checks(guarantee):
    """(rule, passed) for each received file's digital signature (第三方CA证书签章，签名后未被修改)."""
    checks = []
    for file_field, result_field in SIGNATURE_FIELDS.items():
        if getattr(guarantee, file_field):
            label = guarantee._meta.get_field(file_field).verbose_name.removesuffix("文件")
            checks.append((f"{label}数字签名：{signature_summary(getattr(guarantee, result_field))}",
                           signature_passed(getattr(guarantee, result_field))))
    return checks


def signature_summary(result):
    return result.get("summary", "尚未检查（审核时检查）")


def signature_passed(result):
    verdict = result.get("verdict")
    if verdict == Verdict.OK:
        return True
    return False if verdict in FAILED_VERDICTS else None


def same_company_name(first, second):
    """Whether two spellings name the same company: full- and half-width forms (（）/ ()) and spaces aside.

    Banks' account names and the bidder's registered name often differ only in bracket width or spacing,
    which must not fail the basic-account check; any other difference does.
    """
    def canonical(name):
        return "".join(unicodedata.normalize("NFKC", name or "").split())

    return bool(canonical(first)) and canonical(first) == canonical(second)


REVIEWABLE = {Status.ISSUED, Status.RESTORING, Status.RESTORED, Status.CLAIMED}


def guarantee_review(guarantee, to_review, *, actor, reason=""):
    """Staff accept or reject an issued guarantee, or reopen a rejected one for a new review (the only way back
    to acceptance). Accepting needs every review check to pass; rejecting and reopening need a reason."""
    if to_review in (Review.REJECTED, Review.PENDING) and not reason.strip():
        raise NotAllowed("驳回或重新审核必须填写原因")
    if guarantee.status not in REVIEWABLE:
        raise NotAllowed(f"保函{guarantee.get_status_display()}，没有可审核的保函文件")
    if to_review == Review.ACCEPTED:
        guarantee_files_inspect(guarantee)
        failed = [rule for rule, passed in review_checks(guarantee) if passed is False]
        if failed:
            raise NotAllowed("未通过检查：" + "；".join(failed))
    return transition(
        guarantee, to_review, allowed=Guarantee.REVIEW_TRANSITIONS, history=GuaranteeEvent, actor=actor,
        reason=reason, field="review", guarantee=guarantee,
    )


def guarantee_quit(guarantee, *, reason, actor):
    """Withdraw (退保) before the opening time: quitapply goes out, quitnotice closes it.

    The opening time is checked again when quitapply is sent, and on every retry (guarantees/client.py).
    """
    if not reason:
        raise NotAllowed("请填写退保原因")
    refusal = quit_refusal(guarantee.section)
    if refusal:
        raise NotAllowed(refusal)
    with transaction.atomic():
        guarantee_move(guarantee, Status.QUITTING, actor=actor, reason=reason)
        message_enqueue(Interface.QUIT, guarantee, reason=reason)
    return guarantee


def guarantee_cancel(guarantee, *, actor, reason="招标代理申请注销"):
    """Cancel (注销) after the opening time through canclenotice."""
    if timezone.now() < guarantee.section.opening_time:
        raise NotAllowed("开标前不能注销保函（开标前请退保）")
    with transaction.atomic():
        guarantee_move(guarantee, Status.CANCELLING, actor=actor, reason=reason)
        message_enqueue(Interface.CANCEL, guarantee)
    return guarantee


def claim_refusal(guarantee):
    if guarantee.status not in (Status.RESTORED, Status.CLAIMED):
        return f"保函{guarantee.get_status_display()}，只有已还原的保函可以理赔"
    return None


def claim_create(guarantee, *, actor, contact_name, contact_phone, payee_account="", amount=None,
                 file_urls=(), reason=""):
    """A claim on a restored guarantee; claimsnotice tells the guarantor, who must pay on demand."""
    refusal = claim_refusal(guarantee)
    if refusal:
        raise NotAllowed(refusal)
    with transaction.atomic():
        claim = Claim.objects.create(
            guarantee=guarantee, contact_name=contact_name, contact_phone=contact_phone, payee_account=payee_account,
            amount=amount, file_urls=list(file_urls), reason=reason, created_by=actor.user,
        )
        if guarantee.status == Status.RESTORED:
            guarantee_move(guarantee, Status.CLAIMED, actor=actor, reason=reason or "发起理赔")
        message_enqueue(Interface.CLAIM, guarantee, claim=claim)
    return claim
