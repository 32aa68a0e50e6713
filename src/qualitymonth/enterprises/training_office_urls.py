from django.urls import path  # noqa: F401

app_name = "trainings_office"
urlpatterns: list = []
