from django.apps import AppConfig


class CustomsConfig(AppConfig):
    name = "customs"
    verbose_name = "海关跨境数据"
