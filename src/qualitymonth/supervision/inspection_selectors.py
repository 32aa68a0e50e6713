"""Reads of checklists and inspections: what a user may see, an inspector's own work, one
inspection's items with their answers, photos and hazard drafts, what is still missing before
signing, and the figures other pages use (timeline, failed inspections per enterprise)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qualitymonth.campaigns.selectors import search_terms
from qualitymonth.core.models import Region
from qualitymonth.core.permissions import policy
from qualitymonth.enterprises.timeline import Entry
from qualitymonth.supervision.models import (
    Answer,
    Checklist,
    ChecklistItem,
    DrawnInspector,
    DrawnSubject,
    Hazard,
    Inspection,
    Photo,
    Subject,
    Task,
)
from qualitymonth.supervision.permissions import SupervisionAction, work_unit_ids

TIMELINE_LIMIT = 50
# Lists count up to this many rows: "more than 1,000" is all a page needs to say.
COUNT_CAP = 1_000
NUMBER_MAX = Inspection._meta.get_field("number").max_length


# --- drafts and readiness ------------------------------------------------------------------------
def draft_of(answer: Answer) -> dict | None:
    """The hazard drafted on a not-compliant answer (None: none written yet)."""
    if answer.verdict != Answer.Verdict.NOT_COMPLIANT or not answer.hazard_description:
        return None
    return {
        "description": answer.hazard_description,
        "order_text": answer.hazard_order,
        "deadline": answer.hazard_deadline.isoformat() if answer.hazard_deadline else "",
    }


def hazard_drafts(inspection: Inspection) -> dict[int, dict]:
    """The hazards written for not-compliant items of an inspection in progress, by item id."""
    if inspection.status != Inspection.Status.IN_PROGRESS:
        return {}
    answers = inspection.answers.filter(
        verdict=Answer.Verdict.NOT_COMPLIANT, hazard_description__gt=""
    )
    return {answer.item_id: draft_of(answer) for answer in answers}


def readiness(inspection: Inspection, *, representative: bool = True) -> list[str]:
    """What is still missing before the inspection can be signed (nothing: an empty list)."""
    items = list(inspection.checklist.items.all())
    answers = {a.item_id: a for a in inspection.answers.all()}
    with_photos = set(inspection.photos.exclude(item=None).values_list("item_id", flat=True))
    drafts = hazard_drafts(inspection)
    problems = []
    missing = sum(1 for item in items if item.pk not in answers)
    if missing:
        problems.append(
            ngettext(
                "%(n)s item is not answered yet.", "%(n)s items are not answered yet.", missing
            )
            % {"n": missing}
        )
    for item in items:
        answer = answers.get(item.pk)
        if answer is None or answer.verdict != Answer.Verdict.NOT_COMPLIANT:
            continue
        if item.pk not in drafts:
            problems.append(
                _("Item %(n)s: write the hazard and the rectification order.") % {"n": item.order}
            )
        if item.photo_required and item.pk not in with_photos:
            problems.append(_("Item %(n)s: take at least one photo.") % {"n": item.order})
    if representative and not (
        inspection.representative_signed_at or inspection.representative_refused
    ):
        problems.append(_("The representative has not signed, and no refusal is recorded."))
    return problems


@dataclass
class Row:
    """One checklist item as the inspection page shows it."""

    item: ChecklistItem
    answer: Answer | None
    photos: list[Photo] = field(default_factory=list)
    draft: dict | None = None

    @property
    def not_compliant(self) -> bool:
        return self.answer is not None and self.answer.verdict == Answer.Verdict.NOT_COMPLIANT

    @property
    def needs_photo(self) -> bool:
        return self.not_compliant and self.item.photo_required and not self.photos

    @property
    def needs_hazard(self) -> bool:
        return self.not_compliant and self.draft is None


def inspection_rows(inspection: Inspection, *, item_id: int | None = None) -> list[Row]:
    """The items in order with their answers, photos and drafts (three queries)."""
    items = inspection.checklist.items.all()
    if item_id is not None:
        items = items.filter(pk=item_id)
    answers = {a.item_id: a for a in inspection.answers.all()}
    photos: dict[int | None, list[Photo]] = {}
    for photo in inspection.photos.all():
        photos.setdefault(photo.item_id, []).append(photo)
    drafts = hazard_drafts(inspection)
    hazards = {}
    if inspection.status == Inspection.Status.SIGNED:
        hazards = {h.answer.item_id: h for h in inspection.hazards.select_related("answer")}
    rows = []
    for item in items:
        draft = drafts.get(item.pk)
        if item.pk in hazards:
            h = hazards[item.pk]
            draft = {
                "description": h.description,
                "order_text": h.order_text,
                "deadline": h.deadline.isoformat(),
                "hazard": h,
            }
        rows.append(Row(item, answers.get(item.pk), photos.get(item.pk, []), draft))
    return rows


# --- who sees what -------------------------------------------------------------------------------
def inspections_for(user) -> QuerySet[Inspection]:
    """The inspections the user may see: the office's city, the unit's own, and those of the
    subjects the user was drawn to inspect."""
    qs = Inspection.objects.select_related(
        "subject__district", "subject__region", "unit", "checklist", "drawn"
    )
    if getattr(user, "is_superuser", False):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    drawn_for_me = DrawnInspector.objects.filter(
        drawn=OuterRef("drawn"), is_active=True, inspector__user=user
    )
    return qs.filter(
        Q(subject__region_id__in=policy.office_regions(user))
        | Q(unit_id__in=work_unit_ids(user))
        | Exists(drawn_for_me)
    )


def inspection_for(user, number) -> Inspection | None:
    """One inspection by its number, if the user may see it (else None: "not found")."""
    if not isinstance(number, str) or not 0 < len(number) <= NUMBER_MAX:
        return None
    found = (
        Inspection.objects.select_related(
            "subject__region",
            "subject__district",
            "subject__enterprise",
            "unit",
            "checklist",
            "drawn__task",
        )
        .filter(number=number)
        .first()
    )
    if found is None or not policy.can(user, SupervisionAction.WORK, found):
        return None
    return found


def may_inspect(user, inspection: Inspection) -> bool:
    return inspection.status == Inspection.Status.IN_PROGRESS and policy.can(
        user, SupervisionAction.INSPECT, inspection
    )


def office_inspections(
    user,
    *,
    query: str = "",
    status: str = "",
    kind: str = "",
    district: Region | None = None,
    unit=None,
    result: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Inspection]:
    """The list, searched by number or subject name and filtered; newest first."""
    qs = inspections_for(user)
    for term in search_terms((query or "").strip()):
        qs = qs.filter(Q(number__icontains=term) | Q(subject__name__icontains=term))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(subject__kind=kind)
    if district is not None:
        qs = qs.filter(subject__district=district)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if result:
        qs = qs.filter(result=result)
    if date_from:
        qs = qs.filter(inspected_on__gte=date_from)
    if date_to:
        qs = qs.filter(inspected_on__lte=date_to)
    return qs.annotate(hazard_count=hazard_count()).order_by("-inspected_on", "-pk")


def hazard_count() -> Subquery:
    """Each inspection's hazards, counted for the rows shown only (a correlated count, where a
    join and GROUP BY would aggregate the whole table before the page is cut)."""
    return Coalesce(
        Subquery(
            Hazard.objects.filter(inspection=OuterRef("pk"))
            .order_by()
            .values("inspection")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def drawn_for(user) -> QuerySet[DrawnSubject]:
    """The subjects the user was drawn to inspect (active draws of tasks not done) that have no
    signed inspection yet."""
    if not getattr(user, "is_authenticated", False):
        return DrawnSubject.objects.none()
    mine = DrawnInspector.objects.filter(drawn=OuterRef("pk"), is_active=True, inspector__user=user)
    finished = Inspection.objects.filter(drawn=OuterRef("pk")).exclude(
        status=Inspection.Status.IN_PROGRESS
    )
    return (
        DrawnSubject.objects.filter(Exists(mine), is_active=True, task__status=Task.Status.DRAWN)
        .exclude(Exists(finished))
        .select_related("subject__district", "subject__canteen", "task", "inspection")
        .order_by("task__ends_on", "task_id", "position")
    )


def inspections_in_progress(user) -> QuerySet[Inspection]:
    """The user's inspections in progress: started by them, or of a subject drawn for them."""
    drawn_for_me = DrawnInspector.objects.filter(
        drawn=OuterRef("drawn"), is_active=True, inspector__user=user
    )
    return (
        Inspection.objects.filter(status=Inspection.Status.IN_PROGRESS)
        .filter(Q(started_by=user) | Exists(drawn_for_me))
        .select_related("subject__district", "checklist")
        .order_by("-inspected_on", "-pk")
    )


