"""What a SKU page shows of the supplier's optional data (ratings, offers, tiered discounts, warranty, accessories),
and the supplier-wide lists of accessories and offers."""
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from catalog.models import Accessory, AccessoryLink, Offer, SkuRating, TierDiscount, WarrantyService
from procurement.kernel.adminkit import ReadOnlyAdmin


def sku_extras(sku):
    """The optional data of `sku` as HTML tables (a few queries, whatever the amounts), or '—' when there is none."""
    scope = {"supplier_id": sku.supplier_id, "sku_code": sku.sku_code}
    parts = [_rating(SkuRating.objects.filter(**scope).first()), _offers(sku, Offer.objects.filter(**scope)),
             _tiers(TierDiscount.objects.filter(**scope)), _warranty(WarrantyService.objects.filter(**scope)),
             _accessories(sku)]
    shown = [part for part in parts if part]
    return format_html_join("", "{}", ((part,) for part in shown)) if shown else "—"


def _rating(rating):
    if rating is None:
        return ""
    return format_html("<p>好评度：评分 {} / 5，好评 {}%，中评 {}%，差评 {}%</p>", rating.score, rating.good,
                       rating.neutral, rating.bad)


def _offers(sku, offers):
    now = timezone.now()
    rows = [(o.get_kind_display(), o.remote_id, o.price, o.quantity or "—", _period(o),
             "当前有效" if o.is_current(now) else "不在有效期", _above(o, sku)) for o in offers]
    return _table("优惠", ("类型", "编号", "优惠价", "数量", "有效期", "状态", "提示"), rows)


def _above(offer, sku):
    if offer.price is not None and sku.price is not None and offer.price > sku.price:
        return f"优惠价高于协议价 {sku.price}"
    return ""


def _period(offer):
    local = lambda moment: timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"  # noqa: E731
    return f"{local(offer.starts_at)} 至 {local(offer.ends_at)}"


def _tiers(tiers):
    return _table("阶梯优惠率", ("满（件）", "优惠率 %"), [(t.quantity, t.rate) for t in tiers])


def _warranty(services):
    return _table("延保服务", ("地区", "服务", "内容", "价格"), [(w.area_code, w.name, w.content, w.price) for w in services])


def _accessories(sku):
    linked = AccessoryLink.objects.filter(supplier_id=sku.supplier_id, sku_code=sku.sku_code).values(
        "accessory_remote_id")
    found = Accessory.objects.filter(supplier_id=sku.supplier_id, remote_id__in=linked)
    return _table("配件与服务", ("编号", "类型", "名称", "参数", "单价"),
                  [(a.remote_id, "服务" if a.is_service else "配件", a.name, a.params, a.price) for a in found])


def _table(title, headers, rows):
    if not rows:
        return ""
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    body = format_html_join("", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((v,) for v in row)),)
                                                for row in rows))
    return format_html("<p><strong>{}</strong></p><table><tr>{}</tr>{}</table>", title, head, body)


@admin.register(Accessory)
class AccessoryAdmin(ReadOnlyAdmin):
    list_display = ("supplier", "remote_id", "name", "is_service", "price", "refreshed_at")
    list_filter = ("supplier", "is_service")
    search_fields = ("remote_id", "name")
    list_select_related = ("supplier",)


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ("supplier", "kind", "remote_id", "sku_code", "price", "quantity", "starts_at", "ends_at",
                    "refreshed_at")
    list_filter = ("supplier", "kind")
    search_fields = ("remote_id", "sku_code")
    list_select_related = ("supplier",)
