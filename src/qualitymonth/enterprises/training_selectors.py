"""Reads of enterprise trainings and the CQO register: trainings open for registration, an
enterprise's attendances and CQOs, a training's attendance, the register of trained CQOs with
its counts per industry, and the enterprise page's timeline entries."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.campaigns.models import Activity, Registration
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import mask_name
from qualitymonth.enterprises.models import (
    ChiefQualityOfficer,
    Enterprise,
    Industry,
    Training,
    TrainingAttendance,
)
from qualitymonth.enterprises.selectors import apply_search, office_region_ids
from qualitymonth.enterprises.timeline import Entry

TIMELINE_LIMIT = 20


def open_q(now: dt.datetime) -> Q:
    """Activity.registration_state() == "open", as a filter on Training."""
    return (
        Q(activity__status=Activity.Status.PUBLISHED, activity__capacity__isnull=False)
        & (
            Q(activity__registration_opens_at__isnull=True)
            | Q(activity__registration_opens_at__lte=now)
        )
        & (
            Q(activity__registration_closes_at__gt=now)
            | Q(activity__registration_closes_at__isnull=True, activity__starts_at__gt=now)
        )
    )


def open_trainings(now: dt.datetime | None = None) -> QuerySet[Training]:
    """Trainings taking registrations now, soonest first, with the seats taken."""
    now = now or timezone.now()
    return (
        Training.objects.filter(open_q(now))
        .select_related("activity__campaign", "activity__organiser", "activity__district")
        .annotate(
            confirmed=Count(
                "activity__registrations",
                filter=Q(activity__registrations__status=Registration.Status.CONFIRMED),
            )
        )
        .order_by("activity__starts_at", "pk")
    )


def training_for_activity(activity_id: int) -> Training | None:
    return (
        Training.objects.select_related(
            "activity__campaign__region", "activity__organiser", "activity__district"
        )
        .filter(activity_id=activity_id)
        .first()
    )


def user_enterprises(user) -> QuerySet[Enterprise]:
    """The enterprises the user acts for."""
    if not getattr(user, "is_authenticated", False):
        return Enterprise.objects.none()
    return Enterprise.objects.filter(members__user=user).order_by("name")


def serving_cqos(enterprises) -> QuerySet[ChiefQualityOfficer]:
    return (
        ChiefQualityOfficer.objects.filter(enterprise__in=enterprises, ended_on__isnull=True)
        .select_related("enterprise")
        .order_by("enterprise__name", "name", "pk")
    )


def enterprise_attendances(enterprise: Enterprise) -> QuerySet[TrainingAttendance]:
    return (
        TrainingAttendance.objects.filter(enterprise=enterprise)
        .select_related("training__activity", "registration", "cqo")
        .order_by("-created_at", "-pk")
    )


def enterprise_cqos(enterprise: Enterprise) -> QuerySet[ChiefQualityOfficer]:
    return enterprise.cqos.select_related("certified_by_training__activity").order_by(
        "ended_on", "-appointed_on", "-pk"
    )


def manageable_trainings(user) -> QuerySet[Training]:
    """The trainings of the activities the user may see in the back office."""
    return (
        Training.objects.filter(
            activity__in=Activity.objects.filter(policy.activities_filter(user)).values("pk")
        )
        .select_related("activity__organiser", "activity__campaign")
        .annotate(
            attendance_count=Count("attendances", distinct=True),
            certified_count=Count("certified_cqos", distinct=True),
        )
        .order_by("-activity__starts_at", "-pk")
    )


def markable_activities(user) -> QuerySet[Activity]:
    """Activities the user may mark as trainings: their own or their region's, taking
    registrations, not cancelled and not trainings yet."""
    return (
        Activity.objects.filter(policy.activities_filter(user))
        .filter(capacity__isnull=False, training__isnull=True)
        .exclude(status=Activity.Status.CANCELLED)
        .select_related("organiser")
        .order_by("-starts_at", "pk")
    )


def training_attendance(training: Training) -> QuerySet[TrainingAttendance]:
    """A training's enterprise attendance, by enterprise."""
    return (
        TrainingAttendance.objects.filter(training=training)
        .select_related("enterprise", "registration", "cqo")
        .order_by("enterprise__name", "pk")
    )


# --- the register of trained CQOs ---------------------------------------------------------------
def register_base(user) -> QuerySet[ChiefQualityOfficer]:
    qs = ChiefQualityOfficer.objects.filter(certificate_number__isnull=False)
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(enterprise__region_id__in=office_region_ids(user))


def cqo_register(user, filters: dict | None = None) -> QuerySet[ChiefQualityOfficer]:
    """Trained CQOs of the office's regions; filters: section, division (Industry), district,
    q (an enterprise's name or the start of its code), serving ("1": appointment not ended)."""
    filters = filters or {}
    qs = register_base(user)
    if filters.get("division"):
        qs = qs.filter(enterprise__industry=filters["division"])
    elif filters.get("section"):
        section = filters["section"]
        qs = qs.filter(Q(enterprise__industry=section) | Q(enterprise__industry__section=section))
    if filters.get("district"):
        qs = qs.filter(enterprise__district=filters["district"])
    if filters.get("serving"):
        qs = qs.filter(ended_on__isnull=True)
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(enterprise__in=apply_search(Enterprise.objects.all(), text).values("pk"))
    return qs.select_related(
        "enterprise__district",
        "enterprise__industry__section",
        "certified_by_training__activity",
    ).order_by("enterprise__name", "certificate_number")


def register_counts(qs: QuerySet[ChiefQualityOfficer], *, section=None) -> list[tuple]:
    """(industry, count) rows of a register list, largest first: per section, or per division
    of one section when a section is chosen; enterprises filed under no industry last."""
    if section is None:
        key = Coalesce("enterprise__industry__section_id", "enterprise__industry_id")
    else:
        key = Coalesce("enterprise__industry_id", 0)
    rows = list(
        qs.order_by().annotate(industry_key=key).values("industry_key").annotate(n=Count("pk"))
    )
    industries = Industry.objects.in_bulk([r["industry_key"] for r in rows if r["industry_key"]])
    counted = [(industries.get(r["industry_key"]), r["n"]) for r in rows]
    return sorted(counted, key=lambda row: (row[0] is None, -row[1], row[0].code if row[0] else ""))


# --- the enterprise page ------------------------------------------------------------------------
def timeline_entries(enterprise: Enterprise) -> list[Entry]:
    """Training attendances and CQO appointments, certificates and ends (two queries)."""
    entries = []
    for attendance in enterprise_attendances(enterprise)[:TIMELINE_LIMIT]:
        registration = attendance.registration
        activity = attendance.training.activity
        entries.append(
            Entry(
                when=attendance.created_at,
                kind=_("Training"),
                title=activity.title,
                status=_("checked in")
                if registration.checked_in_at
                else str(registration.get_status_display()),
                url=reverse("trainings_office:attendance", args=[activity.pk]),
            )
        )
    for cqo in enterprise_cqos(enterprise)[:TIMELINE_LIMIT]:
        entries.append(
            Entry(
                when=cqo.appointed_on,
                kind=_("Chief quality officer"),
                title=_("%(name)s appointed CQO") % {"name": mask_name(cqo.name)},
                status=_("appointment ended") if cqo.ended_on else "",
            )
        )
        if cqo.certified_at:
            entries.append(
                Entry(
                    when=cqo.certified_at,
                    kind=_("Chief quality officer"),
                    title=_("%(name)s certified: %(number)s")
                    % {"name": mask_name(cqo.name), "number": cqo.certificate_number},
                )
            )
    return entries
