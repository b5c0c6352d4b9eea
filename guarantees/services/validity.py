"""The opening-time validity of a guarantee: paid from the bidder's basic account (基本户), or invalid (无效保函).

The seed: 金融机构需明确说明保费支付的账户信息，非基本户支付的保函在开标时会被认定为无效保函. The bank's
baohannotice gives the paying account (`payeraccount`); the application gives the bidder's basic account.
"""
import unicodedata

from guarantees.models import Guarantee, GuaranteeEvent
from procurement.kernel.statemachine import transition

Validity = Guarantee.Validity


def account_number(text):
    """An account number as compared: full-width digits made half-width, spaces and hyphens dropped."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text or "") if not ch.isspace() and ch != "-")


def paid_from_basic_account(guarantee):
    """Whether the bank's paying account is the bidder's recorded basic account."""
    paid = account_number(guarantee.payer_account)
    return bool(paid) and paid == account_number(guarantee.basic_account_no)


def invalidity_reason(guarantee):
    """Why the guarantee is invalid at opening (not paid from the basic account), or None when it is valid."""
    if not guarantee.basic_account_no:
        return "投保申请未登记投标企业基本户账号，无法认定保费由基本户支付"
    if not guarantee.payer_account:
        return "金融机构未通知付保费账号，无法认定保费由基本户支付"
    if not paid_from_basic_account(guarantee):
        return (f"付保费账号 {guarantee.payer_account} 不是投标企业基本户账号 {guarantee.basic_account_no}"
                "（非基本户支付的保函在开标时认定为无效保函）")
    return None


def guarantee_judge_validity(guarantee, *, actor):
    """At opening: record the guarantee as valid or invalid (with the reason) in its state and timeline, once."""
    if guarantee.validity != Validity.PENDING:
        return guarantee
    reason = invalidity_reason(guarantee)
    to_validity = Validity.INVALID if reason else Validity.VALID
    reason = reason or f"付保费账号 {guarantee.payer_account} 为投标企业基本户账号"
    return transition(
        guarantee, to_validity, allowed=Guarantee.VALIDITY_TRANSITIONS, history=GuaranteeEvent, actor=actor,
        reason=reason, field="validity", extra={"validity_reason": reason}, guarantee=guarantee,
    )
