"""Interfaces served under /guarantee/: what guarantors call (seed 003 names), and the staff API."""
from django.urls import path

from guarantees.api import staff, views

urlpatterns = [
    path("baohannotice", views.BaohanNoticeEndpoint.as_view(), name="guarantee-baohannotice"),
    path("restorenotice", views.RestoreNoticeEndpoint.as_view(), name="guarantee-restorenotice"),
    path("invoicenotice", views.InvoiceNoticeEndpoint.as_view(), name="guarantee-invoicenotice"),
    path("quitnotice", views.QuitNoticeEndpoint.as_view(), name="guarantee-quitnotice"),
    path("getbiaoduanyichang", views.AnomaliesEndpoint.as_view(), name="guarantee-getbiaoduanyichang"),
    path("staff/applications", staff.ApplicationsEndpoint.as_view(), name="guarantee-staff-applications"),
    path("staff/applications/<str:applyno>", staff.ApplicationEndpoint.as_view(), name="guarantee-staff-application"),
    path("staff/applications/<str:applyno>/quit", staff.QuitEndpoint.as_view(), name="guarantee-staff-quit"),
    path("staff/invoices", staff.InvoicesEndpoint.as_view(), name="guarantee-staff-invoices"),
]
