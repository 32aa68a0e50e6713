from django.urls import path

from qualitymonth.supervision.views import hazards as views

app_name = "sv_hazard"
urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("mine/", views.hazard_mine, name="mine"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/reply/", views.hazard_reply, name="reply"),
    path("<int:pk>/reinspect/", views.hazard_reinspect, name="reinspect"),
    path("<int:pk>/extend/", views.hazard_extend, name="extend"),
    path("<int:pk>/photos/<int:photo_pk>/", views.hazard_photo, name="photo"),
    path("<int:pk>/replies/<int:reply_pk>/photo/", views.reply_photo, name="reply_photo"),
]
