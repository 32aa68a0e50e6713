from django.urls import path

from qualitymonth.supervision.views import draws as views

app_name = "sv_draw_public"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<str:number>/", views.public_detail, name="detail"),
    path("<str:number>/draw.json", views.public_draw_json, name="draw_json"),
]
