"""Suppliers, their credentials and tokens, the accounts they call us with, reference data, the exchange log."""
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from procurement.kernel.clear_text import https_required
from procurement.kernel.fields import EncryptedJSONField, EncryptedTextField
from procurement.kernel.statemachine import StateHistory
from procurement.suppliers.base import Endpoint
from procurement.suppliers.registry import protocol_choices

code_validator = RegexValidator(r"^[A-Za-z0-9_\-\.]+$", "只能包含字母、数字、下划线、连字符和点")


class Platform(models.Model):
    """An e-mall (电子卖场) suppliers are admitted to; its code is the §7.1.2 platformCode."""

    code = models.CharField("卖场标识码", max_length=50, unique=True, validators=[code_validator])
    name = models.CharField("卖场名称", max_length=200)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "电子卖场"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class Supplier(models.Model):
    """An e-commerce supplier (电商) docked to the mall through its own platform."""

    class DockingStatus(models.TextChoices):
        DOCKING = "docking", "对接中"
        TEST_PASSED = "test_passed", "测试通过"
        PRODUCTION = "production", "正式"
        SUSPENDED = "suspended", "暂停"

    DOCKING_TRANSITIONS = {
        DockingStatus.DOCKING: {DockingStatus.TEST_PASSED, DockingStatus.SUSPENDED},
        DockingStatus.TEST_PASSED: {DockingStatus.PRODUCTION, DockingStatus.DOCKING, DockingStatus.SUSPENDED},
        DockingStatus.PRODUCTION: {DockingStatus.SUSPENDED},
        DockingStatus.SUSPENDED: {DockingStatus.DOCKING, DockingStatus.PRODUCTION},
    }

    name = models.CharField("电商名称", max_length=200)
    code = models.CharField("电商编码", max_length=50, unique=True, validators=[code_validator])
    protocol = models.CharField("对接协议", max_length=20, choices=protocol_choices)
    base_url = models.URLField("电商平台接口地址", max_length=300, validators=[https_required])
    # The protocol's declared parameters (procurement.suppliers: Connector.parameters), secret ones apart.
    parameters = models.JSONField("对接参数", default=dict, blank=True)
    secret_parameters = EncryptedJSONField("对接密钥")
    interfaces_off = models.JSONField("未提供的可选接口", default=list, blank=True,
                                      help_text="该电商未实现的可选接口；同步与后台不会调用它们")
    docking_status = models.CharField(
        "对接状态", max_length=20, choices=DockingStatus.choices, default=DockingStatus.DOCKING, db_index=True
    )
    platforms = models.ManyToManyField(Platform, verbose_name="入驻卖场", blank=True, related_name="suppliers")
    sync_enabled = models.BooleanField("自动同步", default=True, help_text="关闭后不再定时拉取该电商的消息")
    poll_interval_minutes = models.PositiveIntegerField(
        "拉取间隔（分钟）", default=5, validators=[MinValueValidator(1)]
    )
    last_polled_at = models.DateTimeField("上次成功拉取", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "电商"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    @property
    def trusted(self):
        """Whether it holds the production-environment trust mark (正式, procurement/docking): its goods may list and
        its orders are sent."""
        return self.docking_status == self.DockingStatus.PRODUCTION

    def endpoint(self):
        """Where and how the connector reaches this supplier's platform (its declared parameters' values)."""
        return Endpoint(self.base_url, {**self.parameters, **self.secret_parameters})


class SupplierStatusChange(StateHistory):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StateHistory.Meta):
        verbose_name = verbose_name_plural = "对接状态变更"


