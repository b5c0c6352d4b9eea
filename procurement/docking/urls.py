"""/docking/…: the supplier docking pages, the report check page and the staff report views (namespace docking)."""
from django.urls import path

from procurement.docking import pages, views

app_name = "docking"

urlpatterns = [
    path("", pages.sign_in, name="sign_in"),
    path("sign-out/", pages.sign_out, name="sign_out"),
    path("home/", pages.home, name="home"),
    path("environment/", pages.environment, name="environment"),
    path("runs/start/", pages.start, name="start"),
    path("runs/<int:run_id>/", pages.run_page, name="run"),
    path("runs/<int:run_id>/progress.json", pages.run_progress, name="run_progress"),
    path("runs/<int:run_id>/cases/<str:name>/rerun/", pages.rerun, name="case_rerun"),
    path("runs/<int:run_id>/report/", pages.report, name="report"),
    path("runs/<int:run_id>/report.pdf", pages.report_pdf, name="report_pdf"),
    path("verify/", views.verify, name="verify"),
    path("staff/runs/<int:run_id>/report/", views.staff_report, name="staff_report"),
    path("staff/runs/<int:run_id>/report.pdf", views.staff_report_pdf, name="staff_report_pdf"),
]
