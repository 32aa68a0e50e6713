"""The programmes through the API: the office's list, creating one, building its targets and
planning visits (the same services, rights and audit trail as the pages), and a campaign's
public figures, with no enterprise named. A programme the caller may not see is "not found"."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.campaigns.models import Activity, Campaign
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import policy
from qualitymonth.core.schemas import InputSchema, Line
from qualitymonth.core.validators import DbInt
from qualitymonth.enterprises import programme_selectors as selectors
from qualitymonth.enterprises.models import ServiceType
from qualitymonth.enterprises.programme_permissions import ProgrammeAction
from qualitymonth.enterprises.programme_schemas import (
    PlannedNeedOut,
    ProgrammeDetailOut,
    ProgrammeIn,
    ProgrammeOut,
    PublicProgrammeOut,
    TargetFilterIn,
    TargetsBuiltOut,
    VisitsIn,
)
from qualitymonth.enterprises.services import programmes as services

router = Router(tags=["programmes"], auth=django_auth)
DETAIL_TARGETS = 100


class ProgressPagination(Pagination):
    """The page's programmes get their progress in a few queries, not a few per programme."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result[self.items_attribute] = selectors.with_progress(result[self.items_attribute])
        return result


class ProgrammeSearchIn(InputSchema):
    q: Line = ""


def _programme(request, programme_id: int):
    found = selectors.programme_for(request.user, programme_id)
    if found is None:
        raise Http404
    found.progress = selectors.programme_progress(found)
    return found


def _detail(request, programme_id: int):
    programme = _programme(request, programme_id)
    programme.targets_page = list(selectors.programme_targets(programme)[:DETAIL_TARGETS])
    return programme


@router.get(
    "/office/programmes",
    response=list[ProgrammeOut],
    summary="The programmes I may see, with their progress, newest first",
)
@paginate(ProgressPagination, page_size=20)
def programme_list(request, filters: Query[ProgrammeSearchIn]):
    policy.require(request.user, ProgrammeAction.VIEW)
    return selectors.office_programmes(request.user, query=filters.q[:60])


@router.post(
    "/office/programmes",
    response={201: ProgrammeDetailOut, **errors(400)},
    summary="Make a programme of an activity of the office's campaign (one per activity)",
)
def programme_create(request, body: ProgrammeIn):
    policy.require(request.user, ProgrammeAction.MANAGE)
    activity = Activity.objects.select_related("campaign__region").filter(pk=body.activity_id)
    activity = activity.first()
    if activity is None:
        raise ValidationError({"activity_id": _("No such activity.")})
    service_type = ServiceType.objects.filter(code=body.service_type, is_active=True).first()
    if service_type is None:
        policy.require(request.user, ProgrammeAction.MANAGE, activity)
        raise ValidationError({"service_type": _("Choose a service from the catalogue.")})
    try:
        programme = services.programme_create(
            activity=activity,
            service_type=service_type,
            goal_enterprises=body.goal_enterprises,
            acting_user=request.user,
        )
    except ValidationError as error:
        raise _renamed(error, activity="activity_id") from None
    return Status(201, _detail(request, programme.pk))


@router.get(
    "/office/programmes/{programme_id}",
    response=ProgrammeDetailOut,
    summary="One programme: its progress and its first targets",
)
def programme_detail(request, programme_id: DbInt):
    return _detail(request, programme_id)


@router.post(
    "/office/programmes/{programme_id}/targets",
    response={200: TargetsBuiltOut, **errors(400)},
    summary="Add the region's enterprises matching the filters to the target list",
    description="Enterprises already on the list stay; at least one filter is required.",
)
def programme_targets_build(request, programme_id: DbInt, body: TargetFilterIn):
    programme = _programme(request, programme_id)
    added = services.programme_targets_build(
        programme=programme, filters=body.model_dump(), acting_user=request.user
    )
    return {"added": added, "progress": selectors.programme_progress(programme)}


@router.post(
    "/office/programmes/{programme_id}/visits",
    response={201: list[PlannedNeedOut], **errors(400)},
    summary="Plan a visit to target enterprises: one accepted need each",
    description="A target with an open visit of this programme gets no second one.",
)
def programme_visits_plan(request, programme_id: DbInt, body: VisitsIn):
    programme = _programme(request, programme_id)
    try:
        filed = services.programme_visits_plan(
            programme=programme,
            enterprises=body.enterprise_ids,
            planned_on=body.planned_on,
            acting_user=request.user,
        )
    except ValidationError as error:
        raise _renamed(error, enterprises="enterprise_ids") from None
    return Status(201, filed)


@router.get(
    "/campaigns/{slug}/programmes",
    response=list[PublicProgrammeOut],
    auth=None,
    summary="A campaign's programmes and their figures (no enterprise is named)",
)
def campaign_programmes(request, slug: Line):
    campaign = Campaign.objects.filter(slug=slug[:60], is_published=True).first()
    if campaign is None:
        raise Http404
    return selectors.public_progress(campaign)


def _renamed(error: ValidationError, **names) -> ValidationError:
    """The service's field names as the API's body names them."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.error_dict.items()})
