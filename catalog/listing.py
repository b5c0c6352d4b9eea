"""Listing of SKUs: what a sync does to a SKU's state, and the staff decisions (approve, reject, delist, resubmit).

Buyers see a SKU only while it is LISTED, and then only its approved version. A price that breaks
the rules, a supplier shelf-off or a pool removal takes it off at once; a changed version waits for
review while the approved one stays on sale.
"""
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from catalog.models import Category, Sku, SkuStatusChange
from catalog.validation import PRICE_RULES
from procurement.kernel.statemachine import IllegalTransition, Move, transition, transition_many
from procurement.models import Supplier

Status, Cause, Reason = Sku.Status, Sku.DelistCause, Sku.ReviewReason


def sync_decision(sku, findings, *, removal=False, new_version=False):
    """(to_state, reason, field changes) the sync applies to `sku` after an update, or None for no move."""
    if removal:
        return (Status.REMOVED, "电商将商品移出商品池", {}) if sku.status != Status.REMOVED else None
    price_problems = [f.message for f in findings if f.rule in PRICE_RULES]
    if sku.status == Status.LISTED:
        return _listed_decision(sku, price_problems)
    if sku.status == Status.DELISTED:
        return _delisted_decision(sku, findings)
    return _review_decision(sku, findings, new_version)


def note_new_version(sku, version):
    """A listed SKU keeps its approved version on sale; a valid newer one joins the review queue."""
    if sku.status == Status.LISTED:
        sku.review_reason = Reason.CHANGED if version.valid else ""


def _listed_decision(sku, price_problems):
    if price_problems:
        return Status.DELISTED, "价格不合规，立即下架：" + "；".join(price_problems), {"delist_cause": Cause.PRICE}
    if sku.shelf_on is False:
        return Status.DELISTED, "电商已下架该商品", {"delist_cause": Cause.SHELF_OFF}
    return None


def _delisted_decision(sku, findings):
    if sku.delist_cause in (Cause.PRICE, Cause.SHELF_OFF) and not findings and sku.shelf_on is not False:
        return Status.PENDING_REVIEW, "下架原因已消除，重新送审", {"delist_cause": "", "review_reason": Reason.RETURNED}
    return None


def _review_decision(sku, findings, new_version):
    reason = Reason.CHANGED if sku.approved_version_id else Reason.NEW
    if findings:
        if sku.status in (Status.NEW, Status.PENDING_REVIEW, Status.REMOVED) or (
            sku.status == Status.REJECTED and new_version
        ):
            return Status.INVALID, "校验未通过：" + "；".join(f.message for f in findings), {"review_reason": ""}
        return None
    if sku.status in (Status.NEW, Status.INVALID, Status.REMOVED) or (sku.status == Status.REJECTED and new_version):
        return Status.PENDING_REVIEW, "校验通过，等待审核", {"review_reason": reason}
    return None


def awaiting_review():
    """New and changed SKUs staff have to decide on (the review queue), as a filter: only those of suppliers that hold
    the production-environment trust mark (正式, procurement/docking); the others' wait there until it is granted."""
    changed = Q(status=Status.LISTED, latest_version__valid=True, latest_version__rejected_reason="") & ~Q(
        latest_version=F("approved_version"))
    return (Q(status=Status.PENDING_REVIEW) | changed) & Q(supplier__docking_status=Supplier.DockingStatus.PRODUCTION)


def shown_name_and_category(content, categories=None):
    """The name and category id a SKU row shows for a version's content (`categories`: code → Category, if at hand)."""
    code = content.get("category")
    if categories is not None:
        category = categories.get(code)
        category_id = category.pk if category else None
    else:
        category_id = Category.objects.filter(code=code).values_list("pk", flat=True).first() if code else None
    return content.get("name", "")[:300], category_id


# --- staff ---------------------------------------------------------------------------------------

def sku_approve(sku, *, actor, reason="审核通过"):
    """List a SKU pending review, or accept the changed version of a listed one."""
    with transaction.atomic():
        # The supplier row is locked too: a withdrawal of its trust mark waits, or is seen (never a SKU listed
        # under a supplier suspended meanwhile).
        sku = (Sku.objects.select_for_update(of=("self", "supplier")).select_related("latest_version", "supplier")
               .get(pk=sku.pk))
        _check_trusted(sku.supplier)
        _check_approvable(sku)
        name, category_id = shown_name_and_category(sku.latest_version.content)
        extra = {"approved_version": sku.latest_version, "approved_price": sku.price,
                 "approved_mall_price": sku.mall_price, "review_reason": "", "delist_cause": "",
                 "name": name, "category_id": category_id}
        return _move(sku, Status.LISTED, actor, reason, extra)