def recently_signed(user, limit: int = 10) -> list[Inspection]:
    drawn_for_me = DrawnInspector.objects.filter(
        drawn=OuterRef("drawn"), is_active=True, inspector__user=user
    )
    return list(
        Inspection.objects.filter(status=Inspection.Status.SIGNED)
        .filter(Q(started_by=user) | Exists(drawn_for_me))
        .select_related("subject")
        .order_by("-signed_at", "-pk")[:limit]
    )


def adhoc_subjects(inspector, query: str) -> QuerySet[Subject]:
    """Subjects of the inspector's city they may inspect ad hoc, searched by name or address."""
    city = inspector.unit.region
    if city.level == Region.Level.DISTRICT and city.parent_id:
        city = city.parent
    qs = Subject.objects.filter(
        Q(region=city) | Q(region__parent=city), is_active=True, kind__in=inspector.kinds or []
    ).select_related("district")
    terms = search_terms((query or "").strip())
    if not terms:
        return qs.none()
    for term in terms:
        qs = qs.filter(Q(name__icontains=term) | Q(address__icontains=term))
    return qs.order_by("name", "pk")


# --- checklists ----------------------------------------------------------------------------------
def checklist_regions(user) -> list[Region]:
    """The cities whose checklists the user keeps (the office's)."""
    if getattr(user, "is_superuser", False):
        return list(Region.objects.filter(level=Region.Level.CITY).order_by("code"))
    return list(Region.objects.filter(pk__in=policy.office_region_ids(user)).order_by("code"))


