from django.urls import path  # noqa: F401

app_name = "sv_draw_public"
urlpatterns: list = []