def _check_trusted(supplier):
    if not supplier.trusted:
        raise IllegalTransition(f"电商「{supplier.name}」尚未取得正式环境信任标识"
                                f"（当前：{supplier.get_docking_status_display()}），"
                                "其商品不能上架：请先通过对接测试并由工作人员授予标识")


def _check_awaiting_review(sku):
    if sku.status != Status.PENDING_REVIEW and not sku.has_unreviewed_change:
        raise IllegalTransition(f"「{sku.get_status_display()}」的商品没有待审核的内容")


def _check_approvable(sku):
    _check_awaiting_review(sku)
    if sku.latest_version is None or not sku.latest_version.valid or sku.findings.exists():
        raise IllegalTransition("商品有未通过的校验项，不能上架")
    if sku.latest_version.rejected_reason:
        raise IllegalTransition(f"该版本已被驳回（{sku.latest_version.rejected_reason}），需电商提交新的商品信息")
    if sku.shelf_on is False:
        raise IllegalTransition("电商已下架该商品，不能上架")


def sku_reject(sku, *, actor, reason):
    """Refuse a SKU pending review, or the changed version of a listed one (which stays on sale as it was)."""
    if not reason.strip():
        raise IllegalTransition("驳回必须填写原因")
    with transaction.atomic():
        sku = Sku.objects.select_for_update(of=("self",)).select_related("latest_version").get(pk=sku.pk)
        _check_awaiting_review(sku)
        type(sku.latest_version).objects.filter(pk=sku.latest_version_id).update(rejected_reason=reason)
        to_state = Status.LISTED if sku.status == Status.LISTED else Status.REJECTED
        return _move(sku, to_state, actor, f"驳回：{reason}", {"review_reason": ""})


def sku_delist(sku, *, actor, reason="人工下架"):
    return _move(sku, Status.DELISTED, actor, reason, {"delist_cause": Cause.STAFF})


def sku_resubmit(sku, *, actor, reason="重新送审"):
    """Send a delisted or rejected SKU back to the review queue (when what took it off has been dealt with).

    A SKU the supplier removed from its pool comes back only through the supplier's own type-6 add.
    """
    if sku.status not in (Status.DELISTED, Status.REJECTED):
        raise IllegalTransition(f"「{sku.get_status_display()}」的商品不能人工送审")
    if sku.findings.exists():
        raise IllegalTransition("商品有未通过的校验项，不能送审")
    return _move(sku, Status.PENDING_REVIEW, actor, reason, {"delist_cause": "", "review_reason": Reason.RETURNED})


def _move(sku, to_state, actor, reason, extra):
    extra = {**extra, "updated_at": timezone.now()}
    return transition(sku, to_state, allowed=Sku.TRANSITIONS, history=SkuStatusChange, actor=actor, reason=reason,
                      extra=extra, sku=sku)


def skus_delist_suspended(supplier, *, actor, reason):
    """The supplier lost its trust mark (暂停): every listed SKU of it off sale at once. Returns how many."""
    with transaction.atomic():
        skus = list(Sku.objects.select_for_update().filter(supplier=supplier, status=Status.LISTED))
        _move_all(skus, Status.DELISTED, actor, f"电商暂停对接：{reason}", delist_cause=Cause.SUSPENDED)
    return len(skus)


def skus_return_after_suspension(supplier, *, actor):
    """The trust mark granted again: the SKUs its suspension took off go back to review, not straight on sale."""
    with transaction.atomic():
        skus = list(Sku.objects.select_for_update().filter(supplier=supplier, status=Status.DELISTED,
                                                           delist_cause=Cause.SUSPENDED))
        _move_all(skus, Status.PENDING_REVIEW, actor, "电商重新取得正式环境信任标识，重新送审",
                  delist_cause="", review_reason=Reason.RETURNED)
    return len(skus)


def _move_all(skus, to_state, actor, reason, **extra):
    if skus:
        transition_many([Move(sku, to_state, reason, {"sku": sku}) for sku in skus], allowed=Sku.TRANSITIONS,
                        history=SkuStatusChange, actor=actor)
        Sku.objects.filter(pk__in=[sku.pk for sku in skus]).update(**extra)


def sku_decide(sku, to_state, *, actor, reason):
    """The admin's transition actions land here, one service per target state (rejecting has its own action)."""
    services = {Status.LISTED: sku_approve, Status.DELISTED: sku_delist, Status.PENDING_REVIEW: sku_resubmit}
    return services[to_state](sku, actor=actor, reason=reason)
