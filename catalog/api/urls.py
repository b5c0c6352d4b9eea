"""§7.1 catalog paths exactly as the standard gives them."""
from django.urls import path

from catalog.api import views

urlpatterns = [
    path("gyssc/platform/catalogs", views.CatalogsEndpoint.as_view(), name="emall-catalogs"),
    path("gyssc/platform/getRegionPromise", views.RegionPromiseEndpoint.as_view(), name="emall-promises"),
    path("catalogsParam", views.CatalogsParamEndpoint.as_view(), name="emall-catalogs-param"),
    path("getAreas", views.AreasEndpoint.as_view(), name="emall-areas"),
    path("brands", views.BrandsEndpoint.as_view(), name="emall-brands"),
]
