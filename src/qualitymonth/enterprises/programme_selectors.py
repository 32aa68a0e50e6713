"""Reads of the campaign programmes: the office's list with each programme's progress, the
candidates a filter matches (with how many complaints name each), the public figures of a
campaign's programmes (no enterprise named) and the enterprise page's timeline rows."""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from qualitymonth.campaigns.models import Activity
from qualitymonth.campaigns.selectors import search_terms
from qualitymonth.core.models import Region
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import BIGINT_MAX
from qualitymonth.enterprises.models import (
    Enterprise,
    Need,
    Programme,
    ProgrammeTarget,
    Visit,
)
from qualitymonth.enterprises.timeline import Entry

TIMELINE_LIMIT = 20
PUBLIC_STATUSES = (Activity.Status.PUBLISHED, Activity.Status.COMPLETED)
ZERO = Decimal("0.00")


# --- lists ---------------------------------------------------------------------------------------
def programmes_for(user) -> QuerySet[Programme]:
    """The programmes the user may see: the office's regions, and a unit's own activities."""
    qs = Programme.objects.select_related("activity__campaign", "activity__organiser", "region")
    if getattr(user, "is_superuser", False):
        return qs
    offices = policy.office_region_ids(user)
    return qs.filter(
        Q(region_id__in=offices)
        | Q(region__parent_id__in=offices)
        | Q(region__parent__parent_id__in=offices)
        | Q(activity__organiser_id__in=policy.unit_ids(user))
    )


def office_programmes(user, *, query: str = "") -> QuerySet[Programme]:
    """The list, searched by words of the activity's title; newest first."""
    qs = programmes_for(user).select_related("service_type")
    for term in search_terms((query or "").strip()):
        qs = qs.filter(activity__title__icontains=term)
    return qs.order_by("-created_at", "-pk")


