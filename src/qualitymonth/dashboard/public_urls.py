"""The public results page of a campaign (质量月成效)."""

from django.urls import path

from qualitymonth.dashboard import views

app_name = "results"

urlpatterns: list = [
    path("", views.results, name="results"),
]
