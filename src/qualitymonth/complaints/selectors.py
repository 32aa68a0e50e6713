"""Reads for the complaint pages, the API and the dashboard."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Avg, CharField, Count, F, Q, QuerySet, Value
from django.db.models.functions import Length, TruncWeek
from django.utils import timezone

from qualitymonth.complaints.models import Complaint, ProblemGroup
from qualitymonth.complaints.routing.pipeline import words
from qualitymonth.complaints.services.hotspots import respondent_key
from qualitymonth.core.models import Region
from qualitymonth.core.pagination import paginate
from qualitymonth.core.permissions import policy
from qualitymonth.core.privacy import scrub_personal_text
from qualitymonth.core.workdays import add_workdays

DUE_SOON_WORKDAYS = 2
COUNT_CAP = 1_000


def intake_region(campaign=None) -> Region | None:
    """The city whose office receives cases: the given campaign's (by default the site-wide
    current one's), else the first city set up."""
    from qualitymonth.campaigns.selectors import current_campaign

    campaign = campaign or current_campaign()
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
        "unit__name_en",  # names follow the reader's language (core.i18n)
        "district__name",
        "district__name_en",
        "routing_confidence",
        "satisfaction",
    )
    if filters.due:
        return qs.order_by("due_on", "id")
    return qs.order_by("-received_at", "-id")


def paginate_cases(request, qs, per_page: int = 20):
    """Counting a million rows to print "page 1 of 50,000" costs more than the page itself:
    count up to a cap and say "more than" beyond it."""
    return paginate(request, qs, per_page, count_cap=COUNT_CAP)


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


@dataclass(frozen=True)
class BoardRow:
    """One problem on the public board: only what anyone may read."""

    title: str
    district: str
    cases: int
    solved: int
    avg_days: float | None
    action: str  # the action's label, "" while nothing has been done
    action_note: str


def public_board(region: Region, *, days: int = 90, limit: int = 10) -> list[BoardRow]:
    """The 关键小事 board. Titles and notes are typed by the office, sometimes from a citizen's
    words: they pass through the same scrubber as every public read."""
    groups = hot_groups(region, days=days, limit=limit)
    outcomes = group_outcomes(groups, days=days)
    rows = []
    for group in groups:
        outcome = outcomes.get(group.pk, {})
        rows.append(
            board_row(
                group,
                cases=outcome.get("total") or group.case_count,
                solved=outcome.get("solved") or 0,
                avg_days=outcome.get("avg_days"),
            )
        )
    return rows


def board_row(group: ProblemGroup, *, cases: int, solved: int, avg_days=None) -> BoardRow:
    """What the public shows of a problem group (the board, the dashboard's results page): the
    office's public title or the group's class and nature, never the respondent's name or a
    citizen's words; the office's note on what was done, scrubbed of personal details."""
    title = scrub_personal_text(group.public_title) or (
        f"{group.get_category_display()} · {group.get_nature_display()}"
    )
    acted = group.action != ProblemGroup.Action.NONE
    return BoardRow(
        title=title,
        district=group.district.localized_name if group.district_id else "",
        cases=cases,
        solved=solved,
        avg_days=avg_days,
        action=str(group.get_action_display()) if acted else "",
        action_note=scrub_personal_text(group.action_note) if acted else "",
    )


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


# --- similar open cases: the intake form's "join instead" ------------------------------------
# People type a business as they know it: "厦门市集美区力健坊" for "厦门市集美区力健坊健身会所",
# "力健坊湖里店" for a branch. respondent_key already drops place prefixes, legal forms, branches
# in brackets, spaces and punctuation; a trailing shop word goes too. What is left starts with the
# brand and ends with the trade ("力健坊" + "健身会所"): two names match when one begins the other,
# or when they start with the same word (jieba) and share most of their text. A shared trade
# alone ("鹭佳电器", "美的电器"; "健身") is not the same business.
_SHOP_WORDS = re.compile(r"(?:分店|门店|专卖店|旗舰店|店)$")
SIMILAR_MIN_OVERLAP = 0.6
SIMILAR_CANDIDATES = 200


def business_key(name: str) -> str:
    return _key_without_shop_word(respondent_key(name))


def _key_without_shop_word(key: str) -> str:
    stripped = _SHOP_WORDS.sub("", key)
    return stripped if len(stripped) >= 2 else key


def business_overlap(first: str, second: str) -> float:
    """How surely two business keys name the same business, from 0 to 1."""
    if not first or not second:
        return 0.0
    if first.startswith(second) or second.startswith(first):
        return 1.0
    a, b = words(first), words(second)
    if a[0] != b[0]:
        return 0.0  # another brand
    shared = sum(len(word) for word in set(a) & set(b))
    return shared / min(len(first), len(second))


def similar_open_cases(*, region_id: int, respondent_name: str, limit: int = 5) -> list:
    """Open cases about the same business, best match first."""
    key = business_key(respondent_name)
    if len(key) < 2:
        return []
    # Candidates from the database (their key holds this one's first word, or begins it); the
    # overlap then decides, on a few hundred rows at most.
    candidates = (
        Complaint.objects.filter(region_id=region_id, status__in=Complaint.OPEN_STATUSES)
        .exclude(unit__isnull=True)
        .alias(typed=Value(key, output_field=CharField()), key_length=Length("respondent_key"))
        .filter(
            Q(respondent_key__contains=words(key)[0]) | Q(typed__startswith=F("respondent_key")),
            key_length__gte=2,
        )
        .select_related("group")
        .order_by("-received_at")[:SIMILAR_CANDIDATES]
    )
    scored = [
        (business_overlap(key, _key_without_shop_word(case.respondent_key)), case)
        for case in candidates
    ]
    # A stable sort: equally good matches stay newest first.
    scored = sorted(
        (pair for pair in scored if pair[0] >= SIMILAR_MIN_OVERLAP), key=lambda p: -p[0]
    )
    return [case for _score, case in scored[:limit]]
