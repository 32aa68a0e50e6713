from django.urls import path

from qualitymonth.showcase import views

app_name = "showcase"

urlpatterns = [
    path("science/", views.articles, name="articles"),
    path("science/<slug:slug>/", views.article, name="article"),
    path("stories/", views.stories, name="stories"),
    path("stories/broadcast/", views.broadcast, name="broadcast"),
    path("stories/<slug:slug>/", views.story, name="story"),
    path("stories/<slug:slug>/like/", views.story_like, name="story_like"),
]
