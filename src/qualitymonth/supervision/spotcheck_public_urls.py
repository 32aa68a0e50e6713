from django.urls import path

from qualitymonth.supervision.views import spotchecks as views

app_name = "sv_spotcheck_public"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("mine/", views.mine_list, name="mine"),
    path("mine/<str:number>/", views.mine_detail, name="mine_sample"),
    path("mine/<str:number>/retest/", views.mine_retest, name="mine_retest"),
]
