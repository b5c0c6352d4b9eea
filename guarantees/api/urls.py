"""Interfaces served under /guarantee/: what guarantors call, at the names seed 003 gives them."""
from django.urls import path

from guarantees.api import views

urlpatterns = [
    path("baohannotice", views.BaohanNoticeEndpoint.as_view(), name="guarantee-baohannotice"),
    path("restorenotice", views.RestoreNoticeEndpoint.as_view(), name="guarantee-restorenotice"),
    path("invoicenotice", views.InvoiceNoticeEndpoint.as_view(), name="guarantee-invoicenotice"),
    path("quitnotice", views.QuitNoticeEndpoint.as_view(), name="guarantee-quitnotice"),
    path("getbiaoduanyichang", views.AnomaliesEndpoint.as_view(), name="guarantee-getbiaoduanyichang"),
]
