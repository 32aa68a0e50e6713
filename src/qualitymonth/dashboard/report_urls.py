"""The end-of-campaign Word report: start, progress, download (/office/dashboard/reports/)."""

from django.urls import path

from qualitymonth.dashboard import report_views as views

app_name = "dashboard_reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("start/", views.report_start, name="start"),
    path("<int:pk>/", views.report_job, name="job"),
    path("<int:pk>/file/", views.report_download, name="download"),
]
