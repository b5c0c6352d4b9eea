"""URL map: the admin, the interfaces served to suppliers, banks and customs, their OpenAPI document, and the
supplier docking pages."""
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from procurement import admin_home, views

admin.site.site_header = "天津市政府采购中心 电子卖场管理后台"
admin.site.site_title = "电子卖场管理后台"
admin.site.index_title = "工作台"
admin.site.site_url = None  # there is no public site behind "查看站点": the link is left out
# The app list is on the home page and in the breadcrumbs; the side bar would take a quarter of a laptop's
# screen from the lists.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    # The admin home is the dashboard (procurement/admin_home.py); everything else is Django's admin.
    path("admin/", admin.site.admin_view(admin_home.index), name="admin-home"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[]), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema", permission_classes=[]), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema", permission_classes=[]), name="api-redoc"),
    # What staff systems call (the trading system, operators): authenticated, ordinary HTTP statuses.
    path("api/staff/guarantees/", include("guarantees.api.staff_urls")),
    path("api/staff/", include("customs.api.payment_urls")),
    path("api/staff/", include("orders.api.urls")),
    path("", include("procurement.api.urls")),
    path("", include("catalog.api.urls")),
    path("guarantee/", include("guarantees.api.urls")),
    path("customs/", include("customs.api.urls")),
    # The supplier docking pages, the report check page and the staff report views (Chinese, in the browser).
    path("docking/", include("procurement.docking.urls")),
    # Anything else outside the admin answers in the envelope too, even with DEBUG on.
    re_path(r"^(?!admin/|static/|media/|api/).*$", views.not_found),
]

handler400 = "procurement.views.bad_request"
handler403 = "procurement.views.permission_denied"
handler404 = "procurement.views.not_found"
handler500 = "procurement.views.server_error"
