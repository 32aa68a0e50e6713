from django.urls import path

from qualitymonth.quiz.views import office

app_name = "office_quiz"

urlpatterns = [
    path("questions/", office.questions, name="questions"),
    path("questions/new/", office.question_edit, name="question_new"),
    path("questions/<int:pk>/", office.question_edit, name="question_edit"),
    path("questions/export.xlsx", office.questions_export, name="questions_export"),
    path("questions/import/", office.questions_import, name="questions_import"),
    path("new/", office.quiz_new, name="quiz_new"),
    path("<slug:slug>/settings/", office.quiz_settings, name="settings"),
    path("<slug:slug>/stats/", office.quiz_stats, name="stats"),
    path("<slug:slug>/flagged/", office.flagged, name="flagged"),
    path("attempts/<int:pk>/exclude/", office.attempt_exclude, name="attempt_exclude"),
]
