from django.urls import path  # noqa: F401

app_name = "sv_hazard"
urlpatterns: list = []
