"""The staff API for guarantees (the trading system), mounted under /api/staff/guarantees/."""
from django.urls import path

from guarantees.api import staff

urlpatterns = [
    path("applications", staff.ApplicationsEndpoint.as_view(), name="guarantee-staff-applications"),
    path("applications/<str:applyno>", staff.ApplicationEndpoint.as_view(), name="guarantee-staff-application"),
    path("applications/<str:applyno>/quit", staff.QuitEndpoint.as_view(), name="guarantee-staff-quit"),
    path("invoices", staff.InvoicesEndpoint.as_view(), name="guarantee-staff-invoices"),
]
