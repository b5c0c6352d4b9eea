"""The production-environment trust mark (正式环境信任标识): granted on a run, withdrawn with a reason (暂停: the
supplier's listed SKUs go off sale with it, and back to review when the mark is granted again).

Who may do what is decided here, whatever the page: the mark is granted only on a PASSED, complete run of the
current contract version that is the supplier's latest finished run, by someone with procurement.grant_trust_mark.
"""
from django.db import transaction

from catalog.listing import skus_delist_suspended, skus_return_after_suspension
from procurement.docking.cases import contract_version
from procurement.docking.models import DockingRun
from procurement.docking.refusals import DockingRefused
from procurement.kernel.statemachine import Actor, IllegalTransition, by_user
from procurement.models import Supplier
from procurement.services.suppliers import supplier_set_docking_status

Status, DockingStatus = DockingRun.Status, Supplier.DockingStatus
TRUST_PERMISSION = "procurement.grant_trust_mark"


def _actor(actor):
    return actor if isinstance(actor, Actor) else by_user(actor)


def _refuse_without_permission(actor):
    if actor.user is not None and not actor.user.has_perm(TRUST_PERMISSION):
        raise DockingRefused("您没有授予或暂停正式环境信任标识的权限")


def not_for_trust(run):
    """Why a run cannot earn 测试通过 nor the mark, whatever its verdict ('' when it can): it must cover every case
    of the current contract, against the stored test environment of the supplier's own protocol."""
    summary, supplier = run.summary or {}, run.supplier
    if summary.get("partial") or summary.get("adhoc"):
        return f"对接测试 #{run.pk} 只测了部分用例或测的是命令行临时给出的地址：不能据此授予信任标识"
    current = contract_version(supplier.protocol)
    if run.protocol != supplier.protocol or run.contract_version != current:
        return (f"对接测试 #{run.pk} 依据的接口规范（{run.protocol} {run.contract_version}）不是该电商现行的"
                f"（{supplier.protocol} {current}）：请重新测试")
    return ""


def trust_grant(run, *, actor):
    """测试通过 → 正式 (with history), on the strength of `run`: a PASSED run of the current contract version that is
    the supplier's latest finished run. Anything else is refused (DockingRefused), whoever asks."""
    actor = _actor(actor)
    _refuse_without_permission(actor)
    with transaction.atomic():
        run = DockingRun.objects.select_for_update().select_related("supplier").get(pk=run.pk)
        supplier = run.supplier
        if run.status != Status.PASSED:
            raise DockingRefused(f"对接测试 #{run.pk} 的结果为「{run.get_status_display()}」：只能依据通过的测试授予信任标识")
        refusal = not_for_trust(run)
        if refusal:
            raise DockingRefused(refusal)
        latest = DockingRun.latest_finished(supplier.pk)
        if latest is not None and latest.pk != run.pk:
            raise DockingRefused(f"该电商之后还有一次测试（#{latest.pk}，{latest.get_status_display()}）：请依据最近一次测试授予")
        if supplier.docking_status != DockingStatus.TEST_PASSED:
            raise DockingRefused(f"电商当前为「{supplier.get_docking_status_display()}」：只有「测试通过」的电商可授予信任标识")
        try:
            supplier_set_docking_status(supplier, DockingStatus.PRODUCTION, actor=actor,
                                        reason=f"依据对接测试 #{run.pk}（报告校验码 {run.report_hash[:16] or '—'}）"
                                               "授予正式环境信任标识")
        except IllegalTransition as error:
            raise DockingRefused(str(error)) from None
        skus_return_after_suspension(supplier, actor=actor)
    return supplier


def trust_withdraw(supplier, *, actor, reason):
    """The mark withdrawn: the supplier 暂停, with the reason (its SKUs leave the review queue, no order goes to it)."""
    actor = _actor(actor)
    _refuse_without_permission(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DockingRefused("请填写暂停的原因")
    with transaction.atomic():
        supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
        try:
            supplier_set_docking_status(supplier, DockingStatus.SUSPENDED, actor=actor, reason=reason)
        except IllegalTransition as error:
            raise DockingRefused(str(error)) from None
        skus_delist_suspended(supplier, actor=actor, reason=reason)
    return supplier


def supplier_trusted(supplier):
    """Whether the supplier holds the production-environment trust mark (its goods list, its orders are sent)."""
    return supplier.trusted
