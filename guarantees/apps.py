from django.apps import AppConfig
from django.core import checks


class GuaranteesConfig(AppConfig):
    name = "guarantees"
    verbose_name = "电子保函"

    def ready(self):
        from guarantees.models import Guarantor
        from procurement.kernel.clear_text import stored_urls_check

        checks.register(stored_urls_check(Guarantor, "base_url", "guarantees.E001"), checks.Tags.security,
                        deploy=True)
