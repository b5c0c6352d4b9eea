"""Who buys: purchasing units (采购单位) with their credit for 账期 purchases, their purchasers and delivery addresses.

A purchaser's phone and a delivery address are personal data: encrypted at rest (EncryptedTextField) and shown
masked in lists (orders.masking).
"""
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from procurement.kernel.credit_code import validate_credit_code
from procurement.kernel.fields import EncryptedTextField
from procurement.models import Area


class PurchasingUnit(models.Model):
    name = models.CharField("单位名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code])
    region = models.ForeignKey(Area, verbose_name="所在地区", on_delete=models.PROTECT, related_name="+")
    credit_limit = models.DecimalField("账期授信额度", max_digits=14, decimal_places=2, default=Decimal("0.00"),
                                       validators=[MinValueValidator(Decimal("0"))],
                                       help_text="账期支付的订单在付款前占用的额度上限；0 表示不能账期购买")
    credit_days = models.PositiveIntegerField("账期天数", default=30, help_text="妥投后多少天内付款")
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "采购单位"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Purchaser(models.Model):
    unit = models.ForeignKey(PurchasingUnit, on_delete=models.PROTECT, related_name="purchasers", verbose_name="采购单位")
    name = models.CharField("姓名", max_length=50)
    phone = EncryptedTextField("手机")
    external_id = models.CharField("商城用户编号", max_length=64, unique=True, null=True, blank=True,
                                   help_text="商城前台的采购人编号（前台下单时用它指明采购人）")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "采购人"
        ordering = ["unit", "name"]

    def __str__(self):
        return f"{self.name}（{self.unit}）"


class DeliveryAddress(models.Model):
    purchaser = models.ForeignKey(Purchaser, on_delete=models.CASCADE, related_name="addresses", verbose_name="采购人")
    area = models.ForeignKey(Area, verbose_name="区县", on_delete=models.PROTECT, related_name="+",
                             limit_choices_to={"level": Area.Level.COUNTY})
    address = EncryptedTextField("详细地址")
    receiver = models.CharField("收货人", max_length=50)
    receiver_phone = EncryptedTextField("收货人手机")
    is_default = models.BooleanField("默认地址", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "收货地址"

    def __str__(self):
        return f"{self.area} {self.receiver}"
