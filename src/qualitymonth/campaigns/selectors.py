"""Reads for the campaign pages, the back office and the API."""

import calendar
import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http.request import split_domain_port
from django.utils import timezone

from qualitymonth.campaigns.models import Activity, Campaign, Registration
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import normalize_mobile

_STOPWORDS = {"的", "和", "与", "及", "在", "了", "是", "、", "，", ",", "。"}


# The visitor's chosen city (a region code): a preference, not personal data.
CITY_COOKIE = "qm_city"
_REGION_CODE = re.compile(r"\d{2,12}", flags=re.ASCII)


def current_campaign(city: str | None = None) -> Campaign | None:
    """The campaign the public site opens on: the one running now, else the latest; with a city
    (a region code), that city's."""
    qs = Campaign.objects.filter(is_published=True).select_related("region", "lead_unit")
    return _running_else_latest(qs.filter(region__code=city) if city else qs)


def _running_else_latest(qs: QuerySet[Campaign]) -> Campaign | None:
    today = timezone.localdate()
    return (
        qs.filter(starts_on__lte=today, ends_on__gte=today).first()
        or qs.order_by("-year", "-starts_on").first()
    )


def city_campaigns() -> list[Campaign]:
    """One campaign per city with a published one (its running campaign, else its latest), in
    region-code order: what the city chooser offers."""
    today = timezone.localdate()
    campaigns = Campaign.objects.filter(is_published=True).select_related("region", "lead_unit")
    by_city: dict[int, Campaign] = {}
    for campaign in campaigns.order_by("-year", "-starts_on"):
        chosen = by_city.get(campaign.region_id)
        running = campaign.starts_on <= today <= campaign.ends_on
        if chosen is None or (running and not chosen.starts_on <= today <= chosen.ends_on):
            by_city[campaign.region_id] = campaign
    return sorted(by_city.values(), key=lambda c: c.region.code)


def city_count() -> int:
    """How many cities have a published campaign: more than one, and the site offers a choice."""
    published = Campaign.objects.filter(is_published=True).order_by()
    return published.values("region_id").distinct().count()


def request_city(request) -> str:
    """The city a public request is for, as a region code: its host's (settings.QM_CITY_HOSTS),
    else the one the visitor chose; "" when neither says."""
    hosts = getattr(settings, "QM_CITY_HOSTS", {})
    if hosts:
        host, _port = split_domain_port(request.get_host())
        city = hosts.get(host.lower(), "").strip()
        if city:
            return city
    chosen = request.COOKIES.get(CITY_COOKIE, "")
    return chosen if _REGION_CODE.fullmatch(chosen) else ""


def campaign_for_request(request) -> Campaign | None:
    """The campaign a public page means by "this city's": the request's city's current one,
    else (no city, or one without a published campaign) the site-wide current one."""
    city = request_city(request)
    return (current_campaign(city) if city else None) or current_campaign()


def campaign_for_user(user) -> Campaign | None:
    """The campaign the back office opens on for this user: the current one of the cities their
    units and office belong to, else the site-wide current one (a superuser: that one)."""
    if not getattr(user, "is_superuser", False):
        regions = {m.unit.region for m in policy.memberships(user)}
        # A unit may sit in a district: its city's campaign is the one above it.
        codes = {r.code for region in regions for r in region.ancestors_and_self()}
        own = _running_else_latest(
            Campaign.objects.filter(is_published=True, region__code__in=codes).select_related(
                "region", "lead_unit"
            )
        )
        if own is not None:
            return own
    return current_campaign()


def campaigns_managed_by(user) -> QuerySet[Campaign]:
    """The campaigns whose office this user is part of (all of them for a superuser)."""
    from qualitymonth.core.permissions import Action, policy

    ids = [
        c.pk
        for c in Campaign.objects.select_related("region")
        if policy.can(user, Action.CAMPAIGN_MANAGE, c)
    ]
    return Campaign.objects.filter(pk__in=ids)


def search_terms(query: str) -> list[str]:
    """Split a query into words; Chinese has no spaces, so jieba finds the words."""
    query = (query or "").strip().lower()[:60]
    if not query:
        return []
    import jieba

    jieba.setLogLevel(logging.WARNING)
    terms = []
    for chunk in query.split():
        for token in jieba.lcut(chunk):
            token = token.strip()
            if token and token not in _STOPWORDS and token not in terms:
                terms.append(token)
    return terms


def apply_search(qs: QuerySet[Activity], query: str) -> QuerySet[Activity]:
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    return qs


def _count_of(status: str) -> Coalesce:
    # A correlated subquery, not a JOIN + GROUP BY: it runs only for the rows of the page being
    # shown (after LIMIT), on the (activity, status) index, and pagination's COUNT drops it.
    per_activity = (
        Registration.objects.filter(activity=OuterRef("pk"), status=status)
        .order_by()
        .values("activity")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(per_activity, output_field=IntegerField()), 0)


