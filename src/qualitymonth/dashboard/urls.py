"""The office's and units' dashboard, the large screen and chart exports (/office/dashboard/)."""

from django.urls import path

from qualitymonth.dashboard import views

app_name = "dashboard"

urlpatterns: list = [
    path("", views.home, name="home"),
    path("screen/", views.screen, name="screen"),
    path("data/", views.data, name="data"),
    path("export/scoreboard.xlsx", views.scoreboard_export, name="scoreboard_export"),
    path("export/<str:section>/<str:key>.xlsx", views.export, name="export"),
]
