from django.urls import path

from qualitymonth.supervision.views import cases as views

app_name = "sv_case"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("publicity/", views.publicity_list, name="publicity"),
    path("publicity/<str:number>/", views.publicity_detail, name="publicity_detail"),
    path("publicity/<str:number>/publish/", views.publicity_publish, name="publicity_publish"),
    path("publicity/<str:number>/withdraw/", views.publicity_withdraw, name="publicity_withdraw"),
    path("publicity/<str:number>/remove/", views.publicity_remove, name="publicity_remove"),
    path("typical/", views.typical_list, name="typical"),
    path("typical/new/", views.typical_new, name="typical_new"),
    path("typical/<int:pk>/", views.typical_detail, name="typical_detail"),
    path("typical/<int:pk>/edit/", views.typical_edit, name="typical_edit"),
    path("typical/<int:pk>/submit/", views.typical_submit, name="typical_submit"),
    path("typical/<int:pk>/approve/", views.typical_approve, name="typical_approve"),
    path("typical/<int:pk>/return/", views.typical_return, name="typical_return"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/edit/", views.case_edit, name="edit"),
    path("<str:number>/decision/", views.case_decide, name="decide"),
    path("<str:number>/change/", views.case_change, name="change"),
]