def programme_for(user, pk) -> Programme | None:
    """One programme, if the user may see it (else None: "not found")."""
    from qualitymonth.enterprises.programme_permissions import ProgrammeAction

    if not isinstance(pk, int) or not 0 < pk <= BIGINT_MAX:
        return None
    found = (
        Programme.objects.select_related(
            "activity__campaign__region", "activity__organiser", "region", "service_type"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None or not policy.can(user, ProgrammeAction.VIEW, found):
        return None
    return found


def creatable_activities(user) -> QuerySet[Activity]:
    """Activities the office may make a programme of: its campaigns', not cancelled, without one."""
    if getattr(user, "is_superuser", False):
        qs = Activity.objects.all()
    else:
        offices = policy.office_region_ids(user)
        qs = Activity.objects.filter(
            Q(campaign__region_id__in=offices)
            | Q(campaign__region__parent_id__in=offices)
            | Q(campaign__region__parent__parent_id__in=offices)
        )
    return (
        qs.exclude(status=Activity.Status.CANCELLED)
        .filter(programme__isnull=True)
        .select_related("campaign")
        .order_by("-campaign__year", "starts_at", "pk")
    )


# --- progress ------------------------------------------------------------------------------------
def _empty(programme: Programme) -> dict:
    return {
        "goal": programme.goal_enterprises,
        "targets": 0,
        "reached": 0,
        "visits": 0,
        "problems_found": 0,
        "problems_solved": 0,
        "money_saved": ZERO,
        "needs_open": 0,
        "needs_closed": 0,
        "needs": 0,
    }


def progress_for(programmes) -> dict[int, dict]:
    """Each programme's progress, by pk, in three queries whatever their number: targets;
    needs (open, closed, money saved = standard fee − fee charged where both are known);
    visits (count, problems found and solved, target enterprises reached)."""
    programmes = list(programmes)
    result = {p.pk: _empty(p) for p in programmes}
    if not programmes:
        return result
    ids = list(result)
    for row in (
        ProgrammeTarget.objects.filter(programme_id__in=ids)
        .values("programme_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        result[row["programme_id"]]["targets"] = row["n"]
    saved = ExpressionWrapper(
        F("fee_standard") - F("fee_charged"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )
    for row in (
        Need.objects.filter(programme_id__in=ids)
        .values("programme_id")
        .annotate(
            n=Count("pk"),
            open=Count("pk", filter=Q(status__in=Need.OPEN_STATUSES)),
            closed=Count("pk", filter=Q(status=Need.Status.CLOSED)),
            saved=Sum(
                saved,
                filter=Q(
                    fee_standard__isnull=False,
                    fee_charged__isnull=False,
                    fee_charged__lte=F("fee_standard"),
                ),
            ),
        )
        .order_by()
    ):
        figures = result[row["programme_id"]]
        figures["needs"] = row["n"]
        figures["needs_open"] = row["open"]
        figures["needs_closed"] = row["closed"]
        figures["money_saved"] = Decimal(row["saved"] or 0).quantize(ZERO)
    is_target = Exists(
        ProgrammeTarget.objects.filter(
            programme_id=OuterRef("need__programme_id"),
            enterprise_id=OuterRef("need__enterprise_id"),
        )
    )
    for row in (
        Visit.objects.filter(need__programme_id__in=ids)
        .values("need__programme_id")
        .annotate(
            n=Count("pk"),
            found=Sum("problems_found"),
            solved=Sum("problems_solved"),
            reached=Count("need__enterprise_id", distinct=True, filter=Q(is_target)),
        )
        .order_by()
    ):
        figures = result[row["need__programme_id"]]
        figures["visits"] = row["n"]
        figures["problems_found"] = row["found"] or 0
        figures["problems_solved"] = row["solved"] or 0
        figures["reached"] = row["reached"]
    return result


def programme_progress(programme: Programme) -> dict:
    return progress_for([programme])[programme.pk]


def with_progress(programmes) -> list[Programme]:
    """The programmes with `.progress` set (for a page of a list)."""
    programmes = list(programmes)
    figures = progress_for(programmes)
    for programme in programmes:
        programme.progress = figures[programme.pk]
    return programmes


# --- targets -------------------------------------------------------------------------------------
def complaint_count() -> Coalesce:
    """How many complaints name the enterprise of the row: by its code, or in its city by the
    business name (`name_key` = the complaints' `respondent_key`; see selectors.complaints_naming).
    A correlated count, so a list of any length is still one query."""
    from qualitymonth.complaints.models import Complaint

    naming = Complaint.objects.filter(
        Q(respondent_uscc=OuterRef("uscc"))
        | (
            Q(region_id=OuterRef("region_id"), respondent_key=OuterRef("name_key"))
            & ~Q(respondent_key="")
        )
    ).order_by()
    counted = naming.annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    return Coalesce(Subquery(counted.values("n")[:1]), 0, output_field=IntegerField())


def _in_region(region: Region) -> Q:
    return Q(region=region) | Q(region__parent=region) | Q(region__parent__parent=region)


def target_candidates(region: Region, filters: dict) -> QuerySet[Enterprise]:
    """The region's enterprises matching cleaned filters (services.programmes
    .clean_target_filters), each with `complaints` annotated."""
    qs = Enterprise.objects.filter(_in_region(region)).annotate(complaints=complaint_count())
    if filters.get("district"):
        qs = qs.filter(district__code=filters["district"])
    if filters.get("industry"):
        code = filters["industry"]
        qs = qs.filter(Q(industry__code=code) | Q(industry__section__code=code))
    if filters.get("size"):
        qs = qs.filter(size=filters["size"])
    for flag in ("is_sme", "is_key_industry", "is_specialised"):
        if filters.get(flag):
            qs = qs.filter(**{flag: True})
    if filters.get("min_complaints"):
        qs = qs.filter(complaints__gte=filters["min_complaints"])
    if filters.get("min_problems"):
        from qualitymonth.enterprises.problems import problems_count

        qs = qs.alias(problems=problems_count()).filter(problems__gte=filters["min_problems"])
    return qs.order_by("name", "pk")


def programme_targets(programme: Programme, *, query: str = "") -> QuerySet[ProgrammeTarget]:
    """The target list with district, industry, complaint count and visits of the programme."""
    visited = Visit.objects.filter(
        need__programme_id=programme.pk, need__enterprise_id=OuterRef("enterprise_id")
    )
    open_needs = Need.objects.filter(
        programme_id=programme.pk,
        enterprise_id=OuterRef("enterprise_id"),
        status__in=Need.OPEN_STATUSES,
    )
    qs = (
        ProgrammeTarget.objects.filter(programme=programme)
        .select_related("enterprise__district", "enterprise__industry")
        .annotate(
            complaints=Subquery(
                Enterprise.objects.filter(pk=OuterRef("enterprise_id"))
                .annotate(n=complaint_count())
                .values("n")[:1]
            ),
            reached=Exists(visited),
            has_open_need=Exists(open_needs),
        )
    )
    for term in search_terms((query or "").strip()):
        qs = qs.filter(enterprise__name__icontains=term)
    return qs.order_by("enterprise__name", "pk")


def programme_needs(programme: Programme) -> QuerySet[Need]:
    return programme.needs.select_related("enterprise", "provider").order_by("-submitted_at", "-pk")


# --- public --------------------------------------------------------------------------------------
def public_progress(campaign) -> list[dict]:
    """Per programme of the campaign's published activities: its title and figures, no names."""
    programmes = list(
        Programme.objects.filter(activity__campaign=campaign, activity__status__in=PUBLIC_STATUSES)
        .select_related("activity")
        .order_by("activity__starts_at", "pk")
    )
    figures = progress_for(programmes)
    return [
        {
            "title": p.activity.title,
            "activity_id": p.activity_id,
            "goal": figures[p.pk]["goal"],
            "targets": figures[p.pk]["targets"],
            "reached": figures[p.pk]["reached"],
            "visits": figures[p.pk]["visits"],
            "problems_found": figures[p.pk]["problems_found"],
            "problems_solved": figures[p.pk]["problems_solved"],
            "money_saved": figures[p.pk]["money_saved"],
        }
        for p in programmes
    ]


def public_panel(campaign) -> dict | None:
    """The campaign page's panel: None when the campaign has no public programme."""
    rows = public_progress(campaign)
    if not rows:
        return None
    return {
        "programmes": rows,
        "reached": sum(r["reached"] for r in rows),
        "problems_solved": sum(r["problems_solved"] for r in rows),
        "money_saved": sum((r["money_saved"] for r in rows), ZERO),
    }


# --- the enterprise's page -----------------------------------------------------------------------
def timeline_entries(enterprise: Enterprise) -> list[Entry]:
    """The programmes targeting the enterprise (one query, at most TIMELINE_LIMIT rows)."""
    rows = (
        ProgrammeTarget.objects.filter(enterprise=enterprise)
        .select_related("programme__activity")
        .order_by("-added_at", "-pk")[:TIMELINE_LIMIT]
    )
    return [
        Entry(
            when=row.added_at,
            kind=_("Programme"),
            title=row.programme.activity.title,
            status=_("On the target list"),
            url=reverse("programmes:detail", args=[row.programme_id]),
        )
        for row in rows
    ]
