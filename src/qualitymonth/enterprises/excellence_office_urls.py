from django.urls import path  # noqa: F401

app_name = "excellence_office"
urlpatterns: list = []
