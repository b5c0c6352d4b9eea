"""Supplier products (SKUs): their received versions, listing state and its history, findings, price changes."""
from django.db import models

from catalog.models.categories import Category
from procurement.kernel.statemachine import StateHistory
from procurement.models import Supplier


class Sku(models.Model):
    """A supplier's product in the mall. Buyers see it only while LISTED, and then only `approved_version`."""

    class Status(models.TextChoices):
        NEW = "new", "新接收"
        INVALID = "invalid", "校验未通过"
        PENDING_REVIEW = "pending_review", "待审核"
        LISTED = "listed", "已上架"
        REJECTED = "rejected", "审核驳回"
        DELISTED = "delisted", "已下架"
        REMOVED = "removed", "已移出商品池"

    TRANSITIONS = {
        Status.NEW: {Status.INVALID, Status.PENDING_REVIEW, Status.REMOVED},
        Status.INVALID: {Status.PENDING_REVIEW, Status.REMOVED},
        Status.PENDING_REVIEW: {Status.LISTED, Status.REJECTED, Status.INVALID, Status.REMOVED},
        Status.REJECTED: {Status.PENDING_REVIEW, Status.INVALID, Status.REMOVED},
        # listed → listed records a review decision on a changed version while the SKU stays on sale
        Status.LISTED: {Status.LISTED, Status.DELISTED, Status.REMOVED},
        Status.DELISTED: {Status.PENDING_REVIEW, Status.REMOVED},
        Status.REMOVED: {Status.PENDING_REVIEW, Status.INVALID},
    }

    class DelistCause(models.TextChoices):
        NONE = "", "—"
        PRICE = "price", "价格规则"
        SHELF_OFF = "shelf_off", "电商下架"
        STAFF = "staff", "人工下架"
        SUSPENDED = "supplier_suspended", "电商暂停对接"

    class ReviewReason(models.TextChoices):
        NONE = "", "—"
        NEW = "new", "新商品"
        CHANGED = "changed", "内容变更"
        RETURNED = "returned", "下架后重新送审"

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="skus", verbose_name="电商")
    sku_code = models.CharField("电商商品编号", max_length=64)
    status = models.CharField("上架状态", max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    delist_cause = models.CharField("下架原因", max_length=20, choices=DelistCause.choices, blank=True)
    review_reason = models.CharField("送审原因", max_length=20, choices=ReviewReason.choices, blank=True,
                                     db_index=True)
    approved_version = models.ForeignKey("SkuVersion", verbose_name="已审核版本", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    latest_version = models.ForeignKey("SkuVersion", verbose_name="最新接收版本", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    name = models.CharField("商品名称", max_length=300, blank=True)
    category = models.ForeignKey(Category, verbose_name="品目", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="skus")
    price = models.DecimalField("协议价", max_digits=14, decimal_places=2, null=True, blank=True)
    mall_price = models.DecimalField("商城售价", max_digits=14, decimal_places=2, null=True, blank=True)
    approved_price = models.DecimalField("审核时协议价", max_digits=14, decimal_places=2, null=True, blank=True)
    approved_mall_price = models.DecimalField("审核时商城售价", max_digits=14, decimal_places=2, null=True, blank=True)
    shelf_on = models.BooleanField("电商上架", null=True, blank=True)
    pool_event_at = models.DateTimeField("最近入池/出池消息时间", null=True, blank=True)
    created_at = models.DateTimeField("接收时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "商品"
        ordering = ["supplier", "sku_code"]
        constraints = [models.UniqueConstraint(fields=["supplier", "sku_code"], name="unique_sku_per_supplier")]
        permissions = [("review_sku", "审核商品上架")]

    def __str__(self):
        return f"{self.sku_code} {self.name}".strip()

    @property
    def has_unreviewed_change(self):
        """Listed, with a newer valid version staff have neither approved nor rejected."""
        latest = self.latest_version
        return (
            self.status == self.Status.LISTED and latest is not None
            and self.latest_version_id != self.approved_version_id and latest.valid and not latest.rejected_reason
        )


class ReviewItem(Sku):
    """The review queue: SKUs waiting for a staff decision (a proxy, for its own page in the admin)."""

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "待审核商品"


class SkuVersion(models.Model):
    """The product content as the supplier sent it at one time (detail, parameters, promises, images).

    `content` keeps the wire names of the published contract; prices, shelf state and stock live on the
    SKU because they change on their own.
    """

    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="versions", verbose_name="商品")
    number = models.PositiveIntegerField("版本号")
    content = models.JSONField("内容")
    content_hash = models.CharField("内容摘要", max_length=64)
    valid = models.BooleanField("校验通过", default=False)
    rejected_reason = models.TextField("驳回原因", blank=True)
    message = models.ForeignKey("SupplierMessage", verbose_name="来源消息", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "商品版本"
        ordering = ["sku_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["sku", "number"], name="unique_version_number")]

    def __str__(self):
        return f"{self.sku.sku_code} v{self.number}"


class SkuFinding(models.Model):
    """Why the SKU's latest content or price fails validation: one row per broken rule, replaced on each check."""

    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="findings", verbose_name="商品")
    rule = models.CharField("规则", max_length=40, db_index=True)
    code = models.CharField("错误码", max_length=4, blank=True, help_text="§6.2 错误码（有对应时）")
    field = models.CharField("字段", max_length=100, blank=True)
    message = models.TextField("说明")

    class Meta:
        verbose_name = verbose_name_plural = "校验问题"
        ordering = ["sku_id", "id"]

    def __str__(self):
        return self.message


class SkuStatusChange(StateHistory):
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="status_changes")
    message = models.ForeignKey("SupplierMessage", verbose_name="触发消息", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta(StateHistory.Meta):
        verbose_name = verbose_name_plural = "上架状态变更"


class PriceChange(models.Model):
    """Every price the supplier moved a SKU to, with the message that carried it."""

    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="price_changes", verbose_name="商品")
    old_price = models.DecimalField("原协议价", max_digits=14, decimal_places=2, null=True, blank=True)
    new_price = models.DecimalField("新协议价", max_digits=14, decimal_places=2, null=True, blank=True)
    old_mall_price = models.DecimalField("原商城售价", max_digits=14, decimal_places=2, null=True, blank=True)
    new_mall_price = models.DecimalField("新商城售价", max_digits=14, decimal_places=2, null=True, blank=True)
    message = models.ForeignKey("SupplierMessage", verbose_name="来源消息", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "价格变更"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.old_price} → {self.new_price}"


class SkuStock(models.Model):
    """The stock the supplier last reported for a SKU in a delivery area (one of our area codes)."""

    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="stock_levels", verbose_name="商品")
    area_code = models.CharField("地区编码", max_length=12)
    quantity = models.PositiveIntegerField("库存")
    checked_at = models.DateTimeField("查询时间")

    class Meta:
        verbose_name = verbose_name_plural = "库存"
        ordering = ["sku_id", "area_code"]
        constraints = [models.UniqueConstraint(fields=["sku", "area_code"], name="unique_stock_per_area")]

    def __str__(self):
        return f"{self.area_code}：{self.quantity}"
