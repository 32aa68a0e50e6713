from django.urls import re_path

from qualitymonth.complaints import open311

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(rf"^services{FMT}", open311.service_list, name="services"),
    re_path(rf"^services/(?P<code>[\w-]+){FMT}", open311.service_definition, name="service"),
    re_path(rf"^requests{FMT}", open311.requests, name="requests"),
    re_path(rf"^requests/(?P<request_id>[\w-]+){FMT}", open311.request_detail, name="request"),
]
