"""The public results page of a campaign (质量月成效)."""

from django.urls import path

app_name = "results"

urlpatterns: list = []
