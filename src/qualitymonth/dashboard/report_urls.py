"""The end-of-campaign Word report: start, progress, download (/office/dashboard/reports/)."""

from django.urls import path

app_name = "dashboard_reports"

urlpatterns: list = []
