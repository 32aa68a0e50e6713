from django.urls import path

from qualitymonth.enterprises.views import programmes as views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_new, name="new"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/targets/", views.targets_build, name="targets"),
    path("<int:pk>/targets.xlsx", views.targets_export, name="export"),
    path("<int:pk>/targets/<int:target_pk>/remove/", views.target_remove, name="target_remove"),
    path("<int:pk>/visits/", views.visits_plan, name="visits"),
]
