"""§7.1 token and platform paths exactly as the standard gives them."""
from django.urls import path

from procurement.api import views

urlpatterns = [
    path("gyssc/token", views.TokenEndpoint.as_view(), name="emall-token"),
    path("gyssc/platform/info", views.PlatformInfoEndpoint.as_view(), name="emall-platform-info"),
]
