from django.urls import path

from qualitymonth.contest import office_views as views

app_name = "contest_office"

urlpatterns = [
    path("", views.contests, name="contests"),
    path("new/", views.contest_new, name="contest_new"),
    path("judging/", views.judging, name="judging"),
    path("judging/<int:pk>/", views.score, name="score"),
    path("entries/<int:pk>/", views.moderate, name="moderate"),
    path("<slug:slug>/", views.contest, name="contest"),
    path("<slug:slug>/settings/", views.contest_settings, name="settings"),
    path("<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("<slug:slug>/assign/", views.assign, name="assign"),
    path("<slug:slug>/ranking/", views.ranking, name="ranking"),
    path("<slug:slug>/votes/", views.votes, name="votes"),
]
