"""Staff API for payment records, mounted under /api/staff/."""
from django.urls import path

from customs.api import payment_views as views

urlpatterns = [
    path("payments", views.PaymentListView.as_view(), name="orders-payments"),
    path("payments/<int:pk>", views.PaymentDetailView.as_view(), name="orders-payment"),
]
