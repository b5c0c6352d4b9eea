"""Standard categories (品目) and their standard parameters, as published to suppliers by §7.1.3 / §7.1.5."""
from django.core.exceptions import ValidationError
from django.db import models

from procurement.models import code_validator


class Category(models.Model):
    """A node of the standard category tree. `version` changes whenever it or its parameters change."""

    code = models.CharField("品目编码", max_length=30, unique=True, validators=[code_validator])
    interface_code = models.CharField("接口编码", max_length=50, unique=True, validators=[code_validator])
    name = models.CharField("品目名称", max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name="上级品目", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.PositiveSmallIntegerField("层级", default=1, editable=False)
    is_leaf = models.BooleanField("末级品目", default=True, editable=False)
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "品目"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class CategoryParam(models.Model):
    """A standard parameter (标准参数项) of a category: products must use its id and allowed values."""

    class ValueType(models.TextChoices):
        TEXT = "text", "文本"
        NUMBER = "number", "数值"
        ENUM = "enum", "单选"
        MULTI_ENUM = "multi_enum", "多选"
        BOOLEAN = "boolean", "是/否"
        DATE = "date", "日期"

    CHOICE_TYPES = (ValueType.ENUM, ValueType.MULTI_ENUM)

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="params", verbose_name="品目")
    attribute_id = models.CharField("参数项ID", max_length=50, validators=[code_validator])
    name = models.CharField("参数名称", max_length=200)
    required = models.BooleanField("必填", default=False)
    value_type = models.CharField("取值类型", max_length=20, choices=ValueType.choices, default=ValueType.TEXT)
    allowed_values = models.JSONField("可选值", default=list, blank=True, help_text="单选/多选时必填，JSON 数组")
    unit = models.CharField("单位", max_length=20, blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "品目参数项"
        ordering = ["category", "order", "attribute_id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "attribute_id"], name="unique_param_per_category"),
        ]

    def __str__(self):
        return f"{self.attribute_id} {self.name}"

    def clean(self):
        problem = self.definition_problem()
        if problem:
            raise ValidationError({"allowed_values": problem})

    def definition_problem(self):
        """Why this definition cannot be served or used for validation, or '' when it is sound."""
        values = self.allowed_values
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            return "可选值应为非空字符串组成的数组"
        if self.value_type in self.CHOICE_TYPES and not values:
            return "单选/多选参数必须列出可选值"
        if len(set(values)) != len(values):
            return "可选值有重复"
        return ""


class CatalogRevision(models.Model):
    """A counter bumped by every change to categories or their parameters (one row).

    Servers cache the replies of the category interfaces and drop them when this number moves.
    """

    number = models.PositiveBigIntegerField("版本号", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "品目数据版本"

    def __str__(self):
        return str(self.number)