def with_seat_counts(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.annotate(
        confirmed_count=_count_of(Registration.Status.CONFIRMED),
        waitlisted_count=_count_of(Registration.Status.WAITLISTED),
    )


def public_activities(*, campaign: Campaign, filters: dict | None = None) -> QuerySet[Activity]:
    filters = filters or {}
    qs = (
        Activity.objects.filter(campaign=campaign, status__in=Activity.PUBLIC_STATUSES)
        .select_related("organiser", "district", "focus_area")
        .prefetch_related("domains")
    )
    if filters.get("domain"):
        qs = qs.filter(domains__code=filters["domain"])
    if filters.get("focus"):
        qs = qs.filter(focus_area__code=filters["focus"])
    if filters.get("unit"):
        qs = qs.filter(
            Q(organiser__code=filters["unit"]) | Q(co_organisers__code=filters["unit"])
        ).distinct()
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("district"):
        qs = qs.filter(district__code=filters["district"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        qs = qs.filter(
            ends_at__gte=dt.datetime.combine(filters["date_from"], dt.time.min, tzinfo=tz)
        )
    if filters.get("date_to"):
        qs = qs.filter(
            starts_at__lte=dt.datetime.combine(filters["date_to"], dt.time.max, tzinfo=tz)
        )
    qs = apply_search(qs, filters.get("q", ""))
    return with_seat_counts(qs).order_by("starts_at", "id")


@dataclass
class CalendarDay:
    date: dt.date
    in_month: bool
    is_today: bool
    activities: list


def month_grid(*, activities: QuerySet[Activity], month: dt.date) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month, each day with the activities that start on it."""
    tz = timezone.get_current_timezone()
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    grid_start = first - dt.timedelta(days=first.weekday())
    grid_end = last + dt.timedelta(days=6 - last.weekday())
    in_view = activities.filter(
        starts_at__gte=dt.datetime.combine(grid_start, dt.time.min, tzinfo=tz),
        starts_at__lte=dt.datetime.combine(grid_end, dt.time.max, tzinfo=tz),
    )
    by_day: dict[dt.date, list] = {}
    for activity in in_view:
        by_day.setdefault(timezone.localtime(activity.starts_at, tz).date(), []).append(activity)
    today = timezone.localdate()
    weeks, day = [], grid_start
    while day <= grid_end:
        week = []
        for _ in range(7):
            week.append(
                CalendarDay(day, day.month == first.month, day == today, by_day.get(day, []))
            )
            day += dt.timedelta(days=1)
        weeks.append(week)
    return weeks


def campaign_counts(campaign: Campaign) -> dict[str, int]:
    activities = Activity.objects.filter(campaign=campaign, status__in=Activity.PUBLIC_STATUSES)
    now = timezone.now()
    counts = activities.aggregate(
        total=Count("id"),
        online=Count("id", filter=Q(kind__in=[Activity.Kind.ONLINE, Activity.Kind.HYBRID])),
        completed=Count("id", filter=Q(status=Activity.Status.COMPLETED) | Q(ends_at__lt=now)),
        ongoing=Count(
            "id", filter=Q(starts_at__lte=now, ends_at__gte=now, status=Activity.Status.PUBLISHED)
        ),
    )
    registrations = Registration.objects.filter(activity__campaign=campaign).aggregate(
        registered=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
        checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
    )
    counts.update(registrations)
    counts["units"] = campaign.co_organisers.count() + 1
    return counts


def office_activities(*, user, filters: dict | None = None) -> QuerySet[Activity]:
    filters = filters or {}
    qs = Activity.objects.filter(policy.activities_filter(user)).select_related(
        "organiser", "campaign", "focus_area", "district"
    )
    if filters.get("campaign"):
        qs = qs.filter(campaign=filters["campaign"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("unit"):
        qs = qs.filter(organiser__code=filters["unit"])
    qs = apply_search(qs, filters.get("q", ""))
    return with_seat_counts(qs).order_by("-campaign__year", "starts_at", "id")


def activity_registrations(
    *, activity: Activity, status: str = "", q: str = ""
) -> QuerySet[Registration]:
    qs = Registration.objects.filter(activity=activity).select_related("checked_in_by")
    if status == "checked_in":
        qs = qs.filter(checked_in_at__isnull=False)
    elif status:
        qs = qs.filter(status=status)
    q = (q or "").strip()[:60]
    if q:
        qs = qs.filter(_registration_search(q))
    return qs.order_by("status", "waitlist_position", "created_at")


def _registration_search(q: str) -> Q:
    """A ticket code (or part of one), a name, or a whole mobile number. Matching a mobile on
    part of it would let staff, who see only the masked number, recover the hidden digits one
    guess at a time; so a mobile matches only when all 11 digits are given."""
    match = Q(ticket_code__contains=q.upper().replace("-", "")) | Q(name__contains=q)
    mobile = normalize_mobile(q)
    if len(mobile) == 11 and mobile.isdigit():
        match |= Q(mobile=mobile)
    return match


def survey_summary(activity: Activity) -> dict:
    from django.db.models import Avg

    from qualitymonth.campaigns.models import SurveyResponse

    rows = SurveyResponse.objects.filter(registration__activity=activity)
    summary = rows.aggregate(
        responses=Count("id"),
        overall=Avg("overall"),
        usefulness=Avg("usefulness"),
        organisation=Avg("organisation"),
    )
    summary["comments"] = list(
        rows.exclude(comment="").order_by().values_list("comment", flat=True).distinct()[:8]
    )
    return summary
