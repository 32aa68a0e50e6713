"""Composing the providers' figures for one person: the office's whole campaign, a unit's own
share, or the public results page; with last year's campaign at the same point beside them."""

import contextlib
import datetime
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from qualitymonth.campaigns.models import Campaign
from qualitymonth.core import figures as core_figures
from qualitymonth.core.figures import Column, Filters, Section
from qualitymonth.dashboard import facts
from qualitymonth.dashboard.models import Fact


@dataclass
class View:
    """What a provider is asked for: see core.figures.Provider."""

    campaign: Campaign
    filters: Filters = field(default_factory=Filters)
    scope: frozenset[int] | None = None  # unit ids; None: the whole campaign
    since: datetime.date | None = None  # first day counted
    until: datetime.date | None = None  # last day counted
    public: bool = False
    today: datetime.date | None = None
    is_previous: bool = False  # last year's campaign, asked for comparison

    def __post_init__(self):
        campaign = self.campaign
        self.today = self.today or timezone.localdate()
        if self.since is None:
            since = campaign.starts_on
            if self.filters.date_from and self.filters.date_from > since:
                since = min(self.filters.date_from, campaign.ends_on)
            self.since = since
        if self.until is None:
            until = min(campaign.ends_on, self.today)
            if self.filters.date_to and self.filters.date_to < until:
                until = self.filters.date_to
            # Before the start nothing is counted: the day before it, never a date out of range.
            self.until = max(until, campaign.starts_on - datetime.timedelta(days=1))

    @cached_property
    def shows_now(self) -> bool:
        """Whether figures of the present moment ("overdue now") belong here: the region's
        newest campaign, not last year's asked for comparison."""
        if self.is_previous:
            return False
        return not Campaign.objects.filter(
            region_id=self.campaign.region_id, year__gt=self.campaign.year
        ).exists()

    @property
    def unit_ids(self) -> frozenset[int] | None:
        """The units the figures are narrowed to (the filter within the scope), None for all.
        An empty set means nothing can be shown (a filter outside the scope)."""
        if self.filters.unit_id is not None:
            allowed = self.scope is None or self.filters.unit_id in self.scope
            return frozenset({self.filters.unit_id}) if allowed else frozenset()
        return self.scope

    def unit_q(self, field_name: str) -> Q:
        """A Q narrowing a raw queryset's `field_name` (a unit foreign key) to unit_ids."""
        units = self.unit_ids
        return Q() if units is None else Q(**{f"{field_name}__in": units})

    def district_q(self, field_name: str) -> Q:
        district = self.filters.district_id
        return Q() if district is None else Q(**{field_name: district})

    def day_q(self, field_name: str) -> Q:
        """A Q keeping rows whose `field_name` (a date, or a datetime with __date) is counted."""
        return Q(**{f"{field_name}__gte": self.since, f"{field_name}__lte": self.until})

    def facts(self, source: str) -> QuerySet[Fact]:
        rows = Fact.objects.filter(
            campaign=self.campaign, source=source, day__gte=self.since, day__lte=self.until
        )
        return rows.filter(self.unit_q("unit_id") & self.district_q("district_id"))

    def fact_totals(self, source: str, *fields: str) -> QuerySet:
        """Sums of count, hits and total grouped by `fields` ("day", "key", "unit_id" …)."""
        return (
            self.facts(source)
            .values(*fields)
            .annotate(n=Sum("count"), hits=Sum("hits"), total=Sum("total"))
            .order_by(*fields)
        )

    def previous(self) -> "View | None":
        """Last year's campaign of the same region, over the same days since its start."""
        campaigns = Campaign.objects.filter(
            region_id=self.campaign.region_id, year=self.campaign.year - 1
        )
        if self.public:  # the public never sees figures of a campaign that is not published
            campaigns = campaigns.filter(is_published=True)
        campaign = campaigns.select_related("region").order_by("-starts_on", "pk").first()
        if campaign is None:
            return None
        start = self.campaign.starts_on
        since = min(campaign.starts_on + (self.since - start), campaign.ends_on)
        until = min(campaign.starts_on + (self.until - start), campaign.ends_on)
        filters = replace(self.filters, date_from=None, date_to=None)
        return View(
            campaign=campaign,
            filters=filters,
            scope=self.scope,
            since=since,
            until=until,
            public=self.public,
            today=self.today,
            is_previous=True,
        )


@dataclass
class Scoreboard:
    columns: list[Column]
    available: list[Column]
    rows: list[dict]  # {"unit": Unit, "values": [...], "rank": n, "own": bool}
    sort: str
    out_of: int = 0  # units ranked (a unit's own view shows only its rows)


@dataclass
class Dashboard:
    view: View
    sections: list[Section]
    scoreboard: Scoreboard | None
    previous_campaign: Campaign | None


