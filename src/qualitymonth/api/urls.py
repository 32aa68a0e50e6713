"""The JSON API: one NinjaAPI, one OpenAPI document (/api/docs), a router per app."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError

from qualitymonth.api.docs import SelfHostedSwagger
from qualitymonth.api.errors import document_common_errors
from qualitymonth.campaigns.api import office_router
from qualitymonth.campaigns.api import router as campaigns_router
from qualitymonth.campaigns.participation_api import router as participation_router
from qualitymonth.complaints.api import office_router as complaints_office_router
from qualitymonth.complaints.api import router as complaints_router
from qualitymonth.contest.api import router as contest_router
from qualitymonth.contest.office_api import router as contest_office_router
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.dashboard.api import router as dashboard_router
from qualitymonth.dashboard.report_api import router as dashboard_report_router
from qualitymonth.enterprises.api import router as enterprises_router
from qualitymonth.enterprises.excellence_api import router as excellence_router
from qualitymonth.enterprises.need_api import router as needs_router
from qualitymonth.enterprises.office_api import router as enterprises_office_router
from qualitymonth.enterprises.programme_api import router as programmes_router
from qualitymonth.enterprises.training_api import router as trainings_router
from qualitymonth.quiz.api import router as quiz_router
from qualitymonth.showcase.api import router as showcase_router
from qualitymonth.showcase.office_api import router as showcase_office_router
from qualitymonth.supervision.case_api import router as sv_case_router
from qualitymonth.supervision.directory_api import router as sv_directory_router
from qualitymonth.supervision.draw_api import router as sv_draw_router
from qualitymonth.supervision.hazard_api import router as sv_hazard_router
from qualitymonth.supervision.inspection_api import router as sv_inspection_router
from qualitymonth.supervision.spotcheck_api import router as sv_spotcheck_router


class QualityMonthAPI(NinjaAPI):
    """ninja's API, whose document also lists the errors every operation can give."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_common_errors(schema)


api = QualityMonthAPI(
    title="质量月平台 Quality Month API",
    version="1",
    description=(
        "Campaigns, activities, registration and check-in, the quiz, the micro-video contest, "
        "complaints and reports. "
        "质量月活动、报名签到、知识竞答、微视频大赛、投诉举报接口。"
    ),
    urls_namespace="api",
    docs=SelfHostedSwagger(),
)
api.add_router("/", campaigns_router)
api.add_router("/office/", office_router)
api.add_router("/", quiz_router)
api.add_router("/", complaints_router)
api.add_router("/office/", complaints_office_router)
api.add_router("/", showcase_router)
api.add_router("/office/", showcase_office_router)
api.add_router("/", contest_router)
api.add_router("/office/", contest_office_router)
api.add_router("/", enterprises_router)
api.add_router("/office/", enterprises_office_router)
api.add_router("/", needs_router)
# Routers below write their full paths (/office/... for the office's operations).
api.add_router("/", programmes_router)
api.add_router("/", trainings_router)
api.add_router("/", excellence_router)
api.add_router("/", participation_router)
api.add_router("/", sv_directory_router)
api.add_router("/", sv_draw_router)
api.add_router("/", sv_inspection_router)
api.add_router("/", sv_hazard_router)
api.add_router("/", sv_spotcheck_router)
api.add_router("/", sv_case_router)
api.add_router("/", dashboard_router)
api.add_router("/", dashboard_report_router)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    body = {"detail": " ".join(exc.messages), "code": getattr(exc, "code", None) or "invalid"}
    if hasattr(exc, "error_dict"):
        body["errors"] = {
            field: [str(m) for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
        body["code"] = next(
            (e.code for errs in exc.error_dict.values() for e in errs if e.code), "invalid"
        )
    status = (
        429 if body["code"] == "rate_limited" else 409 if body["code"] in _CONFLICT_CODES else 400
    )
    return api.create_response(request, body, status=status)


_CONFLICT_CODES = {
    "already_checked_in",
    "duplicate",
    "already_cancelled",
    "invalid_transition",
    "waitlisted",
    "cancelled",
    "finished",
    "time_up",
    "daily_limit",
    "in_progress",
    "closed",
    "limit",
    "too_early",
}


@api.exception_handler(PermissionDenied)
@api.exception_handler(DjangoPermissionDenied)
def permission_denied(request, exc):
    return api.create_response(
        request, {"detail": "Forbidden / 无权操作", "code": "forbidden"}, status=403
    )


# ninja's own refusals (no session: 401; its CSRF check: 403; a throttle: 429) in the shape of
# every other error, with a code.
_HTTP_CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 429: "rate_limited"}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    code = _HTTP_CODES.get(exc.status_code, "error")
    return api.create_response(request, {"detail": str(exc), "code": code}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(
        request, {"detail": "Not found / 未找到", "code": "not_found"}, status=404
    )
