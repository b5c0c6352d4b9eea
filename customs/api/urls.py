"""Interfaces served to customs (platDataOpen), and the staff API for the payment records it draws on."""
from django.urls import include, path

from customs.api.views import PlatDataOpenView

urlpatterns = [
    path("platDataOpen", PlatDataOpenView.as_view(), name="customs-plat-data-open"),
    path("", include("orders.api.urls")),
]