FILTER_NAMES = {
    "unit": "unit_id",
    "district": "district_id",
    "domain": "domain_id",
    "focus_area": "focus_area_id",
}


def compose(
    campaign: Campaign,
    *,
    filters: Filters | None = None,
    scope: frozenset[int] | None = None,
    public: bool = False,
    columns: list[str] | None = None,
    sort: str | None = None,
    today: datetime.date | None = None,
    sections: list[str] | None = None,
) -> Dashboard:
    _refresh(campaign, public=public)
    view = View(
        campaign=campaign, filters=filters or Filters(), scope=scope, public=public, today=today
    )
    previous = view.previous()
    if previous is not None:
        _refresh(previous.campaign, public=public)
    composed = []
    for provider in core_figures.providers():
        if sections and provider.key not in sections:
            continue
        section = provider.section(view)
        if section is None:
            continue
        if previous is not None and section.figures:
            before = {f.key: f.value for f in provider.figures(previous)}
            for figure in section.figures:
                figure.previous = before.get(figure.key)
        if public:
            section = _public_part(section)
            if section is None:
                continue
        composed.append(section)
    board = None if public else scoreboard(view, columns=columns, sort=sort)
    return Dashboard(
        view=view,
        sections=composed,
        scoreboard=board,
        previous_campaign=previous.campaign if previous else None,
    )


# An anonymous visit rebuilds at most this many stale days (the worker does the rest).
PUBLIC_REFRESH_LIMIT = 40


def _refresh(campaign: Campaign, *, public: bool) -> None:
    """Bring the campaign's facts up to date before reading. For the office all of it; for the
    public page a bounded share, and a failed rebuild is logged (by facts.refresh), not shown:
    the page then says what the facts say, at most the worker's minute behind."""
    if not public:
        if settings.QM_DASHBOARD_REFRESH_ON_READ:
            facts.refresh(campaign)
        return
    with contextlib.suppress(Exception):  # logged with its traceback by facts.refresh
        facts.refresh(campaign, limit=PUBLIC_REFRESH_LIMIT)


def _public_part(section: Section) -> Section | None:
    public = replace(
        section,
        figures=[f for f in section.figures if f.public],
        charts=[c for c in section.charts if c.public],
        tables=[t for t in section.tables if t.public],
        ignored_filters=[],
    )
    return public if (public.figures or public.charts or public.tables) else None


def scoreboard_units(campaign: Campaign) -> list:
    """The lead unit, the co-organising units, the organisations that joined and every unit
    that organises an activity of the campaign."""
    from qualitymonth.core.models import Unit

    ids = {campaign.lead_unit_id}
    ids |= set(campaign.co_organisers.values_list("pk", flat=True))
    ids |= set(campaign.activities.values_list("organiser_id", flat=True).distinct())
    ids |= set(
        campaign.participations.filter(unit__isnull=False, status="accepted").values_list(
            "unit_id", flat=True
        )
    )
    return list(Unit.objects.filter(pk__in=ids).order_by("kind", "code", "pk"))


def scoreboard(view: View, *, columns: list[str] | None = None, sort: str | None = None):
    # The scoreboard ranks every unit of the campaign, so the view asked is the campaign's, not
    # narrowed to the person's unit; a unit's staff then get their own rows only.
    whole = replace(view, scope=None, filters=replace(view.filters, unit_id=None))
    available = [c for p in core_figures.providers() for c in p.scoreboard(whole)]
    if not available:
        return None
    by_key = {c.key: c for c in available}
    chosen = [by_key[k] for k in columns or () if k in by_key] or [
        c for c in available if c.default
    ]
    sort_column = by_key.get(sort) if sort in {c.key for c in chosen} else chosen[0]
    units = scoreboard_units(view.campaign)
    rows = [
        {
            "unit": unit,
            "values": [column.values.get(unit.pk) for column in chosen],
            "own": view.scope is not None and unit.pk in view.scope,
        }
        for unit in units
    ]

    def order(row):
        value = sort_column.values.get(row["unit"].pk)
        if value is None:
            return (1, 0, row["unit"].code)
        return (0, -value if sort_column.higher_is_better else value, row["unit"].code)

    rows.sort(key=order)
    rank, last = 0, object()
    for number, row in enumerate(rows, start=1):
        value = sort_column.values.get(row["unit"].pk)
        if value != last:
            rank, last = number, value
        row["rank"] = rank if value is not None else None
    out_of = len(rows)
    if view.scope is not None:
        # A unit sees its own place among all, not the other units' figures.
        rows = [row for row in rows if row["own"]]
    return Scoreboard(
        columns=chosen, available=available, rows=rows, sort=sort_column.key, out_of=out_of
    )
