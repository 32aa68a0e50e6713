from django.urls import path

from qualitymonth.showcase import office_views

app_name = "office_stories"

urlpatterns = [
    path("", office_views.stories, name="list"),
    path("new/", office_views.story_edit, name="new"),
    path("<int:pk>/", office_views.story_edit, name="edit"),
    path("<int:pk>/<slug:step>/", office_views.story_step, name="step"),
]
