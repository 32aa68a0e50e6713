"""Inspections on a phone: starting one with the current checklist, answers saved one by one as
they are given, photos, the hazard and rectification order of each non-compliant item, the
representative's signature (or refusal) and the inspectors' own signatures. The second
signature completes it: the result, the Hazard rows, and for a drawn subject the draw's result.

Until it is complete, the hazards an inspector writes are drafts, kept on the item's answer (they
become Hazard rows, which the subject sees, only when both inspectors have signed)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.notify import Notification, notify_on_commit
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.validators import clean_text, field_error
from qualitymonth.supervision import inspection_selectors as selectors
from qualitymonth.supervision.checklists import DEFAULT_FOR_KIND
from qualitymonth.supervision.models import (
    Answer,
    ChecklistItem,
    DrawnSubject,
    Hazard,
    Inspection,
    Inspector,
    Photo,
    Result,
    Signature,
    Subject,
)
from qualitymonth.supervision.numbers import next_number
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services.checklists import checklist_current
from qualitymonth.supervision.services.photos import photo_prepare

S = Inspection.Status
V = Answer.Verdict
NOTE_MAX = Answer._meta.get_field("note").max_length
CANCEL_REASON_MAX = 300
DESCRIPTION_MAX = Hazard._meta.get_field("description").max_length
ORDER_MAX = Hazard._meta.get_field("order_text").max_length
NAME_MAX = Inspection._meta.get_field("representative_name").max_length
REFUSAL_MAX = Inspection._meta.get_field("refusal_note").max_length
DEFAULT_DEADLINE_DAYS = 15
DEADLINE_MAX_DAYS = 365
PHOTOS_PER_ITEM = 10
PHOTOS_PER_INSPECTION = 120
SIGNATURES_NEEDED = 2


def _today() -> dt.date:
    """Today in the site's time zone (one place, so tests can set the calendar)."""
    return timezone.localdate()


def default_deadline(inspection: Inspection) -> dt.date:
    return inspection.inspected_on + dt.timedelta(days=DEFAULT_DEADLINE_DAYS)


def _lock(inspection: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("subject__region", "subject__enterprise", "checklist", "unit", "drawn")
        .get(pk=inspection.pk)
    )


def _refuse_unless_open(inspection: Inspection) -> None:
    if inspection.status == S.SIGNED:
        raise ValidationError(
            _("This inspection is signed and can no longer be changed."), code="finished"
        )
    if inspection.status != S.IN_PROGRESS:
        raise ValidationError(
            _("This inspection was cancelled and can no longer be changed."), code="finished"
        )


def inspector_of(user) -> Inspector | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Inspector.objects.filter(user=user, is_active=True).select_related("unit").first()


def _item_of(inspection: Inspection, item: ChecklistItem) -> ChecklistItem:
    if item is None or item.checklist_id != inspection.checklist_id:
        raise field_error("item", _("This item is not on the inspection's checklist."), "invalid")
    return item


DRAFT_FIELDS = ["hazard_description", "hazard_order", "hazard_deadline"]


def _save_draft(answer: Answer, draft: dict | None) -> None:
    """Write (or, with None, clear) the hazard drafted on a not-compliant answer."""
    draft = draft or {}
    answer.hazard_description = draft.get("description", "")
    answer.hazard_order = draft.get("order_text", "")
    deadline = draft.get("deadline")
    answer.hazard_deadline = dt.date.fromisoformat(deadline) if deadline else None
    answer.save(update_fields=[*DRAFT_FIELDS, "updated_at"])


def _reopen(inspection: Inspection, acting_user) -> bool:
    """A change to a record someone has signed withdraws the signatures: they signed what it
    said before. True if there were any."""
    signed = list(inspection.signatures.values_list("name", flat=True))
    represented = bool(inspection.representative_signed_at or inspection.representative_refused)
    if not signed and not represented:
        return False
    inspection.signatures.all().delete()
    inspection.representative_name = ""
    inspection.representative_signed_at = None
    inspection.representative_refused = False
    inspection.refusal_note = ""
    inspection.save(
        update_fields=[
            "representative_name",
            "representative_signed_at",
            "representative_refused",
            "refusal_note",
            "updated_at",
        ]
    )
    audit_record(
        actor=acting_user,
        event_type="supervision.inspection.signatures_withdrawn",
        target=inspection,
        inspectors=signed,
        representative=represented,
    )
    return True


