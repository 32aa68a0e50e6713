from django.urls import path

from qualitymonth.core import views_workdays

app_name = "office_workdays"

urlpatterns = [
    path("", views_workdays.workday_list, name="list"),
    path("new/", views_workdays.workday_new, name="new"),
    path("<int:pk>/", views_workdays.workday_edit, name="edit"),
    path("<int:pk>/delete/", views_workdays.workday_delete, name="delete"),
]
