"""Hazards through the API: the unit's and the office's list with its clocks, one hazard, the
subject's reply (multipart, with a photo), the re-inspection, the one extension, and an
enterprise user's own rectification orders. The same services, rights and audit trail as the
pages; a hazard the caller may not see is "not found"."""

from django.http import Http404
from django.utils import timezone
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import DbInt
from qualitymonth.supervision import hazard_selectors as selectors
from qualitymonth.supervision.hazard_schemas import (
    ExtendIn,
    HazardDetailOut,
    HazardFilterIn,
    HazardOut,
    RectificationFilterIn,
    RectificationOut,
    ReinspectionIn,
    ReplyFields,
    ReplyOut,
)
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services import hazards as services

router = Router(tags=["supervision"], auth=django_auth)
NO_FILE = File(None)  # the reply's photo is optional


class ClockPagination(Pagination):
    """The page's hazards get `overdue` and `due_soon` from one reading of the date."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        items = result[self.items_attribute]
        result[self.items_attribute] = selectors.with_clock(items, today=timezone.localdate())
        return result


def _access(request, hazard_id: int) -> selectors.Access:
    found = selectors.hazard_access(request.user, hazard_id)
    if found is None:
        raise Http404
    return found


def _work(request, hazard_id: int):
    access = _access(request, hazard_id)
    if not access.can_work:
        raise Http404
    return access.hazard


def _detail(request, hazard_id: int):
    hazard = _access(request, hazard_id).hazard
    selectors.with_clock([hazard], today=timezone.localdate())
    hazard.replies_list = selectors.replies_of(hazard)
    photos = selectors.item_photos(hazard)
    for photo in photos:
        photo.hazard_pk = hazard.pk
    hazard.photos_list = photos
    hazard.case = selectors.case_of(hazard) if hazard.status == hazard.Status.ESCALATED else None
    return hazard


@router.get(
    "/inspect/hazards",
    response=list[HazardOut],
    summary="The hazards my unit (or office) works on: one tab, searched and filtered",
)
@paginate(ClockPagination, page_size=30)
def hazard_list(request, filters: Query[HazardFilterIn]):
    policy.require(request.user, SupervisionAction.VIEW)
    return selectors.hazard_list(
        request.user,
        selectors.Filters(
            tab=filters.tab,
            query=filters.q,
            district=filters.district,
            kind=filters.kind,
            unit=filters.unit,
        ),
        today=timezone.localdate(),
    )


@router.get(
    "/inspect/hazards/{hazard_id}",
    response=HazardDetailOut,
    summary="One hazard: the order, its photos, the replies and the re-inspection",
)
def hazard_detail(request, hazard_id: DbInt):
    return _detail(request, hazard_id)


@router.post(
    "/inspect/hazards/{hazard_id}/replies",
    response={201: ReplyOut, **errors(400, 409)},
    summary="Report the rectification (multipart: the note and an optional photo)",
    description="The subject's users answer; an inspector may record the answer for them. "
    "The photo is checked, shrunk and stripped of its metadata.",
)
@body_limit(services.PHOTO_MAX_MB)
def hazard_reply(
    request,
    hazard_id: DbInt,
    fields: Form[ReplyFields],
    photo: UploadedFile | None = NO_FILE,
):
    hazard = _access(request, hazard_id).hazard
    reply = services.hazard_reply(
        hazard=hazard, note=fields.note, photo=photo, acting_user=request.user
    )
    reply.from_enterprise = policy.can(request.user, SupervisionAction.RESPOND, hazard)
    return Status(201, reply)


@router.post(
    "/inspect/hazards/{hazard_id}/reinspection",
    response={200: HazardDetailOut, **errors(400, 409)},
    summary="Record the re-inspection: close the hazard or escalate it to a case",
)
def hazard_reinspect(request, hazard_id: DbInt, body: ReinspectionIn):
    hazard = _work(request, hazard_id)
    services.hazard_reinspect(
        hazard=hazard,
        reinspected_on=body.reinspected_on,
        outcome=body.outcome,
        note=body.note,
        legal_basis=body.legal_basis,
        acting_user=request.user,
    )
    return _detail(request, hazard_id)


@router.post(
    "/inspect/hazards/{hazard_id}/extend",
    response={200: HazardDetailOut, **errors(400, 409)},
    summary="Extend the deadline, once, with a reason",
)
def hazard_extend(request, hazard_id: DbInt, body: ExtendIn):
    hazard = _work(request, hazard_id)
    services.hazard_extend(
        hazard=hazard, deadline=body.deadline, reason=body.reason, acting_user=request.user
    )
    return _detail(request, hazard_id)


@router.get(
    "/inspect/rectifications",
    response=list[RectificationOut],
    summary="The rectification orders of the enterprises I act for",
)
@paginate(ClockPagination, page_size=30)
def rectification_list(request, filters: Query[RectificationFilterIn]):
    return selectors.rectifications_for(request.user, status=filters.status)
