from django.urls import path

from qualitymonth.showcase import views

app_name = "showcase"

urlpatterns = [
    path("", views.articles, name="articles"),
    path("<slug:slug>/", views.article, name="article"),
]
