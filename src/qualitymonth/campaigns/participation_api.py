"""Organisations that join a campaign, through the API: the same services as the pages (the same
rights, checks and audit trail); an application the caller may not decide is "not found"."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.campaigns import participation_selectors as selectors
from qualitymonth.campaigns.models import Campaign
from qualitymonth.campaigns.participation_forms import ParticipationFilterForm
from qualitymonth.campaigns.participation_schemas import (
    OfficeParticipationOut,
    ParticipantOut,
    ParticipationFilterIn,
    ParticipationIn,
    ParticipationOut,
    ParticipationReasonIn,
)
from qualitymonth.campaigns.permissions import ParticipationAction
from qualitymonth.campaigns.services import participation as services
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.schemas import Line
from qualitymonth.core.validators import DbInt

router = Router(tags=["participation"], auth=django_auth)


def _campaign(slug: str) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("region"), slug=slug, is_published=True
    )


def _office_participation(request, participation_id: int):
    if not policy.is_office(request.user):
        raise PermissionDenied(ParticipationAction.DECIDE)
    found = selectors.office_participation(request.user, participation_id)
    if found is None:
        raise Http404
    return found


@router.post(
    "/campaigns/{slug}/participations",
    response={201: ParticipationOut, **errors(400, 409)},
    summary="Apply for an association or enterprise to join a campaign",
    description="409 `duplicate`: the code already has a live application to this campaign.",
)
def participation_create(request, slug: Line, body: ParticipationIn):
    campaign = _campaign(slug)
    district = None
    if body.district:
        district = campaign.region.children.filter(code=body.district).first()
        if district is None:
            raise ValidationError({"district": _("Choose a district of the campaign's region.")})
    participation = services.participation_apply(
        campaign=campaign,
        kind=body.kind,
        name=body.name,
        uscc=body.uscc,
        district=district,
        contact_name=body.contact_name,
        contact_mobile=body.contact_mobile,
        plan=body.plan,
        acting_user=request.user,
    )
    return Status(201, participation)


@router.get(
    "/participations/mine",
    response=list[ParticipationOut],
    summary="My applications to campaigns, newest first",
)
@paginate(Pagination, page_size=50)
def participation_mine(request):
    return selectors.my_participations(request.user).select_related("district")


@router.get(
    "/office/participations",
    response=list[OfficeParticipationOut],
    summary="Applications to the office's campaigns, filtered, newest first",
)
@paginate(Pagination, page_size=50)
def office_participation_list(request, filters: Query[ParticipationFilterIn]):
    if not policy.is_office(request.user):
        raise PermissionDenied(ParticipationAction.DECIDE)
    form = ParticipationFilterForm(filters.model_dump())
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    found = dict(form.filters())
    if filters.campaign:
        found["campaign"] = filters.campaign
    return selectors.office_participations(request.user, found)


@router.post(
    "/office/participations/{participation_id}/accept",
    response={200: OfficeParticipationOut, **errors(400, 409)},
    summary="Accept an application: the organisation becomes a participating unit",
    description="The applicant becomes the unit's manager. 400 `name_taken`: another unit has "
    "the organisation's name.",
)
def office_participation_accept(request, participation_id: DbInt):
    participation = _office_participation(request, participation_id)
    return services.participation_accept(participation=participation, acting_user=request.user)


@router.post(
    "/office/participations/{participation_id}/decline",
    response={200: OfficeParticipationOut, **errors(400, 409)},
    summary="Decline an application with a reason the applicant reads",
)
def office_participation_decline(request, participation_id: DbInt, body: ParticipationReasonIn):
    participation = _office_participation(request, participation_id)
    return services.participation_decline(
        participation=participation, reason=body.reason, acting_user=request.user
    )


@router.get(
    "/campaigns/{slug}/participants",
    response=list[ParticipantOut],
    auth=None,
    summary="A campaign's participating organisations, with their published activity counts",
)
def campaign_participants(request, slug: Line):
    campaign = _campaign(slug)
    calendar = reverse("campaigns:campaign_calendar", args=[campaign.slug])
    return [
        {
            "code": unit.code,
            "name": unit.name,
            "kind": unit.kind,
            "activity_count": unit.activity_count,
            "calendar_url": f"{calendar}?unit={unit.code}",
        }
        for unit in selectors.participants(campaign)
    ]
