"""A supplier's test environment, the docking test runs made against it and the result of each case."""
from django.conf import settings
from django.db import models

from procurement.kernel.clear_text import https_required
from procurement.kernel.fields import EncryptedJSONField
from procurement.suppliers.base import Endpoint


class TestEndpoint(models.Model):
    """Where a supplier's test environment answers, with its own credentials: kept apart from production's
    (Supplier.base_url / parameters / secret_parameters) and, like them, secret values encrypted."""

    __test__ = False  # not a pytest test class, whatever its name

    supplier = models.OneToOneField("procurement.Supplier", on_delete=models.CASCADE, related_name="test_endpoint",
                                    verbose_name="电商")
    base_url = models.URLField("测试环境接口地址", max_length=300, validators=[https_required])
    parameters = models.JSONField("测试环境对接参数", default=dict, blank=True)
    secret_parameters = EncryptedJSONField("测试环境对接密钥")
    # Cases of 非必需 (☆) interfaces staff require of this supplier: their failure then fails the run.
    required_cases = models.JSONField("另行要求必测的用例", default=list, blank=True,
                                      help_text="非必需接口的用例名（如 ratings）；列入后其未通过即整次测试未通过")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "测试环境"

    def __str__(self):
        return f"{self.supplier.code} 测试环境"

    def endpoint(self):
        return Endpoint(self.base_url, {**self.parameters, **self.secret_parameters})


class DockingRun(models.Model):
    """One run of a protocol's docking cases against a supplier's test environment."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "测试中"
        PASSED = "passed", "通过"
        FAILED = "failed", "未通过"
        ERROR = "error", "测试中断"

    class Via(models.TextChoices):
        SUPPLIER = "supplier", "电商自助"
        STAFF = "staff", "工作人员"
        COMMAND = "command", "命令行"

    FINISHED = (Status.PASSED, Status.FAILED, Status.ERROR)

    supplier = models.ForeignKey("procurement.Supplier", on_delete=models.CASCADE, related_name="docking_runs",
                                 verbose_name="电商")
    protocol = models.CharField("对接协议", max_length=20)
    contract_version = models.CharField("接口规范版本", max_length=40)
    base_url = models.CharField("测试地址", max_length=300)
    status = models.CharField("结果", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    started_via = models.CharField("发起方式", max_length=10, choices=Via.choices)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    started_by_account = models.CharField("发起账号", max_length=100, blank=True,
                                          help_text="电商自助发起时的电商接口账号")
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    duration_ms = models.PositiveIntegerField("耗时（毫秒）", null=True, blank=True)
    summary = models.JSONField("汇总", default=dict, blank=True)
    error = models.TextField("中断原因", blank=True)
    # Renewed as each case finishes: a RUNNING run whose heartbeat is older than DOCKING_STALE_SECONDS was left by a
    # dead worker, and is resumed (at most DOCKING_MAX_RESUMES times) or closed as ERROR.
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)
    resumes = models.PositiveSmallIntegerField("续测次数", default=0)
    # SHA-256 over the report's canonical text, set when the run ends and again after a case is re-run.
    report_hash = models.CharField("报告校验码", max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "对接测试"
        ordering = ["-created_at", "-id"]
        permissions = [("grant_trust_mark", "可授予或暂停正式环境信任标识")]
        constraints = [models.UniqueConstraint(fields=["supplier"], condition=models.Q(status__in=("queued", "running")),
                                               name="one_active_docking_run")]

    def __str__(self):
        return f"{self.supplier.code} 对接测试 #{self.pk}"

    @property
    def finished(self):
        return self.status in self.FINISHED

    @classmethod
    def latest_finished(cls, supplier_id):
        """The supplier's most recently finished run (the only one the mark may be granted on, or re-run)."""
        return cls.objects.filter(supplier_id=supplier_id, status__in=cls.FINISHED).order_by("-finished_at", "-pk").first()


# What a run's outbound calls are tagged with (OutboundAttempt.purpose_kind), as every cause's calls are: its table.
RUN_CALLS = "procurement.dockingrun"


class DockingCase(models.Model):
    """The result of one case of a run: what it checks (clause), its verdict with a reason a supplier's developer
    can act on, and how long it took. Its calls are the OutboundAttempt rows tagged with the run and the case."""

    class Verdict(models.TextChoices):
        PENDING = "pending", "待测"
        RUNNING = "running", "测试中"
        PASSED = "passed", "通过"
        FAILED = "failed", "未通过"
        SKIPPED = "skipped", "未测"

    run = models.ForeignKey(DockingRun, on_delete=models.CASCADE, related_name="cases", verbose_name="对接测试")
    name = models.CharField("用例", max_length=100)
    title = models.CharField("名称", max_length=200)
    clause = models.CharField("规范条款", max_length=100)
    required = models.BooleanField("必测", default=True)
    position = models.PositiveSmallIntegerField("顺序")
    verdict = models.CharField("结果", max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    reason = models.TextField("说明", blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    duration_ms = models.PositiveIntegerField("耗时（毫秒）", null=True, blank=True)
    # Per interface: calls, p95 ms; and whatever else the case measured (shown in the report).
    measurements = models.JSONField("测量", default=dict, blank=True)
    reruns = models.PositiveSmallIntegerField("重测次数", default=0)
    rerun_at = models.DateTimeField("最近重测", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "测试用例结果"
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "name"], name="unique_docking_case")]

    def __str__(self):
        return f"{self.name} {self.get_verdict_display()}"


class DockingReport(models.Model):
    """A report issued for a run, as issued: its content hash and canonical text. A run's report changes when a
    case is re-run; every report ever issued stays checkable as what it said then (procurement/docking/verify.py)."""

    run = models.ForeignKey(DockingRun, on_delete=models.CASCADE, related_name="reports", verbose_name="对接测试")
    digest = models.CharField("报告校验码", max_length=64, unique=True)
    text = models.TextField("报告内容")
    issued_at = models.DateTimeField("出具时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "已出具的对接测试报告"
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return f"{self.run} 报告 {self.digest[:16]}"
