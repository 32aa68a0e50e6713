from django.urls import path

from qualitymonth.showcase import office_views

app_name = "office_articles"

urlpatterns = [
    path("", office_views.articles, name="list"),
    path("new/", office_views.article_edit, name="new"),
    path("<int:pk>/", office_views.article_edit, name="edit"),
    path("<int:pk>/pick/", office_views.article_pick, name="pick"),
    path("<int:pk>/<slug:step>/", office_views.article_step, name="step"),
]
