"""Reads of hazards and their rectification: the unit's and the office's lists with their clocks
(open, due soon, overdue, closed, escalated), one hazard with what it needs on its page, an
enterprise's own rectification orders, and the enterprise page's timeline rows.

Who sees a hazard is the policy's WORK rule turned into a filter: the unit that inspected, the
drawn inspectors of the inspection, and the office of the subject's city (or above it)."""

import datetime as dt
import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qualitymonth.core.models import AuditEvent, Region, Unit
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import BIGINT_MAX
from qualitymonth.core.workdays import add_workdays
from qualitymonth.enterprises.models import EnterpriseMember
from qualitymonth.enterprises.timeline import Entry
from qualitymonth.supervision.models import DrawnInspector, Hazard, Photo
from qualitymonth.supervision.permissions import (
    SUPERVISING_KINDS,
    SupervisionAction,
    is_inspector,
    work_unit_ids,
)

S = Hazard.Status
DUE_SOON_WORKDAYS = 3
TIMELINE_LIMIT = 50
OBJECT_TYPE = "supervision.hazard"  # what audit_record writes for a Hazard target
REMINDED = "supervision.hazard.reminded"
LIVE = (S.OPEN, S.ANSWERED)
TABS = ("open", "due_soon", "overdue", "closed", "escalated")

# Lists count up to this many rows: "more than 1,000" is all a page needs to say.
COUNT_CAP = 1_000


def tab_labels() -> list[tuple[str, str]]:
    return [
        ("open", pgettext("hazards", "Open")),
        ("due_soon", _("Due soon")),
        ("overdue", _("Overdue")),
        ("closed", _("Rectified")),
        ("escalated", _("Escalated")),
    ]


# --- scope ---------------------------------------------------------------------------------------
def _scope(user) -> Q | None:
    """The hazards the user works on, as a filter (None: all of them). The regions an office
    covers are resolved first (a small table), so the filter is one join to the subject, and
    the drawn-inspector test is only asked of people in the inspectors' directory."""
    if getattr(user, "is_superuser", False):
        return None
    parts = []
    if policy.office_region_ids(user):
        parts.append(Q(subject__region_id__in=policy.office_regions(user)))
    units = work_unit_ids(user)
    if units:
        parts.append(Q(unit_id__in=units))
    if is_inspector(user):
        drawn = DrawnInspector.objects.filter(
            drawn_id=OuterRef("inspection__drawn_id"), is_active=True, inspector__user_id=user.pk
        )
        parts.append(Q(Exists(drawn)))
    if not parts:
        return Q(pk__in=[])
    return reduce(operator.or_, parts)


def hazards_for(user) -> QuerySet[Hazard]:
    """Every hazard the user may work on (no order, nothing joined)."""
    if not getattr(user, "is_authenticated", False):
        return Hazard.objects.none()
    scope = _scope(user)
    return Hazard.objects.all() if scope is None else Hazard.objects.filter(scope)


def _for_list(qs: QuerySet[Hazard]) -> QuerySet[Hazard]:
    return qs.select_related("subject__district", "inspection", "unit")


# --- the list ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    tab: str = "open"
    query: str = ""
    district: str = ""  # a district's code
    kind: str = ""  # a SubjectKind value
    unit: int | None = None


def tab_filter(qs: QuerySet[Hazard], tab: str, today: dt.date) -> QuerySet[Hazard]:
    if tab == "due_soon":
        soon = add_workdays(today, DUE_SOON_WORKDAYS)
        return qs.filter(status=S.OPEN, deadline__gte=today, deadline__lte=soon)
    if tab == "overdue":
        return qs.filter(status=S.OPEN, deadline__lt=today)
    if tab == "closed":
        return qs.filter(status=S.CLOSED)
    if tab == "escalated":
        return qs.filter(status=S.ESCALATED)
    return qs.filter(status__in=LIVE)


