"""The inbox of supplier messages (§6.3), the record of each sync pass, and each supplier's sync state."""
from django.db import models
from django.utils import timezone

from procurement.models import Supplier


class SyncRun(models.Model):
    """One pass over a supplier's message pool: what it received, applied and changed, and how it ended."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "进行中"
        DONE = "done", "完成"
        FAILED = "failed", "失败"
        INTERRUPTED = "interrupted", "中断（进程退出）"

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="sync_runs", verbose_name="电商")
    trigger = models.CharField("触发方式", max_length=20, default="schedule")
    started_at = models.DateTimeField("开始时间", default=timezone.now, db_index=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices, default=Outcome.RUNNING,
                               db_index=True)
    received = models.PositiveIntegerField("收到消息", default=0)
    applied = models.PositiveIntegerField("已处理消息", default=0)
    duplicates = models.PositiveIntegerField("重复消息", default=0)
    reused = models.PositiveIntegerField("ID 重复但内容不同", default=0,
                                         help_text="电商重用了消息ID：按新消息处理，见消息的处理说明")
    failed = models.PositiveIntegerField("处理失败消息", default=0)
    skus_new = models.PositiveIntegerField("新商品", default=0)
    skus_changed = models.PositiveIntegerField("变更商品", default=0)
    skus_delisted = models.PositiveIntegerField("下架商品", default=0)
    calls = models.JSONField("调用次数（按接口）", default=dict, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "同步记录"
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.supplier.code} {self.started_at:%Y-%m-%d %H:%M:%S}"


class SupplierMessage(models.Model):
    """A change event of the supplier's feed, stored before it is applied; acknowledged there only once applied.

    Every protocol's feed lands here in the same protocol-neutral kinds (procurement.suppliers.records.ChangeKind);
    `raw` keeps the entry as the supplier sent it.
    """

    class Kind(models.TextChoices):
        ADDED = "added", "加入商品池"
        REMOVED = "removed", "移出商品池"
        DETAIL = "detail", "介绍及规格参数变更"
        PRICE = "price", "价格变更"
        SHELF = "shelf", "上下架变更"
        OTHER = "other", "其他（无需处理）"
        PRESENT = "present", "全量核对：在商品池中"
        CENSUS_END = "census_end", "全量核对完成"

    POOL_KINDS = (Kind.ADDED, Kind.REMOVED)

    class Status(models.TextChoices):
        RECEIVED = "received", "待处理"
        RETRYING = "retrying", "等待重试"
        APPLIED = "applied", "已处理"
        FAILED = "failed", "失败待处理"

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="messages", verbose_name="电商")
    message_id = models.CharField("消息ID", max_length=150)
    fingerprint = models.CharField("内容摘要", max_length=16, blank=True,
                                   help_text="类型、商品与时间的摘要：同一消息ID再次出现而内容不同时，按新消息处理")
    kind = models.CharField("变更类型", max_length=10, choices=Kind.choices, db_index=True)
    sku_code = models.CharField("商品编号", max_length=64, db_index=True)
    census = models.CharField("全量核对", max_length=20, blank=True, help_text="商品池全量核对的编号（网上商城标准）")
    sent_at = models.DateTimeField("消息时间", null=True, blank=True)
    raw = models.JSONField("原始消息", default=dict)
    status = models.CharField("处理状态", max_length=10, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    attempts = models.PositiveIntegerField("处理次数", default=0)
    next_attempt_at = models.DateTimeField("下次处理", default=timezone.now)
    last_error = models.TextField("最近错误", blank=True)
    note = models.CharField("处理说明", max_length=200, blank=True)
    received_at = models.DateTimeField("接收时间", default=timezone.now)
    applied_at = models.DateTimeField("处理时间", null=True, blank=True)
    acked_at = models.DateTimeField("已在电商确认", null=True, blank=True)
    run = models.ForeignKey(SyncRun, verbose_name="处理批次", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="messages")

    class Meta:
        verbose_name = verbose_name_plural = "电商消息"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "message_id", "fingerprint"],
                                    name="unique_message_content_per_supplier"),
        ]
        indexes = [
            models.Index(fields=["supplier", "status", "next_attempt_at"]),
            models.Index(fields=["supplier", "acked_at"]),
            models.Index(fields=["supplier", "message_id"]),
            models.Index(fields=["supplier", "census", "kind"]),
        ]

    def __str__(self):
        return f"{self.message_id}（{self.get_kind_display()} {self.sku_code}）"


class SupplierSync(models.Model):
    """Per supplier: when to poll next, who holds the pass, consecutive failures, and why it stopped."""

    supplier = models.OneToOneField(Supplier, on_delete=models.CASCADE, related_name="sync", verbose_name="电商")
    next_poll_at = models.DateTimeField("下次拉取", default=timezone.now, db_index=True)
    lease_owner = models.CharField("执行者", max_length=64, blank=True)
    lease_until = models.DateTimeField("占用至", null=True, blank=True)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    halted_reason = models.TextField("停止原因", blank=True, help_text="非空时不再自动拉取，需人工恢复")
    last_success_at = models.DateTimeField("上次成功拉取", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    stock_refreshed_at = models.DateTimeField("上次刷新库存", null=True, blank=True)
    prices_refreshed_at = models.DateTimeField("上次刷新价格与上下架", null=True, blank=True,
                                               help_text="没有价格变动通知的协议：已上架商品的价格与上下架定时整批刷新")
    extras_refreshed_at = models.DateTimeField("上次刷新扩展信息", null=True, blank=True)
    feed_cursor = models.TextField("变更读取位置", blank=True,
                                   help_text="对接协议自己的读取位置（如商品池全量核对进度、上次读取的时间）；消息池协议不用")
    pool_problems = models.JSONField("商品池问题", default=list, blank=True,
                                     help_text="电商的品目池中不是卖场末级品目的（最近一次读取品目池时）")

    class Meta:
        verbose_name = verbose_name_plural = "同步状态"
        ordering = ["supplier__code"]

    def __str__(self):
        return f"{self.supplier.code} 同步状态"


class LinkCheck(models.Model):
    """Whether a link (a product's main image) opened when last tried: results are reused for a while."""

    url_hash = models.CharField("地址摘要", max_length=64, unique=True)
    url = models.TextField("地址")
    ok = models.BooleanField("可访问")
    detail = models.CharField("结果", max_length=300, blank=True)
    checked_at = models.DateTimeField("检查时间", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "链接检查"
        ordering = ["-checked_at"]

    def __str__(self):
        return self.url[:100]
