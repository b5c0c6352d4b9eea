from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = "电商对接"

    def ready(self):
        from django.db.models.signals import post_migrate

        from procurement.roles import roles_sync

        post_migrate.connect(roles_sync, sender=self)
