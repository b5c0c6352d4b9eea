from django.apps import AppConfig
from django.core import checks


class CustomsConfig(AppConfig):
    name = "customs"
    verbose_name = "海关跨境数据"

    def ready(self):
        from customs.checks import check_platdataopen_callers
        from procurement.kernel.clear_text import setting_url_check

        checks.register(check_platdataopen_callers, checks.Tags.security, deploy=True)
        checks.register(setting_url_check("CUSTOMS_UPLOAD_URL", "customs.E002"), checks.Tags.security, deploy=True)
