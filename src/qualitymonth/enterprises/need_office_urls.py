from django.urls import path, re_path

from qualitymonth.enterprises.views import catalogue
from qualitymonth.enterprises.views import needs_office as views

app_name = "needs_office"
NUMBER = r"(?P<number>N[0-9]{8,14})"
urlpatterns = [
    path("", views.need_list, name="list"),
    path("queue/", views.queue, name="queue"),
    re_path(rf"^{NUMBER}/$", views.detail, name="detail"),
    re_path(rf"^{NUMBER}/accept/$", views.accept, name="accept"),
    re_path(rf"^{NUMBER}/decline/$", views.decline, name="decline"),
    re_path(rf"^{NUMBER}/dispatch/$", views.dispatch, name="dispatch"),
    re_path(rf"^{NUMBER}/close/$", views.close, name="close"),
    re_path(rf"^{NUMBER}/fees/$", views.fees, name="fees"),
    re_path(rf"^{NUMBER}/start/$", views.start, name="start"),
    re_path(rf"^{NUMBER}/visit/$", views.visit, name="visit"),
    re_path(rf"^{NUMBER}/deliverable/$", views.deliverable, name="deliverable"),
    re_path(rf"^{NUMBER}/deliver/$", views.deliver, name="deliver"),
]

# The service catalogue: types, their terms and providers (h15).
urlpatterns += [
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/types/<slug:code>/", catalogue.service_type_edit, name="service_type"),
    path("catalogue/providers/", catalogue.providers, name="providers"),
    path("catalogue/providers/new/<slug:kind>/", catalogue.provider_new, name="provider_new"),
    path("catalogue/providers/<int:pk>/", catalogue.provider_edit, name="provider"),
]
