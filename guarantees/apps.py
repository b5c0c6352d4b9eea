from django.apps import AppConfig


class GuaranteesConfig(AppConfig):
    name = "guarantees"
    verbose_name = "电子保函"
