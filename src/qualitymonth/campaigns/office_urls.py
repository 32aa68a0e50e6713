from django.urls import path

from qualitymonth.campaigns.views import office, participation

app_name = "office"

urlpatterns = [
    path("", office.home, name="home"),
    path("campaigns/new/", office.campaign_new, name="campaign_new"),
    path("activities/new/", office.activity_new, name="activity_new"),
    path("activities/import/", office.activity_import, name="activity_import"),
    path(
        "activities/import/template.xlsx", office.import_template_download, name="import_template"
    ),
    path("activities/<int:pk>/", office.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", office.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/steps/<slug:step>/", office.activity_step, name="activity_step"),
    path("activities/<int:pk>/registrations/", office.registrations, name="registrations"),
    path(
        "activities/<int:pk>/registrations.xlsx",
        office.registrations_export,
        name="registrations_export",
    ),
    path("activities/<int:pk>/checkin/", office.checkin, name="checkin"),
    path("activities/<int:pk>/report/", office.report, name="report"),
    path("participations/", participation.office_list, name="participations"),
    path("participations/<int:pk>/", participation.office_detail, name="participation"),
    path(
        "participations/<int:pk>/accept/",
        participation.office_accept,
        name="participation_accept",
    ),
    path(
        "participations/<int:pk>/decline/",
        participation.office_decline,
        name="participation_decline",
    ),
    path("checkin/<str:code>/", office.checkin_code, name="checkin_code"),
]
