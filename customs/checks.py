"""System checks of the customs settings (`manage.py check --deploy`)."""
from django.conf import settings
from django.core import checks


def check_platdataopen_callers(app_configs, **kwargs):
    """With DEBUG off, the networks platDataOpen serves must be named (the seed gives it no authentication)."""
    if settings.DEBUG or settings.CUSTOMS_ALLOWED_NETWORKS:
        return []
    return [checks.Error(
        "CUSTOMS_ALLOWED_NETWORKS 为空：platDataOpen 没有鉴权（seed 004），此时拒绝所有调用方，包括海关",
        hint="设置为海关通关服务系统登记的网段（逗号分隔的 CIDR，如 10.20.0.0/16）；"
             "如已由前端代理限制来源、确需允许任何调用方，明确写 *",
        id="customs.E001",
    )]