# --- starting ------------------------------------------------------------------------------------
def _checklist_code(drawn: DrawnSubject | None, subject: Subject) -> list[str]:
    """The checklist codes to try, in order: the task's check items', then the kind's."""
    codes = []
    if drawn is not None:
        codes = list(
            drawn.task.check_items.exclude(checklist_code="")
            .order_by("code")
            .values_list("checklist_code", flat=True)
        )
    return [*codes, DEFAULT_FOR_KIND[subject.kind]]


def _current_checklist(region, codes: list[str]):
    for code in codes:
        try:
            return checklist_current(region, code)
        except ValidationError:
            continue  # a task naming a checklist the city never made: the kind's standard
    raise ValidationError(_("There is no checklist for this kind of subject."), code="invalid")


@transaction.atomic
def inspection_start(
    *,
    acting_user,
    subject: Subject | None = None,
    drawn: DrawnSubject | None = None,
    on: dt.date | None = None,
) -> Inspection:
    """Start inspecting a drawn subject (its drawn inspectors) or, ad hoc, a subject of the
    city (an inspector of a unit, for their unit). A drawn subject's inspection already in
    progress is returned as it is: a second tap must not start a second one."""
    if drawn is not None:
        drawn = (
            DrawnSubject.objects.select_for_update(of=("self",))
            .select_related("task__plan", "task__unit", "subject__region")
            .get(pk=drawn.pk)
        )
        policy.require(acting_user, SupervisionAction.INSPECT, drawn)
        existing = Inspection.objects.filter(drawn=drawn).first()
        if existing is not None:
            if existing.status == S.IN_PROGRESS:
                return existing
            raise ValidationError(
                _("This drawn subject has been inspected already."), code="duplicate"
            )
        if not drawn.is_active:
            raise ValidationError(
                _("This subject was replaced in the draw; inspect the one drawn in its place."),
                code="invalid_transition",
            )
        subject, unit, campaign = drawn.subject, drawn.task.unit, drawn.task.plan.campaign
    else:
        if subject is None:
            raise field_error("subject", _("Choose the subject to inspect."), "required")
        inspector = inspector_of(acting_user)
        if inspector is None:
            raise PermissionDenied(SupervisionAction.INSPECT)
        unit, campaign = inspector.unit, None
        policy.require(acting_user, SupervisionAction.VIEW, subject.region)
        policy.require(
            acting_user, SupervisionAction.INSPECT, Inspection(subject=subject, unit=unit)
        )
        if not subject.is_active:
            raise field_error("subject", _("This subject is closed or inactive."), "invalid")
        if subject.kind not in (inspector.kinds or []):
            raise field_error(
                "subject", _("You are not listed to inspect this kind of subject."), "invalid"
            )
    checklist = _current_checklist(subject.region, _checklist_code(drawn, subject))
    on = on or _today()
    inspection = Inspection.objects.create(
        number=next_number(Inspection, "J", on.year),
        subject=subject,
        drawn=drawn,
        unit=unit,
        checklist=checklist,
        campaign=campaign,
        started_by=acting_user,
        inspected_on=on,
    )
    audit_record(
        actor=acting_user,
        event_type="supervision.inspection.started",
        target=inspection,
        subject=subject.pk,
        drawn=drawn.pk if drawn else None,
        checklist=checklist.pk,
        version=checklist.version,
    )
    return inspection


