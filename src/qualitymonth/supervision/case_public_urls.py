from django.urls import path

from qualitymonth.supervision.views import cases as views

app_name = "sv_case_public"
urlpatterns = [
    path("penalties/", views.public_penalties, name="penalties"),
    path("typical-cases/", views.public_typical, name="typical"),
    path("typical-cases/<int:pk>/", views.public_typical_detail, name="typical_detail"),
]
