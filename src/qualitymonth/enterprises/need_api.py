"""The one-stop service through the API: enterprises file and rate needs, the office dispatches,
providers serve. The same services as the pages (the same rights, checks and audit trail); a
need the caller may not see is "not found"."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.schemas import Line, Text
from qualitymonth.enterprises import need_selectors as selectors
from qualitymonth.enterprises.models import Enterprise, Provider, ServiceType
from qualitymonth.enterprises.need_forms import NeedFilterForm
from qualitymonth.enterprises.need_schemas import (
    DeliverableOut,
    DispatchIn,
    FeesIn,
    NeedDetailOut,
    NeedFilterIn,
    NeedIn,
    NeedOut,
    NeedRateIn,
    NeedReasonIn,
    SuggestionOut,
    VisitOut,
)
from qualitymonth.enterprises.permissions import NeedAction
from qualitymonth.enterprises.services import needs as services

router = Router(tags=["one-stop service"], auth=django_auth)


def _need(request, number: str):
    found = selectors.need_for(request.user, number)
    if found is None:
        raise Http404
    return found


# --- the enterprise ------------------------------------------------------------------------------
@router.post(
    "/needs",
    response={201: NeedDetailOut, **errors(400)},
    summary="File a need for one of my enterprises",
    description="The response clock starts today (`respond_by`, in working days).",
)
def need_create(request, body: NeedIn):
    enterprise = Enterprise.objects.select_related("region").filter(pk=body.enterprise_id).first()
    if enterprise is None:
        raise ValidationError({"enterprise_id": _("No such enterprise.")})
    service_type = ServiceType.objects.filter(code=body.service_type, is_active=True).first()
    if service_type is None:
        policy.require(request.user, NeedAction.FILE, enterprise)  # a stranger learns nothing
        raise ValidationError({"service_type": _("Choose a service from the catalogue.")})
    need = services.need_file(
        enterprise=enterprise,
        service_type=service_type,
        description=body.description,
        products=body.products,
        wished_from=body.wished_from,
        wished_until=body.wished_until,
        public_consent=body.public_consent,
        acting_user=request.user,
    )
    return Status(201, _need(request, need.number))


@router.get("/needs", response=list[NeedOut], summary="The needs of my enterprises, newest first")
@paginate(Pagination, page_size=50)
def need_list(request):
    return selectors.enterprise_needs(request.user)


@router.get("/needs/{number}", response=NeedDetailOut, summary="One need I may see")
def need_detail(request, number: Line):
    return _need(request, number)


@router.post(
    "/needs/{number}/rate",
    response={200: NeedDetailOut, **errors(400, 409)},
    summary="Confirm a delivered service and rate it (1–5); the need is closed",
)
def need_rate(request, number: Line, body: NeedRateIn):
    return services.need_rate(
        need=_need(request, number),
        acting_user=request.user,
        rating=body.rating,
        comment=body.comment,
    )


# --- the office --------------------------------------------------------------------------------
@router.get(
    "/office/needs",
    response=list[NeedOut],
    summary="The office's needs, filtered (clock: due_soon | overdue)",
)
@paginate(Pagination, page_size=50)
def office_need_list(request, filters: Query[NeedFilterIn]):
    if not policy.is_office(request.user):
        raise PermissionDenied(NeedAction.DISPATCH)
    form = NeedFilterForm(filters.model_dump())
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return selectors.office_needs(request.user, form.filters())


@router.post(
    "/office/needs/{number}/accept",
    response={200: NeedDetailOut, **errors(409)},
    summary="Accept a submitted need (the completion clock starts)",
)
def office_need_accept(request, number: Line):
    return services.need_accept(need=_need(request, number), acting_user=request.user)


@router.post(
    "/office/needs/{number}/decline",
    response={200: NeedDetailOut, **errors(409)},
    summary="Decline a need with a reason the enterprise reads",
)
def office_need_decline(request, number: Line, body: NeedReasonIn):
    return services.need_decline(
        need=_need(request, number), acting_user=request.user, reason=body.reason
    )


@router.post(
    "/office/needs/{number}/dispatch",
    response={200: NeedDetailOut, **errors(409)},
    summary="Send a need to a provider offering its service (accepts a submitted need)",
    description="Another provider than the first suggestion needs a `reason`.",
)
def office_need_dispatch(request, number: Line, body: DispatchIn):
    need = _need(request, number)
    provider = Provider.objects.filter(pk=body.provider_id).first()
    if provider is None:
        policy.require(request.user, NeedAction.DISPATCH, need)
        raise ValidationError({"provider": _("Choose a provider that offers this service.")})
    return services.need_dispatch(
        need=need, provider=provider, acting_user=request.user, reason=body.reason
    )


@router.get(
    "/office/needs/{number}/suggestions",
    response=list[SuggestionOut],
    summary="Providers for a need: fewest open needs, then best rated, then by name",
)
def office_need_suggestions(request, number: Line):
    need = selectors.need_to_dispatch(request.user, number)
    if need is None:
        raise Http404
    return list(selectors.dispatch_suggestions(need))


# --- the provider ------------------------------------------------------------------------------
@router.post(
    "/office/needs/{number}/start",
    response={200: NeedDetailOut, **errors(409)},
    summary="Start serving a need sent to me",
)
def provider_need_start(request, number: Line):
    return services.need_start(need=_need(request, number), acting_user=request.user)


@router.post(
    "/office/needs/{number}/visits",
    response={201: VisitOut, **errors(409)},
    summary="Log a visit (multipart; the photo is optional, JPEG/PNG/WebP up to 5 MB)",
)
@body_limit(services.PHOTO_MAX_MB)
def provider_visit_log(
    request,
    number: Line,
    visited_on: Form[dt.date],
    notes: Form[Text],
    problems_found: Form[int] = 0,
    problems_solved: Form[int] = 0,
    photo: File[UploadedFile | None] = None,
):
    visit = services.visit_log(
        need=_need(request, number),
        acting_user=request.user,
        visited_on=visited_on,
        notes=notes,
        problems_found=problems_found,
        problems_solved=problems_solved,
        photo=photo,
    )
    return Status(201, visit)


@router.post(
    "/office/needs/{number}/deliverables",
    response={201: DeliverableOut, **errors(409)},
    summary="Add a deliverable (multipart; a PDF or picture up to 10 MB)",
)
@body_limit(services.DELIVERABLE_MAX_MB)
def provider_deliverable_add(
    request, number: Line, title: Form[Line], file: File[UploadedFile | None] = None
):
    deliverable = services.deliverable_add(
        need=_need(request, number), acting_user=request.user, title=title, file=file
    )
    return Status(201, deliverable)


@router.post(
    "/office/needs/{number}/deliver",
    response={200: NeedDetailOut, **errors(409)},
    summary="Deliver the service, with the fees (charged at most the standard fee)",
)
def provider_need_deliver(request, number: Line, body: FeesIn):
    return services.need_deliver(
        need=_need(request, number),
        acting_user=request.user,
        fee_standard=body.fee_standard,
        fee_charged=body.fee_charged,
        relief=body.relief,
    )
