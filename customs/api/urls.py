"""Interfaces served to customs under /customs/: platDataOpen (seed 004 §1.6.1)."""
from django.urls import path

from customs.api.views import PlatDataOpenView

urlpatterns = [
    path("platDataOpen", PlatDataOpenView.as_view(), name="customs-plat-data-open"),
]
