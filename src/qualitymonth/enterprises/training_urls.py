from django.urls import path, re_path

from qualitymonth.enterprises.views import trainings as views

app_name = "trainings"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^(?P<activity_id>[0-9]{1,18})/register/$", views.register, name="register"),
    path("mine/", views.mine, name="mine"),
    path("cqos/new/", views.cqo_new, name="cqo_new"),
    re_path(r"^cqos/(?P<pk>[0-9]{1,18})/end/$", views.cqo_end, name="cqo_end"),
    re_path(
        r"^cqos/(?P<pk>[0-9]{1,18})/certificate/$", views.cqo_certificate, name="cqo_certificate"
    ),
    re_path(r"^cqos/(?P<pk>[0-9]{1,18})/letter/$", views.cqo_letter, name="cqo_letter"),
    re_path(r"^verify/(?P<number>CQO-[0-9]{4}-[0-9]{5})/$", views.verify, name="verify"),
]
