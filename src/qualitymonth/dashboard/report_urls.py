"""The end-of-campaign Word report: start, progress, download (/office/dashboard/reports/)."""


app_name = "dashboard_reports"

urlpatterns: list = []