# --- answers, photos, hazards --------------------------------------------------------------------
@transaction.atomic
def answer_save(
    *, inspection: Inspection, item: ChecklistItem, verdict: str, note: str = "", acting_user
) -> Answer:
    """One item's answer, saved as it is given (a dropped connection loses only what was not
    sent yet). Saving the same answer again changes nothing."""
    inspection = _lock(inspection)
    policy.require(acting_user, SupervisionAction.INSPECT, inspection)
    _refuse_unless_open(inspection)
    item = _item_of(inspection, item)
    if verdict not in V.values:
        raise field_error(
            "verdict", _("Choose compliant, not compliant or not applicable."), "invalid"
        )
    note = clean_text("note", note, limit=NOTE_MAX, required=False, multiline=True)
    answer = Answer.objects.filter(inspection=inspection, item=item).first()
    if answer is not None and (answer.verdict, answer.note) == (verdict, note):
        return answer
    previous = answer.verdict if answer else ""
    if answer is None:
        answer = Answer(inspection=inspection, item=item)
    answer.verdict, answer.note, answer.answered_by = verdict, note, acting_user
    answer.save()
    if previous == V.NOT_COMPLIANT and verdict != V.NOT_COMPLIANT and answer.hazard_description:
        _save_draft(answer, None)
    _reopen(inspection, acting_user)
    audit_record(
        actor=acting_user,
        event_type="supervision.inspection.answered",
        target=inspection,
        item=item.pk,
        verdict=verdict,
        previous=previous,
    )
    return answer


@transaction.atomic
def hazard_draft_save(
    *,
    inspection: Inspection,
    item: ChecklistItem,
    description: str,
    order_text: str,
    deadline: dt.date | None = None,
    acting_user,
) -> dict:
    """The hazard and rectification order of a not-compliant item, with its deadline (by
    default 15 days after the inspection). It becomes a Hazard when the inspection is signed."""
    inspection = _lock(inspection)
    policy.require(acting_user, SupervisionAction.INSPECT, inspection)
    _refuse_unless_open(inspection)
    item = _item_of(inspection, item)
    answer = Answer.objects.filter(inspection=inspection, item=item).first()
    if answer is None or answer.verdict != V.NOT_COMPLIANT:
        raise field_error(
            "item",
            _("Only a not-compliant item has a hazard: mark the item not compliant first."),
            "invalid_transition",
        )
    errors: dict[str, list] = {}
    values = {}
    for field, value, limit in (
        ("description", description, DESCRIPTION_MAX),
        ("order_text", order_text, ORDER_MAX),
    ):
        try:
            values[field] = clean_text(field, value, limit=limit, multiline=True)
        except ValidationError as error:
            errors.update(error.error_dict)
    deadline = deadline or default_deadline(inspection)
    if deadline <= inspection.inspected_on:
        errors["deadline"] = [_("The deadline must be after the day of the inspection.")]
    elif deadline > inspection.inspected_on + dt.timedelta(days=DEADLINE_MAX_DAYS):
        errors["deadline"] = [
            _("The deadline can be at most %(n)s days after the inspection.")
            % {"n": DEADLINE_MAX_DAYS}
        ]
    if errors:
        raise ValidationError(errors)
    draft = {**values, "deadline": deadline.isoformat()}
    if selectors.draft_of(answer) == draft:
        return draft
    _save_draft(answer, draft)
    _reopen(inspection, acting_user)
    audit_record(
        actor=acting_user,
        event_type="supervision.inspection.hazard_written",
        target=inspection,
        item=item.pk,
        deadline=draft["deadline"],
    )
    return draft


