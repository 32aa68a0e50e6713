from django.urls import path

from qualitymonth.contest import views

app_name = "contest"

urlpatterns = [
    path("", views.current, name="current"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/submit/", views.submit, name="submit"),
    path("<slug:slug>/mine/", views.mine, name="mine"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/verify/", views.verify, name="verify"),
    path("entries/<int:pk>/", views.entry, name="entry"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/vote/", views.vote, name="vote"),
    path("entries/<int:pk>/poster.png", views.entry_poster, name="poster"),
    path("entries/<int:pk>/<str:kind>", views.entry_media, name="media"),
]
