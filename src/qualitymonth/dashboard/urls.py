"""The office's and units' dashboard, the large screen and chart exports (/office/dashboard/)."""

from django.urls import path

app_name = "dashboard"

urlpatterns: list = []
