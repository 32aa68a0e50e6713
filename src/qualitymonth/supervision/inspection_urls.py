from django.urls import path, re_path

from qualitymonth.supervision.views import inspections as views

app_name = "sv_inspection"
NUMBER = r"inspections/(?P<number>[A-Za-z0-9-]{1,24})"
ITEM = NUMBER + r"/items/(?P<item_id>[0-9]{1,18})"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.start_adhoc, name="new"),
    path("drawn/<int:pk>/start/", views.start_drawn, name="start_drawn"),
    path("inspections/", views.inspection_list, name="list"),
    re_path(rf"^{NUMBER}/$", views.detail, name="detail"),
    re_path(rf"^{ITEM}/$", views.item, name="item"),
    re_path(rf"^{ITEM}/answer/$", views.answer, name="answer"),
    re_path(rf"^{ITEM}/hazard/$", views.hazard, name="hazard"),
    re_path(rf"^{ITEM}/photos/$", views.photo_upload, name="photo_upload"),
    re_path(rf"^{NUMBER}/photos/(?P<pk>[0-9]{{1,18}})/$", views.photo, name="photo"),
    re_path(
        rf"^{NUMBER}/photos/(?P<pk>[0-9]{{1,18}})/remove/$", views.photo_remove, name="photo_remove"
    ),
    re_path(rf"^{NUMBER}/finish/$", views.finish, name="finish"),
    re_path(rf"^{NUMBER}/representative/$", views.representative, name="representative"),
    re_path(rf"^{NUMBER}/sign/$", views.sign, name="sign"),
    re_path(rf"^{NUMBER}/cancel/$", views.cancel, name="cancel"),
    path("checklists/", views.checklists, name="checklists"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist"),
    path("checklists/<int:pk>/edit/", views.checklist_edit, name="checklist_edit"),
]
