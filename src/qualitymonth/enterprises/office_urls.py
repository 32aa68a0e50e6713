from django.urls import path

from qualitymonth.enterprises.views import office, office_claims

app_name = "enterprises_office"
urlpatterns = [
    path("", office.enterprise_list, name="list"),
    path("new/", office.enterprise_edit, name="new"),
    path("import/", office.enterprise_import, name="import"),
    path("import/template/", office.import_template, name="import_template"),
    path("export/", office.enterprise_export, name="export"),
    path("<int:pk>/", office.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", office.enterprise_edit, name="edit"),
    path("<int:pk>/steward/", office.enterprise_steward, name="steward"),
]

# Claims (enterprise accounts): the office checks the licence and decides (h12).
urlpatterns += [
    path("claims/", office_claims.claims, name="claims"),
    path("claims/<int:pk>/", office_claims.claim, name="claim"),
    path("claims/<int:pk>/licence/", office_claims.licence, name="claim_licence"),
    path("claims/<int:pk>/approve/", office_claims.approve, name="claim_approve"),
    path("claims/<int:pk>/decline/", office_claims.decline, name="claim_decline"),
]
