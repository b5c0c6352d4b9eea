"""What the mall standard's optional interfaces (seed 001 §2.8, 2.17, 2.19, 2.20) say about a supplier's SKUs.

Kept by supplier and SKU code (a link may name a SKU the mall has not received yet) and replaced whole at
each refresh; shown on the SKU page.
"""
from django.db import models
from django.utils import timezone

from procurement.models import Supplier


class Extra(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="+", verbose_name="电商")
    refreshed_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        abstract = True


class SkuRating(Extra):
    sku_code = models.CharField("商品编号", max_length=64)
    score = models.DecimalField("评分（5 分制）", max_digits=3, decimal_places=2, null=True, blank=True)
    good = models.DecimalField("好评度 %", max_digits=5, decimal_places=2, null=True, blank=True)
    neutral = models.DecimalField("中评度 %", max_digits=5, decimal_places=2, null=True, blank=True)
    bad = models.DecimalField("差评度 %", max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "商品好评度"
        constraints = [models.UniqueConstraint(fields=["supplier", "sku_code"], name="unique_rating")]


class Accessory(Extra):
    remote_id = models.CharField("配件编号", max_length=64)
    is_service = models.BooleanField("服务", default=False, help_text="否为配件")
    name = models.CharField("名称", max_length=200)
    params = models.TextField("参数", blank=True)
    price = models.DecimalField("单价", max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "配件与服务"
        ordering = ["supplier", "remote_id"]
        constraints = [models.UniqueConstraint(fields=["supplier", "remote_id"], name="unique_accessory")]

    def __str__(self):
        return f"{self.remote_id} {self.name}"


class AccessoryLink(Extra):
    sku_code = models.CharField("商品编号", max_length=64, db_index=True)
    accessory_remote_id = models.CharField("配件编号", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "配件服务关联"
        constraints = [models.UniqueConstraint(fields=["supplier", "sku_code", "accessory_remote_id"],
                                               name="unique_accessory_link")]


class WarrantyService(Extra):
    sku_code = models.CharField("商品编号", max_length=64)
    area_code = models.CharField("地区编码", max_length=12)
    remote_id = models.CharField("服务编号", max_length=64)
    name = models.CharField("服务名称", max_length=200)
    content = models.TextField("服务内容", blank=True)
    price = models.DecimalField("服务价格", max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "延保服务"
        indexes = [models.Index(fields=["supplier", "sku_code"])]
        constraints = [models.UniqueConstraint(fields=["supplier", "sku_code", "area_code", "remote_id"],
                                               name="unique_warranty")]


class Offer(Extra):
    class Kind(models.TextChoices):
        GROUP_BUY = "group_buy", "团购"
        SPECIAL = "special", "特惠"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    remote_id = models.CharField("优惠编号", max_length=64)
    sku_code = models.CharField("商品编号", max_length=64, db_index=True)
    price = models.DecimalField("优惠价", max_digits=14, decimal_places=2, null=True, blank=True)
    quantity = models.PositiveIntegerField("团购数量", null=True, blank=True)
    applied_on = models.DateField("申请日期", null=True, blank=True)
    starts_at = models.DateTimeField("开始时间", null=True, blank=True)
    ends_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "团购与特惠"
        ordering = ["supplier", "kind", "starts_at"]
        constraints = [models.UniqueConstraint(fields=["supplier", "kind", "remote_id"], name="unique_offer")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.remote_id}"

    def is_current(self, now=None):
        """Within its dates (an offer without both dates is never shown as current)."""
        now = now or timezone.now()
        return bool(self.starts_at and self.ends_at and self.starts_at <= now < self.ends_at)


class TierDiscount(Extra):
    sku_code = models.CharField("商品编号", max_length=64, db_index=True)
    quantity = models.PositiveIntegerField("满（件）")
    rate = models.DecimalField("优惠率 %", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "阶梯优惠率"
        ordering = ["supplier", "sku_code", "quantity"]
        constraints = [models.UniqueConstraint(fields=["supplier", "sku_code", "quantity"], name="unique_tier")]
