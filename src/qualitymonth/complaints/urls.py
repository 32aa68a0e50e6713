from django.urls import path

from qualitymonth.complaints.views import public

app_name = "complaints"

urlpatterns = [
    path("", public.home, name="home"),
    path("new/", public.new, name="new"),
    path("similar/", public.similar, name="similar"),
    path("submitted/<str:tracking_number>/", public.submitted, name="submitted"),
    path("track/", public.track, name="track"),
    path("track/<str:tracking_number>/", public.case, name="case"),
    path("track/<str:tracking_number>/rate/", public.rate, name="rate"),
    path("board/", public.board, name="board"),
]
