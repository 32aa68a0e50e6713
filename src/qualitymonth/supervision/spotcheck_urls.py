from django.urls import path

from qualitymonth.supervision.views import spotchecks as views

app_name = "sv_spotcheck"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new, name="new"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/samples/new/", views.sample_new, name="sample_new"),
    path("<int:pk>/publish/", views.plan_publish, name="publish"),
    path("samples/<str:number>/", views.sample_detail, name="sample"),
    path("samples/<str:number>/record/", views.sample_record, name="record"),
    path("samples/<str:number>/result/", views.sample_result, name="result"),
    path("samples/<str:number>/received/", views.sample_received, name="received"),
    path("samples/<str:number>/retest/", views.sample_retest_result, name="retest_result"),
    path("samples/<str:number>/recheck/", views.sample_recheck, name="recheck"),
]