def hazard_list(user, filters: Filters, *, today: dt.date) -> QuerySet[Hazard]:
    """One tab of the list, searched by subject name or inspection number and filtered."""
    qs = tab_filter(hazards_for(user), filters.tab, today)
    query = (filters.query or "").strip()[:60]
    if query:
        qs = qs.filter(Q(subject__name__icontains=query) | Q(inspection__number__iexact=query))
    if filters.district:
        qs = qs.filter(subject__district__code=filters.district)
    if filters.kind:
        qs = qs.filter(subject__kind=filters.kind)
    if filters.unit is not None:
        qs = qs.filter(unit_id=filters.unit)
    if filters.tab == "closed":
        order = ("-closed_at", "-pk")
    elif filters.tab == "escalated":
        order = ("-reinspected_on", "-pk")
    else:
        order = ("deadline", "pk")
    return _for_list(qs).order_by(*order)


def tab_counts(user, *, today: dt.date) -> dict[str, int]:
    """How many hazards each tab holds (one query)."""
    soon = add_workdays(today, DUE_SOON_WORKDAYS)
    return hazards_for(user).aggregate(
        open=Count("pk", filter=Q(status__in=LIVE)),
        due_soon=Count("pk", filter=Q(status=S.OPEN, deadline__gte=today, deadline__lte=soon)),
        overdue=Count("pk", filter=Q(status=S.OPEN, deadline__lt=today)),
        closed=Count("pk", filter=Q(status=S.CLOSED)),
        escalated=Count("pk", filter=Q(status=S.ESCALATED)),
    )


def district_choices(user) -> QuerySet[Region]:
    """The districts of the cities whose hazards the user may see (not read from the hazards:
    a list of a hundred thousand would be scanned for six names)."""
    if getattr(user, "is_superuser", False):
        return Region.objects.filter(level=Region.Level.DISTRICT).order_by("code")
    units = work_unit_ids(user)
    cities = set(policy.office_region_ids(user))
    cities |= {m.unit.region_id for m in policy.memberships(user) if m.unit_id in units}
    return Region.objects.filter(
        Q(parent_id__in=cities) | Q(pk__in=cities), level=Region.Level.DISTRICT
    ).order_by("code")


def unit_choices(user) -> QuerySet[Unit]:
    """The supervising units whose hazards the user may see."""
    if getattr(user, "is_superuser", False):
        return Unit.objects.filter(kind__in=SUPERVISING_KINDS).order_by("name")
    return (
        Unit.objects.filter(Q(pk__in=policy.covered_units(user)) | Q(pk__in=work_unit_ids(user)))
        .filter(kind__in=SUPERVISING_KINDS)
        .order_by("name")
    )


def with_clock(hazards, *, today: dt.date) -> list[Hazard]:
    """The hazards with `.overdue` and `.due_soon` set (for a page of a list)."""
    soon = add_workdays(today, DUE_SOON_WORKDAYS)
    hazards = list(hazards)
    for hazard in hazards:
        hazard.overdue = hazard.status == S.OPEN and hazard.deadline < today
        hazard.due_soon = hazard.status == S.OPEN and today <= hazard.deadline <= soon
    return hazards


# --- one hazard ----------------------------------------------------------------------------------
def _valid_pk(pk) -> bool:
    return isinstance(pk, int) and 0 < pk <= BIGINT_MAX


def _one(pk) -> Hazard | None:
    if not _valid_pk(pk):
        return None
    return (
        Hazard.objects.select_related(
            "subject__region",
            "subject__district",
            "subject__enterprise",
            "inspection__drawn",
            "answer__item",
            "unit__region",
        )
        .filter(pk=pk)
        .first()
    )


@dataclass
class Access:
    hazard: Hazard
    can_work: bool  # the unit, a drawn inspector, the office
    can_respond: bool  # a user of the subject's enterprise


def hazard_access(user, pk) -> Access | None:
    """The hazard and what the user may do with it; None when they may not see it at all."""
    found = _one(pk)
    if found is None:
        return None
    can_work = policy.can(user, SupervisionAction.WORK, found)
    can_respond = policy.can(user, SupervisionAction.RESPOND, found)
    if not (can_work or can_respond):
        return None
    return Access(found, can_work, can_respond)


