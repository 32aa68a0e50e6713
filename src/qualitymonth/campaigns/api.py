"""JSON endpoints of the campaigns app (mounted by qualitymonth.api)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.campaigns import selectors, services
from qualitymonth.campaigns.forms import normalize_ticket_code
from qualitymonth.campaigns.models import Activity, Campaign, Registration
from qualitymonth.campaigns.services.activities import TRANSITIONS, available_transitions
from qualitymonth.campaigns.services.registrations import waitlist_rank
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import Action, policy
from qualitymonth.core.schemas import InputFilterSchema, InputSchema, Line, Text
from qualitymonth.core.throttles import AddressThrottle

router = Router(tags=["campaigns"])
office_router = Router(tags=["office"], auth=django_auth)


class NamedOut(Schema):
    code: str
    # Names follow the reader's language (core.i18n); codes are what clients match on.
    name: str = Field(alias="localized_name")


class UnitOut(Schema):
    code: str
    name: str = Field(alias="localized_name")
    short_name: str
    kind: str


class CampaignOut(Schema):
    slug: str
    year: int
    theme: str
    theme_en: str
    slogan: str
    starts_on: dt.date
    ends_on: dt.date
    region: str = Field(alias="region.localized_name")
    lead_unit: UnitOut


class CampaignDetailOut(CampaignOut):
    description: str
    co_organisers: list[UnitOut]
    focus_areas: list[NamedOut]
    domains: list[NamedOut]
    counts: dict[str, int]

    @staticmethod
    def resolve_co_organisers(obj: Campaign):
        return list(obj.co_organisers.all())

    @staticmethod
    def resolve_focus_areas(obj: Campaign):
        return list(obj.focus_areas.all())

    @staticmethod
    def resolve_domains(obj: Campaign):
        return list(obj.domains.all())


class ActivityOut(Schema):
    id: int
    title: str
    summary: str
    organiser: UnitOut
    focus_area: NamedOut
    domains: list[NamedOut]
    kind: str
    activity_type: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    district: str | None = Field(None, alias="district.localized_name")
    venue: str
    capacity: int | None
    confirmed_count: int = 0
    registration_state: str
    url: str

    @staticmethod
    def resolve_registration_state(obj: Activity) -> str:
        return obj.registration_state()

    @staticmethod
    def resolve_url(obj: Activity) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_domains(obj: Activity):
        return list(obj.domains.all())


class ActivityDetailOut(ActivityOut):
    description: str
    online_url: str
    registration_opens_at: dt.datetime | None
    registration_closes_at: dt.datetime | None
    ical_url: str

    @staticmethod
    def resolve_ical_url(obj: Activity) -> str:
        return reverse("campaigns:activity_ics", args=[obj.pk])


class ActivityFilter(InputFilterSchema):
    campaign: str | None = None
    q: str | None = None
    domain: str | None = None
    focus: str | None = None
    unit: str | None = None
    kind: Activity.Kind | None = None
    district: str | None = None
    date_from: dt.date | None = Field(None, ge=dt.date(1978, 1, 1), le=dt.date(2100, 12, 31))
    date_to: dt.date | None = Field(None, ge=dt.date(1978, 1, 1), le=dt.date(2100, 12, 31))


class RegistrationIn(InputSchema):
    name: str = Field(..., max_length=40)
    mobile: str = Field(..., max_length=20)


class TicketOut(Schema):
    ticket_code: str = Field(alias="display_code")
    token: str
    status: str
    waitlist_rank: int | None
    checked_in_at: dt.datetime | None
    activity_id: int
    activity_title: str = Field(alias="activity.title")
    ticket_url: str

    @staticmethod
    def resolve_waitlist_rank(obj: Registration) -> int | None:
        return waitlist_rank(obj)

    @staticmethod
    def resolve_ticket_url(obj: Registration) -> str:
        return obj.get_absolute_url()


class CheckInIn(InputSchema):
    code: str = Field(..., max_length=200)


class CheckInOut(Schema):
    ticket_code: str = Field(alias="display_code")
    name: str = Field(alias="masked_name")
    checked_in_at: dt.datetime


class StepIn(InputSchema):
    reason: Text = ""


class OfficeActivityOut(ActivityOut):
    available_steps: list[str] = []
    review_note: str


def _campaign(request, slug: str | None) -> Campaign:
    """The campaign named by slug, else the one the request's city means."""
    if slug:
        return get_object_or_404(Campaign, slug=slug, is_published=True)
    campaign = selectors.campaign_for_request(request)
    if campaign is None:
        raise Http404
    return campaign


@router.get("/campaigns", response=list[CampaignOut], summary="List campaigns")
def list_campaigns(request):
    return Campaign.objects.filter(is_published=True).select_related("region", "lead_unit")


