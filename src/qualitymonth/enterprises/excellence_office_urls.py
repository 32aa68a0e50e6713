"""The office's and the experts' pages of the self-assessment (mounted at /office/excellence/)."""

from django.urls import path, re_path

from qualitymonth.enterprises.views import excellence as views

app_name = "excellence_office"
ID = r"[0-9]{1,18}"
urlpatterns = [
    path("", views.office_list, name="list"),
    re_path(rf"^(?P<pk>{ID})/$", views.office_detail, name="detail"),
    re_path(rf"^(?P<pk>{ID})/review/$", views.review, name="review"),
    re_path(rf"^(?P<pk>{ID})/reopen/$", views.reopen, name="reopen"),
]
