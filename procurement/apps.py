from django.apps import AppConfig
from django.core import checks


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = "电商对接"

    def ready(self):
        from django.db.models.signals import post_migrate

        from procurement.kernel.clear_text import stored_urls_check
        from procurement.models import Supplier
        from procurement.roles import roles_sync

        post_migrate.connect(roles_sync, sender=self)
        checks.register(stored_urls_check(Supplier, "base_url", "procurement.E001"), checks.Tags.security,
                        deploy=True)
