"""JSON endpoints of the complaints app (mounted by qualitymonth.api)."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.campaigns.selectors import campaign_for_request
from qualitymonth.complaints import selectors, services, tracking
from qualitymonth.complaints.models import Complaint
from qualitymonth.complaints.services.intake import MAX_ATTACHMENTS
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.models import Unit
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.schemas import InputSchema, Line, Text
from qualitymonth.core.throttles import AddressThrottle
from qualitymonth.core.validators import EMAIL_MAX_LENGTH

router = Router(tags=["complaints"])
office_router = Router(tags=["office complaints"], auth=django_auth)
ATTACH_WINDOW = dt.timedelta(hours=1)


class CaseIn(InputSchema):
    kind: str = Field(..., description="complaint | report | enquiry | suggestion")
    complainant_name: str = Field("", max_length=200)
    complainant_mobile: str = Field("", max_length=40)
    complainant_address: str = Field("", max_length=400)
    complainant_email: str = Field("", max_length=EMAIL_MAX_LENGTH)
    respondent_name: str = Field("", max_length=400)
    respondent_address: str = Field("", max_length=400)
    respondent_uscc: str = Field("", max_length=40)
    request: Text = Field("", max_length=4000)
    facts: Text = Field("", max_length=10000)
    product_or_service: str = Field("", max_length=240)
    # A string too, so "1,299.50" and "1,5" meet the intake's one amount check and its message.
    amount: Decimal | str | None = Field(
        None, description="yuan, at most two decimal places and 1,000,000,000; never rounded"
    )
    purchase_date: dt.date | None = None
    district: str | None = Field(None, description="district name or GB/T 2260 code")
    location: str = Field("", max_length=400)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    join: str = Field("", description="tracking number of an open case to join")


class EventOut(Schema):
    created_at: dt.datetime
    step: str
    status: str = Field(alias="to_status")
    message: str


class PublicCaseOut(Schema):
    tracking_number: str
    kind: str
    status: str
    status_label: str
    unit: str | None
    received_at: dt.datetime
    due_on: dt.date | None
    final_answer: str
    not_accepted_reason: str
    satisfaction: int | None
    complainant: str
    events: list[EventOut] = []

    @staticmethod
    def resolve_status_label(obj: Complaint) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_unit(obj: Complaint) -> str | None:
        return obj.unit.localized_name if obj.unit_id else None

    @staticmethod
    def resolve_complainant(obj: Complaint) -> str:
        return f"{obj.masked_name} {obj.masked_mobile}"

    @staticmethod
    def resolve_events(obj: Complaint):
        return list(selectors.public_events(obj))


class TrackIn(InputSchema):
    tracking_number: str = Field(..., max_length=20)
    mobile_last4: str = Field(..., max_length=4)


class RateIn(TrackIn):
    score: int
    comment: Text = Field("", max_length=300)


class SimilarIn(InputSchema):
    respondent_name: str = Field(..., max_length=200)


class SimilarOut(Schema):
    tracking_number: str
    nature: str
    status: str
    received_at: dt.datetime
    group_cases: int

    @staticmethod
    def resolve_group_cases(obj: Complaint) -> int:
        return obj.group.case_count if obj.group_id else 1


class OfficeCaseOut(Schema):
    tracking_number: str
    kind: str
    status: str
    channel: str
    unit: str | None = Field(None, alias="unit.code")
    nature: str
    category: str
    respondent_name: str
    respondent_address: str
    product_or_service: str
    facts: str
    request: str
    amount: Decimal | None
    district: str | None = Field(None, alias="district.localized_name")
    received_at: dt.datetime
    due_on: dt.date | None
    routing_suggestion: str
    routing_confidence: float | None
    complainant_name: str = Field(alias="masked_name")
    complainant_mobile: str = Field(alias="masked_mobile")
    final_answer: str
    available_steps: list[str] = []


class OfficeCaseRow(Schema):
    tracking_number: str
    kind: str
    status: str
    unit: str | None = Field(None, alias="unit.code")
    nature: str
    category: str
    respondent_name: str
    received_at: dt.datetime
    due_on: dt.date | None


class CaseStepIn(InputSchema):
    message: Text = Field("", max_length=3000)
    note: Text = Field("", max_length=2000)
    reason: str = ""


class MoveIn(InputSchema):
    unit: str = Field(..., description="the unit's code")
    reason: str = Field(..., max_length=300)
    nature: str = ""
    category: str = ""


class PersonalOut(Schema):
    name: str
    mobile: str
    address: str
    email: str


def _region(request):
    region = selectors.intake_region(campaign_for_request(request))
    if region is None:
        raise Http404
    return region


def _case_for(tracking_number: str, mobile_last4: str) -> Complaint:
    case = tracking.case_by_pin(tracking_number, mobile_last4)
    if case is None:
        raise Http404
    return case


@router.post(
    "/complaints",
    response={201: PublicCaseOut, **errors(400, 404, 409, 429)},
    summary="File a complaint, report, enquiry or suggestion",
    throttle=[AddressThrottle("complaint-submit", "10/h")],
)
def submit(request, payload: CaseIn):
    region = _region(request)
    data = payload.model_dump()
    join_number = data.pop("join")
    join = None
    if join_number:
        join = Complaint.objects.filter(region=region, tracking_number=join_number).first()
        if join is None:
            raise ValidationError({"join": "No such case / 无此案件"})
    case = services.complaint_submit(
        data=services.CaseInput(**data),
        region=region,
        channel=Complaint.Channel.API,
        user=request.user,
        join=join,
    )
    return Status(201, case)


@router.post(
    "/complaints/attachments",
    response={201: list[str], **errors(400, 404, 409, 429)},
    summary="Attach photos or PDF files to a case filed in the last hour",
    throttle=[AddressThrottle("complaint-attach", "20/h")],
)
@body_limit(lambda request: MAX_ATTACHMENTS * settings.QM_COMPLAINT_ATTACHMENT_MAX_MB)
def attach(
    request,
    tracking_number: Form[Line],
    mobile_last4: Form[Line],
    files: File[list[UploadedFile]],
):
    case = _case_for(tracking_number, mobile_last4)
    if timezone.now() - case.received_at > ATTACH_WINDOW:
        raise ValidationError(
            "Attachments are accepted only in the first hour / 仅受理后一小时内可补充附件",
            code="too_late",
        )
    attachments = services.complaint_attach(complaint=case, uploads=list(files))
    return Status(201, [a.original_name for a in attachments])


# The last four digits of a mobile are a short PIN: look-ups are throttled per client and locked
# per case (complaints.tracking), and the digits travel in the body, never in a logged URL.
@router.post(
    "/complaints/track",
    response={200: PublicCaseOut, **errors(404, 429)},
    summary="Follow a case",
    throttle=[AddressThrottle("complaint-track", "60/h")],
)
def track(request, payload: TrackIn):
    return _case_for(payload.tracking_number, payload.mobile_last4)


@router.post(
    "/complaints/rate",
    response={200: PublicCaseOut, **errors(400, 404, 409, 429)},
    summary="Rate the handling of a case",
    throttle=[AddressThrottle("complaint-track", "60/h")],
)
def rate(request, payload: RateIn):
    case = _case_for(payload.tracking_number, payload.mobile_last4)
    return services.complaint_rate(complaint=case, score=payload.score, comment=payload.comment)


@router.get(
    "/complaints/similar",
    response={200: list[SimilarOut], **errors(404)},
    summary="Open cases about the same business (to join one)",
)
def similar(request, query: Query[SimilarIn]):
    return selectors.similar_open_cases(
        region_id=_region(request).pk, respondent_name=query.respondent_name
    )


@office_router.get(
    "/complaints", response=list[OfficeCaseRow], summary="Cases this account may see"
)
@paginate(Pagination, page_size=50)
def office_cases(
    request,
    status: Line = "",
    kind: Line = "",
    nature: Line = "",
    category: Line = "",
    unit: Line = "",
    due: Line = "",
    q: Line = "",
    triage: bool = False,
):
    filters = selectors.CaseFilters(
        status=status,
        kind=kind,
        nature=nature,
        category=category,
        unit=unit,
        due=due if due in ("soon", "overdue") else "",
        q=q,
        triage=triage,
    )
    return selectors.office_cases(request.user, filters)


def _office_case(request, tracking_number: str) -> Complaint:
    case = selectors.case_for_office(request.user, tracking_number)
    if case is None:
        raise Http404
    case.available_steps = services.available_steps(user=request.user, complaint=case)
    return case


@office_router.get("/complaints/{tracking_number}", response=OfficeCaseOut, summary="One case")
def office_case(request, tracking_number: str):
    return _office_case(request, tracking_number)


@office_router.post(
    "/complaints/{tracking_number}/steps/{step}",
    response={200: OfficeCaseOut, **errors(400, 409)},
    summary="Workflow step",
)
def office_step(request, tracking_number: str, step: str, payload: CaseStepIn):
    case = _office_case(request, tracking_number)
    services.complaint_step(
        complaint=case,
        step=step,
        acting_user=request.user,
        message=payload.message,
        note=payload.note,
        reason=payload.reason,
    )
    return _office_case(request, tracking_number)


@office_router.post(
    "/complaints/{tracking_number}/move",
    response={200: OfficeCaseOut, **errors(400, 409)},
    summary="Assign (office) or transfer (handling unit) to another unit",
)
def office_move(request, tracking_number: str, payload: MoveIn):
    from qualitymonth.core.permissions import Action, policy

    case = _office_case(request, tracking_number)
    unit = get_object_or_404(Unit, code=payload.unit)
    if policy.can(request.user, Action.COMPLAINT_TRIAGE, case):
        services.complaint_route(
            complaint=case,
            to_unit=unit,
            acting_user=request.user,
            reason=payload.reason,
            nature=payload.nature,
            category=payload.category,
        )
    else:
        services.complaint_transfer(
            complaint=case, to_unit=unit, acting_user=request.user, reason=payload.reason
        )
    case.refresh_from_db()
    case.available_steps = services.available_steps(user=request.user, complaint=case)
    return case


@office_router.post(
    "/complaints/{tracking_number}/personal",
    response=PersonalOut,
    summary="The complainant's details, unmasked (every call is audited)",
)
def office_personal(request, tracking_number: str):
    case = _office_case(request, tracking_number)
    return services.complaint_personal_data(complaint=case, acting_user=request.user, purpose="api")