@transaction.atomic
def photo_add(
    *, inspection: Inspection, upload, acting_user, item: ChecklistItem | None = None
) -> Photo:
    """A photo of an item (or of the inspection as a whole), shrunk and stripped of metadata;
    where it was taken is kept for the office."""
    inspection = _lock(inspection)
    policy.require(acting_user, SupervisionAction.INSPECT, inspection)
    _refuse_unless_open(inspection)
    if item is not None:
        item = _item_of(inspection, item)
        if inspection.photos.filter(item=item).count() >= PHOTOS_PER_ITEM:
            raise field_error(
                "photo", _("At most %(n)s photos per item.") % {"n": PHOTOS_PER_ITEM}, "limit"
            )
    if inspection.photos.count() >= PHOTOS_PER_INSPECTION:
        raise field_error(
            "photo",
            _("At most %(n)s photos per inspection.") % {"n": PHOTOS_PER_INSPECTION},
            "limit",
        )
    prepared = photo_prepare(upload)
    photo = Photo(
        inspection=inspection,
        item=item,
        latitude=prepared.latitude,
        longitude=prepared.longitude,
        taken_at=prepared.taken_at,
        uploaded_by=acting_user,
    )
    photo.image.save(prepared.content.name, prepared.content, save=False)
    photo.save()
    _reopen(inspection, acting_user)
    audit_record(
        actor=acting_user,
        event_type="supervision.inspection.photo_added",
        target=inspection,
        photo=photo.pk,
        item=item.pk if item else None,
        located=prepared.latitude is not None,
    )
    return photo


@transaction.atomic
def photo_remove(*, photo: Photo, acting_user) -> None:
    inspection = _lock(photo.inspection)
    policy.require(acting_user, SupervisionAction.INSPECT, inspection)
    _refuse_unless_open(inspection)
    name, pk = photo.image.name, photo.pk
    photo.delete()
    _reopen(inspection, acting_user)
    audit_record(
        actor=acting_user,
        event_type="supervision.inspection.photo_removed",
        target=inspection,
        photo=pk,
    )
    # The file goes only once the row is surely gone.
    storage = photo.image.storage
    transaction.on_commit(lambda: storage.delete(name))


