"""The storefront's order API, mounted under /api/staff/."""
from django.urls import path

from orders.api import views

urlpatterns = [
    path("orders", views.OrdersEndpoint.as_view(), name="orders"),
    path("orders/<str:number>", views.OrderEndpoint.as_view(), name="order"),
    path("orders/<str:number>/confirm", views.ConfirmEndpoint.as_view(), name="order-confirm"),
    path("orders/<str:number>/cancel", views.CancelEndpoint.as_view(), name="order-cancel"),
    path("orders/<str:number>/payments", views.PaymentsEndpoint.as_view(), name="order-payments"),
]
