"""A URLconf for tests/core/test_outage.py: views that raise what the test sets."""

from django.urls import path

ERROR: list[BaseException] = []


def broken(request):
    raise ERROR[0]


urlpatterns = [path("page/", broken), path("api/broken", broken)]
handler500 = "qualitymonth.core.outage.server_error"
