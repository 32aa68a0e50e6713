"""Checklists and inspections through the API: an inspector's work, starting an inspection,
answers one by one, photos (multipart), hazards, the representative, signatures; the office's
list and checklists. The same services, rights and audit trail as the pages; an inspection the
caller may not see is "not found"."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.models import Region
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import policy
from qualitymonth.core.schemas import Line
from qualitymonth.core.validators import DbInt, field_error
from qualitymonth.supervision import inspection_selectors as selectors
from qualitymonth.supervision.checklists import STANDARDS
from qualitymonth.supervision.inspection_schemas import (
    CancelIn,
    ChecklistFilterIn,
    ChecklistIn,
    ChecklistOut,
    HazardDraftOut,
    HazardIn,
    InspectionAnswerIn,
    InspectionAnswerOut,
    InspectionDetailOut,
    InspectionFilterIn,
    InspectionOut,
    InspectionPhotoOut,
    MineOut,
    RepresentativeIn,
    StartIn,
)
from qualitymonth.supervision.models import (
    Checklist,
    DrawnSubject,
    Inspection,
    Result,
    Subject,
    SubjectKind,
)
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services import checklists as checklist_services
from qualitymonth.supervision.services import inspections as services
from qualitymonth.supervision.services.photos import PHOTO_MAX_MB

router = Router(tags=["supervision"], auth=django_auth)


def _inspection(request, number: str) -> Inspection:
    found = selectors.inspection_for(request.user, number)
    if found is None:
        raise Http404
    return found


def _item(inspection: Inspection, item_id: int, *, field: str = "item_id"):
    found = inspection.checklist.items.filter(pk=item_id).first()
    if found is None:
        raise field_error(field, _("This item is not on the inspection's checklist."), "invalid")
    return found


def _detail(request, inspection: Inspection) -> Inspection:
    """The inspection with its items (answers, photos, hazards) and what is missing attached."""
    inspection.refresh_from_db()
    office = policy.office_covers(request.user, inspection.subject.region)
    items = []
    for row in selectors.inspection_rows(inspection):
        draft = row.draft
        items.append(
            {
                "id": row.item.pk,
                "order": row.item.order,
                "section": row.item.section,
                "text": row.item.text,
                "guidance": row.item.guidance,
                "photo_required": row.item.photo_required,
                "answer": row.answer,
                "photos": [_photo(inspection, p, office=office) for p in row.photos],
                "hazard": {**draft, "item_id": row.item.pk} if draft else None,
            }
        )
    inspection.api_items = items
    in_progress = inspection.status == Inspection.Status.IN_PROGRESS
    inspection.api_missing = selectors.readiness(inspection) if in_progress else []
    return inspection


def _photo(inspection: Inspection, photo, *, office: bool) -> dict:
    return {
        "id": photo.pk,
        "item_id": photo.item_id,
        "url": reverse("sv_inspection:photo", args=[inspection.number, photo.pk]),
        "latitude": photo.latitude if office else None,
        "longitude": photo.longitude if office else None,
        "taken_at": photo.taken_at,
    }


# --- an inspector's work -------------------------------------------------------------------------
@router.get(
    "/inspect/mine",
    response=MineOut,
    summary="The subjects drawn for me without a signed inspection, and my inspections in progress",
)
def inspect_mine(request):
    policy.require(request.user, SupervisionAction.VIEW)
    return {
        "drawn": list(selectors.drawn_for(request.user)[:100]),
        "in_progress": list(selectors.inspections_in_progress(request.user)[:100]),
    }


@router.post(
    "/inspect/inspections",
    response={201: InspectionDetailOut, **errors(409)},
    summary="Start an inspection of a subject drawn for me, or ad hoc of a subject of my city",
    description="A drawn subject's inspection already in progress is returned as it is.",
)
def inspection_start(request, body: StartIn):
    if (body.drawn_id is None) == (body.subject_id is None):
        raise field_error("drawn_id", _("Give either a drawn subject or a subject."), "required")
    if body.drawn_id is not None:
        drawn = (
            DrawnSubject.objects.select_related("task__plan", "subject")
            .filter(pk=body.drawn_id)
            .first()
        )
        if drawn is None or not policy.can(request.user, SupervisionAction.WORK, drawn):
            raise field_error("drawn_id", _("No such drawn subject."), "not_found")
        inspection = services.inspection_start(drawn=drawn, acting_user=request.user)
    else:
        subject = Subject.objects.select_related("region").filter(pk=body.subject_id).first()
        if subject is None or not policy.can(request.user, SupervisionAction.VIEW, subject.region):
            raise field_error("subject_id", _("No such subject."), "not_found")
        try:
            inspection = services.inspection_start(subject=subject, acting_user=request.user)
        except ValidationError as error:
            raise _renamed(error, subject="subject_id") from None
    return Status(201, _detail(request, inspection))


@router.get(
    "/inspect/inspections/{number}",
    response=InspectionDetailOut,
    summary="One inspection: its items with answers, photos and hazards, and what is missing",
)
def inspection_detail(request, number: Line):
    return _detail(request, _inspection(request, number[:30]))


@router.put(
    "/inspect/inspections/{number}/answers/{item_id}",
    response={200: InspectionAnswerOut, **errors(409)},
    summary="Answer one item (saved at once; the same answer again changes nothing)",
)
def inspection_answer(request, number: Line, item_id: DbInt, body: InspectionAnswerIn):
    inspection = _inspection(request, number[:30])
    item = inspection.checklist.items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    answer = services.answer_save(
        inspection=inspection,
        item=item,
        verdict=body.verdict,
        note=body.note,
        acting_user=request.user,
    )
    return answer


@router.post(
    "/inspect/inspections/{number}/photos",
    response={201: InspectionPhotoOut, **errors(409)},
    summary="Add a photo (multipart; JPEG, PNG or WebP up to 10 MB), of an item or of the whole",
    description="The photo is shrunk to 1600 px and stored without its metadata; where it was "
    "taken (EXIF GPS) is kept for the office.",
)
@body_limit(PHOTO_MAX_MB)
def inspection_photo_add(
    request,
    number: Line,
    item_id: Form[DbInt | None] = None,
    photo: File[UploadedFile | None] = None,
):
    inspection = _inspection(request, number[:30])
    item = _item(inspection, item_id) if item_id is not None else None
    added = services.photo_add(
        inspection=inspection, item=item, upload=photo, acting_user=request.user
    )
    office = policy.office_covers(request.user, inspection.subject.region)
    return Status(201, _photo(inspection, added, office=office))


@router.post(
    "/inspect/inspections/{number}/hazards",
    response={200: HazardDraftOut, **errors(409)},
    summary="Write the hazard, rectification order and deadline of a not-compliant item",
    description="It becomes a rectification order (a hazard) when the inspection is signed.",
)
def inspection_hazard(request, number: Line, body: HazardIn):
    inspection = _inspection(request, number[:30])
    item = _item(inspection, body.item_id)
    try:
        draft = services.hazard_draft_save(
            inspection=inspection,
            item=item,
            description=body.description,
            order_text=body.order_text,
            deadline=body.deadline,
            acting_user=request.user,
        )
    except ValidationError as error:
        raise _renamed(error, item="item_id") from None
    return {**draft, "item_id": item.pk}


@router.post(
    "/inspect/inspections/{number}/representative",
    response={200: InspectionDetailOut, **errors(409)},
    summary="The representative's signature (name), or their refusal with a note",
)
def inspection_representative(request, number: Line, body: RepresentativeIn):
    inspection = _inspection(request, number[:30])
    services.representative_record(
        inspection=inspection,
        acting_user=request.user,
        name=body.name,
        refused=body.refused,
        refusal_note=body.refusal_note,
    )
    return _detail(request, inspection)


@router.post(
    "/inspect/inspections/{number}/sign",
    response={200: InspectionDetailOut, **errors(409)},
    summary="Sign with my own account; the second inspector's signature completes it",
    description="Completing it creates the rectification orders and, for a drawn subject, "
    "records the draw's result.",
)
def inspection_sign(request, number: Line):
    inspection = _inspection(request, number[:30])
    services.inspection_sign(inspection=inspection, acting_user=request.user)
    return _detail(request, inspection)


@router.post(
    "/inspect/inspections/{number}/cancel",
    response={200: InspectionDetailOut, **errors(409)},
    summary="Cancel an inspection in progress, with the reason (it stays on record)",
    description="A drawn subject is freed: a new inspection of it can be started.",
)
def inspection_cancel(request, number: Line, body: CancelIn):
    inspection = _inspection(request, number[:30])
    services.inspection_cancel(inspection=inspection, reason=body.reason, acting_user=request.user)
    return _detail(request, inspection)


# --- the office ----------------------------------------------------------------------------------
@router.get(
    "/office/supervision/inspections",
    response=list[InspectionOut],
    summary="The inspections I may see, searched and filtered, newest first",
)
@paginate(Pagination, page_size=20)
def office_inspection_list(request, filters: Query[InspectionFilterIn]):
    policy.require(request.user, SupervisionAction.VIEW)
    for name, choices in (
        ("status", Inspection.Status.values),
        ("kind", SubjectKind.values),
        ("result", Result.values),
    ):
        if getattr(filters, name) and getattr(filters, name) not in choices:
            raise field_error(name, _("Not one of the choices."), "invalid")
    district = None
    if filters.district:
        district = Region.objects.filter(code=filters.district, level=Region.Level.DISTRICT).first()
        if district is None:
            raise field_error("district", _("No such district."), "not_found")
    return selectors.office_inspections(
        request.user,
        query=filters.q[:60],
        status=filters.status,
        kind=filters.kind,
        district=district,
        result=filters.result,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )


@router.get(
    "/office/supervision/checklists",
    response=list[ChecklistOut],
    summary="The current checklists of my cities, with their items",
)
def office_checklist_list(request, filters: Query[ChecklistFilterIn]):
    policy.require(request.user, SupervisionAction.DIRECTORY)
    found = []
    for region in selectors.checklist_regions(request.user)[:20]:
        for code in STANDARDS:
            checklist_services.checklist_current(region, code)
        qs = Checklist.objects.filter(region=region, is_current=True).select_related("region")
        if filters.code:
            qs = qs.filter(code=filters.code)
        found.extend(qs.prefetch_related("items").order_by("code"))
    return found


@router.post(
    "/office/supervision/checklists",
    response={201: ChecklistOut, **errors(409)},
    summary="A new version of a checklist (its items in order), or a checklist of a new code",
    description="The new version becomes current; inspections keep the version they started with.",
)
def office_checklist_save(request, body: ChecklistIn):
    policy.require(request.user, SupervisionAction.DIRECTORY)
    regions = selectors.checklist_regions(request.user)
    if body.region:
        region = next((r for r in regions if r.code == body.region), None)
        if region is None:
            raise field_error("region", _("Not a city whose checklists you keep."), "not_found")
    elif len(regions) == 1:
        region = regions[0]
    else:
        raise field_error("region", _("Say which city (its code)."), "required")
    items = [item.model_dump() for item in body.items]
    code = body.code.strip().lower()
    current = None
    if code in STANDARDS:
        current = checklist_services.checklist_current(region, code)
    else:
        current = Checklist.objects.filter(region=region, code=code, is_current=True).first()
    if current is not None:
        checklist = checklist_services.checklist_revise(
            checklist=current, items=items, title=body.title, acting_user=request.user
        )
    else:
        checklist = checklist_services.checklist_create(
            region=region,
            code=body.code,
            title=body.title,
            subject_kind=body.subject_kind,
            items=items,
            acting_user=request.user,
        )
    return Status(201, checklist)


def _renamed(error: ValidationError, **names) -> ValidationError:
    """The service's field names as the API's body names them."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.error_dict.items()})