def hazard_for(user, pk) -> Hazard | None:
    """One hazard the user works on (else None: "not found")."""
    access = hazard_access(user, pk)
    return access.hazard if access and access.can_work else None


def item_photos(hazard: Hazard) -> list[Photo]:
    """The photos the inspectors took of the non-compliant item."""
    if hazard.answer_id is None:
        return []
    return list(
        Photo.objects.filter(inspection_id=hazard.inspection_id, item_id=hazard.answer.item_id)
        .only("pk", "inspection_id", "item_id", "image", "taken_at")
        .order_by("pk")
    )


def replies_of(hazard: Hazard) -> list:
    """The replies, oldest first, each with `from_enterprise` (else an inspector recorded it)."""
    replies = list(hazard.replies.order_by("created_at", "pk"))
    enterprise_id = hazard.subject.enterprise_id
    members = set()
    if enterprise_id is not None and replies:
        members = set(
            EnterpriseMember.objects.filter(
                enterprise_id=enterprise_id, user_id__in={r.by_id for r in replies if r.by_id}
            ).values_list("user_id", flat=True)
        )
    for reply in replies:
        reply.from_enterprise = reply.by_id in members
    return replies


def _step_labels() -> dict[str, str]:
    return {
        "supervision.hazard.answered": _("Rectification reported"),
        "supervision.hazard.closed": _("Re-inspected and closed"),
        "supervision.hazard.escalated": _("Re-inspected and escalated to a case"),
        "supervision.hazard.extended": _("Deadline extended"),
        "supervision.hazard.reminded": _("Unit reminded of the passed deadline"),
    }


def history_of(hazard: Hazard) -> list[AuditEvent]:
    """The hazard's steps from the audit trail, oldest first, each with its `label`."""
    labels = _step_labels()
    events = list(
        AuditEvent.objects.filter(
            object_type=OBJECT_TYPE,
            object_id=str(hazard.pk),
            event_type__startswith="supervision.hazard.",
        ).order_by("created_at", "pk")[:100]
    )
    for event in events:
        event.label = labels.get(event.event_type, event.event_type)
    return events


def case_of(hazard: Hazard):
    """The enforcement case the hazard was escalated to (None if none)."""
    return hazard.cases.order_by("pk").first()


# --- the enterprise's orders ---------------------------------------------------------------------
def rectifications_for(user, *, status: str = "open") -> QuerySet[Hazard]:
    """The rectification orders of the enterprises the user acts for: open ones (ordered or
    answered) by deadline, or all of them newest first."""
    if not getattr(user, "is_authenticated", False):
        return Hazard.objects.none()
    mine = EnterpriseMember.objects.filter(
        user_id=user.pk, enterprise_id=OuterRef("subject__enterprise_id")
    )
    qs = (
        Hazard.objects.filter(Exists(mine))
        .select_related("subject", "inspection", "unit")
        .annotate(replies_count=Count("replies"))
    )
    if status == "open":
        return qs.filter(status__in=LIVE).order_by("deadline", "pk")
    if status == "done":
        return qs.exclude(status__in=LIVE).order_by("-created_at", "-pk")
    return qs.order_by("-created_at", "-pk")


# --- the enterprise page -------------------------------------------------------------------------
def timeline_entries(enterprise) -> list[Entry]:
    """The hazards found at the enterprise's subjects (one query, at most TIMELINE_LIMIT)."""
    rows = (
        Hazard.objects.filter(subject__enterprise=enterprise)
        .select_related("inspection", "subject")
        .order_by("-created_at", "-pk")[:TIMELINE_LIMIT]
    )
    return [
        Entry(
            when=row.created_at,
            kind=_("Rectification order"),
            title=f"{row.inspection.number} · {row.subject.name} · {row.description}"[:200],
            status=str(row.get_status_display()),
            url=reverse("sv_hazard:detail", args=[row.pk]),
        )
        for row in rows
    ]
