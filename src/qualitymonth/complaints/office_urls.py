from django.urls import path

from qualitymonth.complaints.views import office

app_name = "office_complaints"

urlpatterns = [
    path("", office.cases, name="cases"),
    path("triage/", office.cases, {"triage": True}, name="triage"),
    path("export.xlsx", office.export, name="export"),
    path("hotspots/", office.hotspots, name="hotspots"),
    path("hotspots/<int:pk>/", office.hotspot_action, name="hotspot_action"),
    path("<str:tracking_number>/", office.case_detail, name="case"),
    path("<str:tracking_number>/step/", office.case_step, name="step"),
    path("<str:tracking_number>/move/", office.case_move, name="move"),
    path("<str:tracking_number>/personal/", office.case_personal, name="personal"),
    path("<str:tracking_number>/files/<int:pk>/", office.attachment, name="attachment"),
]