def checklists_of(region: Region) -> list[Checklist]:
    """The city's checklists: every version, current first within each code."""
    return list(
        Checklist.objects.filter(region=region)
        .annotate(item_count=Count("items", distinct=True), used=Count("inspections"))
        .order_by("code", "-version")
    )


def checklist_for(user, pk) -> Checklist | None:
    if not isinstance(pk, int) or not 0 < pk < 2**63:
        return None
    found = Checklist.objects.select_related("region", "created_by").filter(pk=pk).first()
    if found is None or not policy.can(user, SupervisionAction.DIRECTORY, found.region):
        return None
    return found


# --- for other pages -----------------------------------------------------------------------------
def timeline_entries(enterprise) -> list[Entry]:
    """The inspections of the enterprise's subjects, newest first."""
    rows = (
        Inspection.objects.filter(subject__enterprise=enterprise)
        .select_related("subject")
        .annotate(hazard_count=hazard_count())
        .order_by("-inspected_on", "-pk")[:TIMELINE_LIMIT]
    )
    entries = []
    for inspection in rows:
        title = f"{inspection.number} · {inspection.subject.name}"
        if inspection.hazard_count:
            title += " · " + ngettext("%(n)s hazard", "%(n)s hazards", inspection.hazard_count) % {
                "n": inspection.hazard_count
            }
        entries.append(
            Entry(
                when=inspection.signed_at or inspection.inspected_on,
                kind=_("Inspection"),
                title=title,
                status=str(inspection.get_status_display()),
                url=reverse("sv_inspection:detail", args=[inspection.number]),
            )
        )
    return entries