# --- signing -------------------------------------------------------------------------------------
@transaction.atomic
def representative_record(
    *,
    inspection: Inspection,
    acting_user,
    name: str = "",
    refused: bool = False,
    refusal_note: str = "",
) -> Inspection:
    """The subject's representative signs the finished record (their name), or their refusal to
    sign is recorded with a note. The record must be complete first."""
    inspection = _lock(inspection)
    policy.require(acting_user, SupervisionAction.INSPECT, inspection)
    _refuse_unless_open(inspection)
    if refused:
        name = clean_text("name", name, limit=NAME_MAX, required=False)
        refusal_note = clean_text("refusal_note", refusal_note, limit=REFUSAL_MAX)
    else:
        name = clean_text("name", name, limit=NAME_MAX)
        refusal_note = ""
    problems = selectors.readiness(inspection, representative=False)
    if problems:
        raise ValidationError(" ".join(problems), code="incomplete")
    _reopen(inspection, acting_user)  # a second signature replaces the first, and the inspectors'
    inspection.representative_name = name
    inspection.representative_refused = refused
    inspection.refusal_note = refusal_note
    inspection.representative_signed_at = None if refused else timezone.now()
    inspection.save(
        update_fields=[
            "representative_name",
            "representative_refused",
            "refusal_note",
            "representative_signed_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=acting_user,
        event_type="supervision.inspection.representative",
        target=inspection,
        refused=refused,
    )
    return inspection


@transaction.atomic
def inspection_cancel(*, inspection: Inspection, reason: str, acting_user) -> Inspection:
    """An inspection started by mistake or broken off (the wrong subject, the premises shut) is
    cancelled with a reason, before it is signed. It stays on record with its answers and
    photos; a drawn subject is freed, so the inspectors can start again."""
    inspection = _lock(inspection)
    policy.require(acting_user, SupervisionAction.INSPECT, inspection)
    _refuse_unless_open(inspection)
    reason = clean_text("reason", reason, limit=CANCEL_REASON_MAX, multiline=True)
    drawn_id = inspection.drawn_id
    inspection.status = S.CANCELLED
    inspection.drawn = None
    inspection.summary = reason
    inspection.save(update_fields=["status", "drawn", "summary", "updated_at"])
    audit_record(
        actor=acting_user,
        event_type="supervision.inspection.cancelled",
        target=inspection,
        drawn=drawn_id,
        reason=reason,
    )
    return inspection


def _signing_inspector(user, inspection: Inspection) -> Inspector:
    """Only the inspection's own inspectors sign: a drawn subject's drawn inspectors, an ad hoc
    inspection's unit's inspectors."""
    inspector = inspector_of(user)
    if inspector is None:
        raise PermissionDenied(SupervisionAction.INSPECT)
    if inspection.drawn_id:
        allowed = inspection.drawn.inspectors.filter(is_active=True, inspector=inspector).exists()
    else:
        allowed = inspector.unit_id == inspection.unit_id
    if not allowed:
        raise PermissionDenied(SupervisionAction.INSPECT)
    return inspector


@transaction.atomic
def inspection_sign(*, inspection: Inspection, acting_user) -> Inspection:
    """An inspector signs with their own account; the second signature completes the
    inspection."""
    inspection = _lock(inspection)
    policy.require(acting_user, SupervisionAction.INSPECT, inspection)
    _refuse_unless_open(inspection)
    inspector = _signing_inspector(acting_user, inspection)
    problems = selectors.readiness(inspection)
    if problems:
        raise ValidationError(" ".join(problems), code="incomplete")
    if inspection.signatures.filter(user=acting_user).exists():
        raise ValidationError(
            _("You have signed already; the other inspector signs with their own account."),
            code="duplicate",
        )
    Signature.objects.create(inspection=inspection, user=acting_user, name=inspector.name)
    audit_record(actor=acting_user, event_type="supervision.inspection.signed", target=inspection)
    if inspection.signatures.count() >= SIGNATURES_NEEDED:
        _complete(inspection, acting_user)
    return inspection


def _complete(inspection: Inspection, acting_user) -> None:
    answers = list(
        inspection.answers.filter(verdict=V.NOT_COMPLIANT)
        .select_related("item")
        .order_by("item__order")
    )
    hazards = [
        Hazard(
            inspection=inspection,
            answer=answer,
            subject=inspection.subject,
            unit=inspection.unit,
            description=answer.hazard_description,
            order_text=answer.hazard_order,
            deadline=answer.hazard_deadline,
        )
        for answer in answers
    ]
    Hazard.objects.bulk_create(hazards)
    if hazards:  # bulk_create sends no signals: the dashboard's hazard facts are told here
        from qualitymonth.supervision.figures import hazards_created

        hazards_created(inspection)
    counts = {v: 0 for v in V.values}
    for verdict in inspection.answers.values_list("verdict", flat=True):
        counts[verdict] += 1
    inspection.result = Result.RECTIFY if hazards else Result.NO_PROBLEM
    inspection.status = S.SIGNED
    inspection.signed_at = timezone.now()
    with translation.override("zh-hans"):
        inspection.summary = _(
            "%(total)s items checked: %(ok)s compliant, %(bad)s not compliant, %(na)s not "
            "applicable."
        ) % {
            "total": sum(counts.values()),
            "ok": counts[V.COMPLIANT],
            "bad": counts[V.NOT_COMPLIANT],
            "na": counts[V.NOT_APPLICABLE],
        }
    inspection.save(update_fields=["result", "status", "signed_at", "summary", "updated_at"])
    audit_record(
        actor=acting_user,
        event_type="supervision.inspection.completed",
        target=inspection,
        result=inspection.result,
        hazards=len(hazards),
    )
    if inspection.drawn_id:
        from qualitymonth.supervision.services.draws import drawn_result_record

        drawn_result_record(
            drawn=inspection.drawn,
            result=inspection.result,
            note=f"{inspection.number} {inspection.summary}"[:300],
            on=_today(),
            acting_user=acting_user,
        )
    enterprise = inspection.subject.enterprise
    if hazards and enterprise is not None and enterprise.contact_mobile:
        with translation.override("zh-hans"):
            text = _(
                "The inspection %(number)s of %(subject)s found %(n)s problems; rectify them by "
                "the deadlines in the orders."
            ) % {"number": inspection.number, "subject": inspection.subject.name, "n": len(hazards)}
            notify_on_commit(
                Notification(
                    subject=_("Rectification ordered"),
                    text=text,
                    mobile=enterprise.contact_mobile,
                )
            )
