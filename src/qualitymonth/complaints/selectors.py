"""Reads for the complaint pages, the API and the dashboard."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.functional import cached_property

from qualitymonth.complaints.models import Complaint, ProblemGroup
from qualitymonth.core.models import Region
from qualitymonth.core.permissions import policy
from qualitymonth.core.workdays import add_workdays

DUE_SOON_WORKDAYS = 2
COUNT_CAP = 1_000


def intake_region() -> Region | None:
    """The city whose office receives cases from this site: the current campaign's."""
    from qualitymonth.campaigns.selectors import current_campaign

    campaign = current_campaign()
    if campaign:
        return campaign.region
    return Region.objects.filter(level=Region.Level.CITY).order_by("code").first()


@dataclass
class CaseFilters:
    status: str = ""  # a Status value, "open" or "finished"
    kind: str = ""
    nature: str = ""
    category: str = ""
    district: str = ""  # region code
    unit: str = ""  # unit code
    due: str = ""  # "soon" or "overdue"
    q: str = ""  # tracking number, or words of the respondent's name
    triage: bool = False  # only cases waiting for the office to assign them


def office_cases(user, filters: CaseFilters) -> QuerySet[Complaint]:
    """The cases this user may see, filtered. Deadline views sort by deadline, others by date."""
    qs = Complaint.objects.filter(policy.complaints_filter(user))
    if filters.triage:
        qs = qs.filter(unit__isnull=True)
    if filters.status == "open":
        qs = qs.filter(status__in=Complaint.OPEN_STATUSES)
    elif filters.status == "finished":
        qs = qs.filter(status__in=Complaint.FINISHED_STATUSES)
    elif filters.status in Complaint.Status.values:
        qs = qs.filter(status=filters.status)
    for name in ("kind", "nature", "category"):
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{name: value})
    if filters.district:
        qs = qs.filter(district_id=Region.objects.filter(code=filters.district).values("pk")[:1])
    if filters.unit:
        qs = qs.filter(unit__code=filters.unit)
    today = timezone.localdate()
    if filters.due == "overdue":
        qs = qs.filter(status__in=Complaint.OPEN_STATUSES, due_on__lt=today)
    elif filters.due == "soon":
        qs = qs.filter(
            status__in=Complaint.OPEN_STATUSES,
            due_on__gte=today,
            due_on__lte=add_workdays(today, DUE_SOON_WORKDAYS),
        )
    query = (filters.q or "").strip()[:60]
    if query.isdigit() and len(query) >= 8:
        qs = qs.filter(tracking_number__startswith=query)
    elif query:
        qs = qs.filter(respondent_name__icontains=query)
    qs = qs.select_related("unit", "district").only(
        "tracking_number",
        "kind",
        "status",
        "nature",
        "category",
        "respondent_name",
        "received_at",
        "due_on",
        "unit__short_name",
        "unit__name",
        "district__name",
        "routing_confidence",
        "satisfaction",
    )
    if filters.due:
        return qs.order_by("due_on", "id")
    return qs.order_by("-received_at", "-id")


