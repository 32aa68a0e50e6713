from django.urls import path

from qualitymonth.quiz.views import public

app_name = "quiz"

urlpatterns = [
    path("", public.quiz_home, name="current"),
    path("<slug:slug>/", public.quiz_home, name="quiz"),
    path("<slug:slug>/verify/", public.verify_mobile, name="verify_mobile"),
    path("<slug:slug>/start/", public.start, name="start"),
    path("<slug:slug>/leaderboard/", public.leaderboard_page, name="leaderboard"),
    path("attempts/<str:token>/", public.attempt_page, name="attempt"),
    path("attempts/<str:token>/answer/", public.answer, name="answer"),
    path("attempts/<str:token>/submit/", public.submit, name="submit"),
    path("attempts/<str:token>/result/", public.result, name="result"),
    path("attempts/<str:token>/certificate/", public.certificate_name, name="certificate_name"),
    path("attempts/<str:token>/certificate.pdf", public.certificate, name="certificate"),
    path("certificates/<str:code>/", public.verify_certificate, name="verify_certificate"),
]
