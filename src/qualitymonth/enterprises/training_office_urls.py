from django.urls import path, re_path

from qualitymonth.enterprises.views import trainings_office as views

app_name = "trainings_office"
urlpatterns = [
    path("", views.training_list, name="list"),
    path("mark/", views.mark, name="mark"),
    path("cqos/", views.cqo_register, name="register"),
    path("cqos/export/", views.cqo_register_export, name="register_export"),
    re_path(r"^(?P<activity_id>[0-9]{1,18})/$", views.attendance, name="attendance"),
    re_path(r"^(?P<activity_id>[0-9]{1,18})/certificates/$", views.certify, name="certify"),
]
