from django.urls import path

from qualitymonth.supervision.views import draws as views

app_name = "sv_draw"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("new/", views.plan_new, name="plan_new"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/tasks/new/", views.task_new, name="task_new"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<str:number>/", views.task_detail, name="task"),
    path("tasks/<str:number>/draw/", views.task_draw, name="draw"),
    path("tasks/<str:number>/draw.json", views.draw_json, name="draw_json"),
    path("tasks/<str:number>/publish/", views.results_publish, name="publish"),
    path("drawn/<int:pk>/replace/", views.subject_replace, name="replace"),
    path(
        "drawn/<int:pk>/inspectors/<int:inspector_id>/replace/",
        views.inspector_replace,
        name="replace_inspector",
    ),
    path("drawn/<int:pk>/result/", views.result_record, name="result"),
    path("drawn/<int:pk>/publish/", views.drawn_publish, name="publish_one"),
    path("overdue/", views.overdue, name="overdue"),
]
