from django.apps import AppConfig
from django.core import checks


class CustomsConfig(AppConfig):
    name = "customs"
    verbose_name = "海关跨境数据"

    def ready(self):
        from customs.checks import check_platdataopen_callers

        checks.register(check_platdataopen_callers, checks.Tags.security, deploy=True)
