from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from qualitymonth.api import errors as api_errors
from qualitymonth.api.urls import api
from qualitymonth.core import health
from qualitymonth.core.media import serve_media
from qualitymonth.core.views_auth import LoginView, after_login, healthz

urlpatterns = [
    # First: Django tries the patterns in order, and the API carries the bursts (quiz, votes).
    path("api/", api.urls),
    # Any other address under api/ (an id that is not a number, a typo): the API's JSON 404.
    re_path(r"^api/", api_errors.not_found),
    path("", include("qualitymonth.campaigns.urls")),
    path("office/quiz/", include("qualitymonth.quiz.office_urls")),
    path("office/complaints/", include("qualitymonth.complaints.office_urls")),
    path("office/stories/", include("qualitymonth.showcase.office_urls")),
    path("office/science/", include("qualitymonth.showcase.office_article_urls")),
    path("office/contest/", include("qualitymonth.contest.office_urls")),
    path("office/workdays/", include("qualitymonth.core.office_urls")),
    path("office/enterprises/", include("qualitymonth.enterprises.office_urls")),
    path("enterprises/", include("qualitymonth.enterprises.urls")),
    path("office/needs/", include("qualitymonth.enterprises.need_office_urls")),
    path("services/", include("qualitymonth.enterprises.need_urls")),
    path("office/programmes/", include("qualitymonth.enterprises.programme_urls")),
    path("trainings/", include("qualitymonth.enterprises.training_urls")),
    path("office/trainings/", include("qualitymonth.enterprises.training_office_urls")),
    path("excellence/", include("qualitymonth.enterprises.excellence_urls")),
    path("office/excellence/", include("qualitymonth.enterprises.excellence_office_urls")),
    path("office/dashboard/reports/", include("qualitymonth.dashboard.report_urls")),
    path("office/dashboard/", include("qualitymonth.dashboard.urls")),
    path("campaigns/<slug:slug>/results/", include("qualitymonth.dashboard.public_urls")),
    path("office/supervision/", include("qualitymonth.supervision.directory_urls")),
    path("office/supervision/plans/", include("qualitymonth.supervision.draw_urls")),
    path("office/supervision/spot-checks/", include("qualitymonth.supervision.spotcheck_urls")),
    path("office/supervision/cases/", include("qualitymonth.supervision.case_urls")),
    path("inspect/hazards/", include("qualitymonth.supervision.hazard_urls")),
    path("inspect/", include("qualitymonth.supervision.inspection_urls")),
    path("supervision/results/", include("qualitymonth.supervision.draw_public_urls")),
    path("supervision/spot-checks/", include("qualitymonth.supervision.spotcheck_public_urls")),
    path("supervision/", include("qualitymonth.supervision.case_public_urls")),
    path("contest/", include("qualitymonth.contest.urls")),
    path("complaints/", include("qualitymonth.complaints.urls")),
    path("", include("qualitymonth.showcase.urls")),
    path("open311/v2/", include("qualitymonth.complaints.open311_urls")),
    path("office/", include("qualitymonth.campaigns.office_urls")),
    path("quiz/", include("qualitymonth.quiz.urls")),
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/welcome/", after_login, name="after_login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    # Uploaded photos and videos, with Range so players can seek. In production the shared
    # storage or the proxy serves them.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media"),
]

# A request Django refuses before any view (an unreadable body): JSON for API clients.
handler400 = api_errors.bad_request
# PostgreSQL or Redis away mid-request: 503 with Retry-After (core/outage.py); otherwise a 500.
handler500 = "qualitymonth.core.outage.server_error"

admin.site.site_header = "质量月平台管理 · Quality Month admin"
admin.site.site_title = "质量月 Quality Month"
