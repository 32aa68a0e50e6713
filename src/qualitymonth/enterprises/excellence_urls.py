"""An enterprise's GB/T 19580 self-assessments (mounted at /excellence/)."""

from django.urls import path, re_path

from qualitymonth.enterprises.views import excellence as views

app_name = "excellence"
# Ids are bounded: a number past 64 bits would reach the database and fail there.
ID = r"[0-9]{1,18}"
urlpatterns = [
    path("", views.mine, name="mine"),
    re_path(rf"^(?P<enterprise_id>{ID})/start/$", views.start, name="start"),
    re_path(rf"^(?P<enterprise_id>{ID})/(?P<year>[0-9]{{4}})/$", views.edit, name="edit"),
    re_path(rf"^a/(?P<pk>{ID})/$", views.detail, name="detail"),
    re_path(rf"^a/(?P<pk>{ID})/submit/$", views.submit, name="submit"),
]