class SupplierContact(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="contacts", verbose_name="电商")
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("职责", max_length=50, blank=True, help_text="如：技术对接、商务、售后")
    phone = models.CharField("电话", max_length=30, blank=True)
    email = models.EmailField("邮箱", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "联系人"

    def __str__(self):
        return self.name


class RemoteToken(models.Model):
    """The token the supplier's platform issued to us; refreshed under a row lock by any worker."""

    supplier = models.OneToOneField(Supplier, on_delete=models.CASCADE, related_name="remote_token")
    token = EncryptedTextField("令牌", blank=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    refreshed_at = models.DateTimeField("获取时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "电商平台令牌"

    def __str__(self):
        return f"{self.supplier.code} 令牌"


class SupplierAccount(models.Model):
    """An account a supplier uses to call the mall's §7.1 interfaces."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="accounts", verbose_name="电商")
    username = models.CharField("用户名", max_length=100, unique=True, validators=[code_validator])
    password = models.CharField("密码（哈希）", max_length=200)
    client_secret = EncryptedTextField("签名密钥")
    is_active = models.BooleanField("启用", default=True)
    failed_logins = models.PositiveIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    last_login_at = models.DateTimeField("上次获取令牌", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "电商接口账号"
        ordering = ["username"]

    def __str__(self):
        return self.username


class AccessToken(models.Model):
    """A token we issued to a supplier account. Only its SHA-256 is stored."""

    account = models.ForeignKey(SupplierAccount, on_delete=models.CASCADE, related_name="tokens", verbose_name="账号")
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    prefix = models.CharField("令牌前缀", max_length=8)
    issued_at = models.DateTimeField("签发时间", default=timezone.now)
    expires_at = models.DateTimeField("过期时间", db_index=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "已签发令牌"
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.prefix}…"


class UsedLoginSign(models.Model):
    """A /gyssc/token `sign` already used: each sign logs in once. The unique digest holds that across web
    nodes and concurrent requests; rows are purged once their timestamp window is over (tokens_purge)."""

    digest = models.CharField("签名摘要", max_length=64, unique=True)
    used_at = models.DateTimeField("使用时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "已使用的登录签名"


class Area(models.Model):
    """Administrative areas, three levels: 省 / 市 / 区县."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, "省级"
        CITY = 2, "市级"
        COUNTY = 3, "区县级"

    code = models.CharField("地区编码", max_length=12, unique=True, validators=[code_validator])
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = verbose_name_plural = "地区"
        ordering = ["code"]

    def __str__(self):
        return self.name


class Brand(models.Model):
    code = models.CharField("品牌编码", max_length=50, unique=True, validators=[code_validator])
    name = models.CharField("品牌名称", max_length=100)
    english_name = models.CharField("英文名称", max_length=100, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "品牌"
        ordering = ["code"]

    def __str__(self):
        return self.name


class Promise(models.Model):
    """商品承诺 / 产品认证 / 七天无理由退货, as served by §7.1.4."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", "商品承诺"
        CERTIFICATION = "certification", "产品认证"
        SEVEN_DAY_RETURN = "seven_day_return", "七天无理由退货"

    code = models.CharField("编码", max_length=50, unique=True, validators=[code_validator])
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, db_index=True)
    name = models.CharField("名称", max_length=200)
    description = models.TextField("说明", blank=True)
    areas = models.ManyToManyField(Area, verbose_name="适用地区", blank=True, help_text="不选表示全部地区")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "商品承诺/认证"
        ordering = ["kind", "code"]

    def __str__(self):
        return self.name


class OutboundAttempt(models.Model):
    """One outbound HTTP call: to whom, which interface, how long, how it ended, what crossed (redacted)."""

    class Outcome(models.TextChoices):
        OK = "ok", "成功"
        REFUSED = "refused", "对方拒绝"
        HTTP_ERROR = "http_error", "HTTP 错误"
        TIMEOUT = "timeout", "超时"
        CONNECTION_ERROR = "connection_error", "连接失败"
        BAD_REPLY = "bad_reply", "回复无法解析"
        ERROR = "error", "其他错误"

    counterparty_kind = models.CharField("对方类型", max_length=20, db_index=True)
    counterparty_code = models.CharField("对方", max_length=50, db_index=True)
    interface = models.CharField("接口", max_length=100, db_index=True)
    url = models.CharField("地址", max_length=500)
    reference = models.CharField("业务编号", max_length=100, blank=True, db_index=True)
    # What the call was for: the cause's table ("app_label.model") and row, and a docking test case.
    purpose_kind = models.CharField("调用目的", max_length=60, blank=True)
    purpose_id = models.BigIntegerField("目的记录", null=True, blank=True)
    purpose_case = models.CharField("对接测试用例", max_length=100, blank=True)
    started_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    duration_ms = models.PositiveIntegerField("耗时（毫秒）")
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices, db_index=True)
    http_status = models.PositiveSmallIntegerField("HTTP 状态", null=True, blank=True)
    request_excerpt = models.TextField("请求（已脱敏）", blank=True)
    reply_excerpt = models.TextField("回复（已脱敏）", blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "外部调用记录"
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["counterparty_kind", "counterparty_code", "-started_at"]),
                   models.Index(fields=["purpose_kind", "purpose_id"])]
        # Who may read which calls (they carry the counterparties' data): one permission per kind of
        # counterparty, given to the group that works with it. See CALL_SCOPES.
        permissions = [
            ("view_supplier_calls", "可查看与电商的外部调用"),
            ("view_guarantor_calls", "可查看与金融机构（保函）的外部调用"),
            ("view_customs_calls", "可查看与海关（及签名服务）的外部调用"),
        ]

    def __str__(self):
        return f"{self.counterparty_code} {self.interface} {self.get_outcome_display()}"


# permission codename → the counterparty kinds (OutboundAttempt.counterparty_kind) it lets a user read.
# Calls of a kind listed nowhere are for superusers only.
CALL_SCOPES = {
    "view_supplier_calls": ("supplier", "image"),  # image: checks of products' main images
    "view_guarantor_calls": ("guarantor", "bank"),
    "view_customs_calls": ("customs", "customs-probe", "ukey"),
}


class SupplierArea(models.Model):
    """One node of a supplier's own area tree (seed 001 §2.10) and the area of ours it stands for.

    Mapped by the county's Chinese name within its city and province; what does not map waits for staff,
    and a mapping staff made is kept when the tree is read again.
    """

    class Mapping(models.TextChoices):
        NONE = "", "未对应"
        AUTO = "auto", "按名称自动对应"
        STAFF = "staff", "人工对应"

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="remote_areas", verbose_name="电商")
    remote_id = models.CharField("电商地址ID", max_length=50)
    name = models.CharField("电商地址名称", max_length=100)
    level = models.PositiveSmallIntegerField("级别", choices=Area.Level.choices)
    parent_remote_id = models.CharField("上级电商地址ID", max_length=50, blank=True)
    area = models.ForeignKey(Area, verbose_name="对应卖场地址", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    mapped_by = models.CharField("对应方式", max_length=10, choices=Mapping.choices, blank=True, db_index=True)
    seen_at = models.DateTimeField("最近读取", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "电商地址对应"
        ordering = ["supplier", "level", "remote_id"]
        constraints = [models.UniqueConstraint(fields=["supplier", "remote_id"], name="unique_remote_area")]
        indexes = [models.Index(fields=["supplier", "area"])]

    def __str__(self):
        return f"{self.supplier.code} {self.name}（{self.remote_id}）"


from procurement.docking.models import DockingCase, DockingReport, DockingRun, TestEndpoint  # noqa: E402,F401  (models of this app)