@router.get(
    "/campaigns/{slug}",
    response=CampaignDetailOut,
    summary="One campaign with its units and live counts",
)
def get_campaign(request, slug: str):
    campaign = _campaign(request, slug)
    campaign.counts = {
        key: value or 0 for key, value in selectors.campaign_counts(campaign).items()
    }
    return campaign


@router.get(
    "/activities",
    response={200: list[ActivityOut], **errors(404)},
    summary="The public calendar, filtered",
)
@paginate(Pagination, page_size=20)
def list_activities(request, filters: Query[ActivityFilter]):
    data = filters.model_dump()
    campaign = _campaign(request, data.pop("campaign"))
    return selectors.public_activities(
        campaign=campaign, filters={k: v for k, v in data.items() if v}
    )


@router.get(
    "/activities/{int:activity_id}", response=ActivityDetailOut, summary="One public activity"
)
def get_activity(request, activity_id: int):
    qs = selectors.with_seat_counts(
        Activity.objects.filter(status__in=Activity.PUBLIC_STATUSES).select_related(
            "organiser", "focus_area", "district"
        )
    )
    return get_object_or_404(qs, pk=activity_id)


# Registration is open to anyone; the throttles (counted in the shared cache, so across app
# nodes when Redis is configured) keep one client from filling an activity with made-up people.
@router.post(
    "/activities/{int:activity_id}/registrations",
    response={201: TicketOut, **errors(400, 409, 429)},
    summary="Register (wait-listed when full)",
    throttle=[AddressThrottle("register", "20/m")],
)
def register(request, activity_id: int, payload: RegistrationIn):
    activity = get_object_or_404(
        Activity.objects.filter(status__in=Activity.PUBLIC_STATUSES), pk=activity_id
    )
    registration = services.registration_create(
        activity=activity, name=payload.name, mobile=payload.mobile, user=request.user
    )
    return Status(201, registration)


@router.get("/tickets/{token}", response=TicketOut, summary="A ticket, by its secret token")
def get_ticket(request, token: str):
    return get_object_or_404(Registration.objects.select_related("activity"), token=token)


@router.post(
    "/tickets/{token}/cancel",
    response={200: TicketOut, **errors(400, 409)},
    summary="Cancel a registration",
)
def cancel_ticket(request, token: str):
    registration = get_object_or_404(Registration, token=token)
    return services.registration_cancel(registration=registration, acting_user=request.user)


@office_router.get(
    "/activities",
    response={200: list[OfficeActivityOut], **errors(404)},
    summary="Activities this account may manage",
)
@paginate(Pagination, page_size=50)
def office_activities(request, status: Line = "", q: Line = "", campaign: Line = ""):
    filters = {"status": status if status in Activity.Status.values else "", "q": q}
    if campaign:
        filters["campaign"] = _campaign(request, campaign)
    rows = list(
        selectors.office_activities(user=request.user, filters=filters).prefetch_related("domains")
    )
    for row in rows:
        row.available_steps = available_transitions(user=request.user, activity=row)
    return rows


@office_router.post(
    "/activities/{int:activity_id}/steps/{step}",
    response={200: OfficeActivityOut, **errors(400, 409)},
    summary="Workflow step",
)
def office_step(request, activity_id: int, step: str, payload: StepIn):
    if step not in TRANSITIONS:
        raise ValidationError(f"Unknown step “{step}”", code="unknown_step")
    activity = get_object_or_404(Activity, pk=activity_id)
    policy.require(request.user, TRANSITIONS[step][2], activity)
    service = getattr(services, f"activity_{step}")
    kwargs = {"reason": payload.reason} if step in {"return", "cancel"} else {}
    activity = service(acting_user=request.user, activity=activity, **kwargs)
    activity = selectors.with_seat_counts(
        Activity.objects.select_related("organiser", "focus_area", "district")
    ).get(pk=activity.pk)
    activity.available_steps = available_transitions(user=request.user, activity=activity)
    return activity


@office_router.post(
    "/activities/{int:activity_id}/checkin",
    response={200: CheckInOut, **errors(400, 409)},
    summary="Check a ticket in",
)
def office_checkin(request, activity_id: int, payload: CheckInIn):
    activity = get_object_or_404(Activity, pk=activity_id)
    policy.require(request.user, Action.ACTIVITY_MANAGE, activity)
    code = normalize_ticket_code(payload.code)
    registration = Registration.objects.filter(activity=activity, ticket_code=code).first()
    if registration is None:
        raise ValidationError(
            f"No ticket {code} for this activity / 本活动无此票号", code="unknown_ticket"
        )
    return services.registration_check_in(registration=registration, acting_user=request.user)