class CappedPaginator(Paginator):
    """Counting a million rows to print "page 1 of 50,000" costs more than the page itself:
    count up to a cap and say "more than" beyond it."""

    @cached_property
    def count(self) -> int:
        return self.object_list[: COUNT_CAP + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > COUNT_CAP


def paginate_cases(request, qs, per_page: int = 20):
    return CappedPaginator(qs, per_page).get_page(request.GET.get("page"))


def case_for_office(user, tracking_number: str) -> Complaint | None:
    return (
        Complaint.objects.filter(policy.complaints_filter(user), tracking_number=tracking_number)
        .select_related("unit", "district", "region", "group", "joined_to")
        .first()
    )


def case_for_complainant(tracking_number: str, mobile_last4: str) -> Complaint | None:
    tracking_number = (tracking_number or "").strip()
    mobile_last4 = (mobile_last4 or "").strip()
    if not (tracking_number.isdigit() and len(mobile_last4) == 4 and mobile_last4.isdigit()):
        return None
    case = (
        Complaint.objects.filter(tracking_number=tracking_number)
        .select_related("unit", "district")
        .first()
    )
    if case is None or not case.complainant_mobile.endswith(mobile_last4):
        return None
    return case


def public_events(complaint: Complaint):
    return complaint.events.filter(is_public=True).select_related("unit")


def unit_deadline_counts(user) -> dict[str, int]:
    """Overdue and due-soon counts for the back-office home."""
    today = timezone.localdate()
    open_cases = Complaint.objects.filter(
        policy.complaints_filter(user), status__in=Complaint.OPEN_STATUSES
    )
    # Counting a column of the covering index on (status, due_on), not the id, lets the index
    # answer alone.
    return open_cases.aggregate(
        overdue=Count("status", filter=Q(due_on__lt=today)),
        soon=Count(
            "status",
            filter=Q(due_on__gte=today, due_on__lte=add_workdays(today, DUE_SOON_WORKDAYS)),
        ),
        triage=Count("status", filter=Q(unit__isnull=True)),
    )


# --- hotspots ---------------------------------------------------------------------------------
def hot_groups(region: Region, *, days: int = 30, limit: int = 20) -> list[ProblemGroup]:
    since = timezone.now() - dt.timedelta(days=days)
    return list(
        ProblemGroup.objects.filter(region=region, last_at__gte=since, case_count__gte=2)
        .select_related("district")
        .order_by("-case_count", "-last_at")[:limit]
    )


def group_outcomes(groups: list[ProblemGroup], *, days: int = 365) -> dict[int, dict]:
    """Per group, over the period: cases, how many have an answer, average days to it."""
    since = timezone.now() - dt.timedelta(days=days)
    rows = (
        Complaint.objects.filter(group__in=groups, received_at__gte=since)
        .values("group_id")
        .annotate(
            total=Count("received_at"),
            solved=Count("finished_at"),
            avg_time=Avg(F("finished_at") - F("received_at")),
        )
    )
    outcome = {}
    for row in rows:
        avg = row["avg_time"]
        if avg is not None and not isinstance(avg, dt.timedelta):
            avg = dt.timedelta(microseconds=avg)  # SQLite returns microseconds
        row["avg_days"] = round(avg.total_seconds() / 86400, 1) if avg else None
        outcome[row["group_id"]] = row
    return outcome


def weekly_trend(region: Region, *, weeks: int = 8, by: str = "category") -> list[dict]:
    """Cases per week and per category (or district) over the last weeks."""
    since = timezone.now() - dt.timedelta(weeks=weeks)
    field = {"category": "category", "district": "district__name"}[by]
    return list(
        Complaint.objects.filter(region=region, received_at__gte=since)
        .annotate(week=TruncWeek("received_at"))
        .values("week", field)
        .annotate(n=Count("received_at"))  # a column of the covering index, unlike the id
        .order_by("week", field)
    )


def board_totals(region: Region, *, days: int = 365) -> dict:
    since = timezone.now() - dt.timedelta(days=days)
    totals = Complaint.objects.filter(region=region, received_at__gte=since).aggregate(
        total=Count("id"),
        finished=Count("id", filter=Q(finished_at__isnull=False)),
        on_time=Count(
            "id",
            filter=Q(finished_at__isnull=False)
            & (
                Q(accept_due__isnull=True, verify_due__isnull=True)
                | Q(finished_at__date__lte=F("accept_due"))
                | Q(finished_at__date__lte=F("verify_due"))
                | Q(finished_at__date__lte=F("mediation_due"))
            ),
        ),
        avg_time=Avg(F("finished_at") - F("received_at")),
        satisfaction=Avg("satisfaction"),
    )
    avg = totals.pop("avg_time")
    if avg is not None and not isinstance(avg, dt.timedelta):
        avg = dt.timedelta(microseconds=avg)
    totals["avg_days"] = round(avg.total_seconds() / 86400, 1) if avg else None
    if totals["satisfaction"] is not None:
        totals["satisfaction"] = round(totals["satisfaction"], 2)
    return totals
