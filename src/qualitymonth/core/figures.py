"""The figures of the command dashboard, contributed by each app.

Every app that has something to count registers one `Provider` in its `AppConfig.ready()`; the
dashboard app composes them (office dashboard, unit dashboard, large screen, public results page,
the Word report) without knowing any of them, and `core` imports no app above it. A figure is
computed in one place only: its provider.

Figures over big tables (complaints, quiz attempts, registrations, votes) are read from facts:
pre-aggregated rows per campaign, source, day, unit, district and up to two keys, which the
dashboard keeps up to date. A provider says how to rebuild the facts of one source for one
campaign and day from the raw rows (`rebuild`), and which saves and deletes make a day stale
(`watches`); writes that bypass model signals (bulk flushes of queued quiz answers and votes)
call `mark_changed`. Small tables (activities, stories, entries) are read directly.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.dispatch import Signal
from django.utils.translation import gettext as _

# (source, campaign id, day) for every partition of facts that no longer matches the raw rows.
# The dashboard app receives it and queues the partitions for rebuilding.
changed = Signal()


def mark_changed(source: str, pairs: Iterable[tuple[int, datetime.date]]) -> None:
    """Say that the facts of `source` for these (campaign id, day) pairs must be rebuilt."""
    partitions = {(source, campaign_id, day) for campaign_id, day in pairs if campaign_id and day}
    if partitions:
        changed.send(sender=None, partitions=partitions)


@dataclass(frozen=True)
class Filters:
    """What the person narrowed the figures to. None means "all"."""

    unit_id: int | None = None
    district_id: int | None = None
    domain_id: int | None = None
    focus_area_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def as_query(self) -> dict[str, str]:
        names = {
            "unit": self.unit_id,
            "district": self.district_id,
            "domain": self.domain_id,
            "focus_area": self.focus_area_id,
            "from": self.date_from,
            "to": self.date_to,
        }
        return {name: str(value) for name, value in names.items() if value is not None}


@dataclass
class FactRow:
    """One pre-aggregated row a provider's `rebuild` returns (saved by the dashboard app).

    count: how many raw rows; hits: how many of them met the source's condition (accepted in
    time, checked in, flagged, passed …); total: the sum of the source's value (satisfaction
    points, score tenths, money in fen …). What each means is documented by the provider."""

    unit_id: int | None = None
    district_id: int | None = None
    key: str = ""
    subkey: str = ""
    count: int = 0
    hits: int = 0
    total: int = 0


@dataclass
class Figure:
    """One number with its label: "投诉受理及时率 96.2%"."""

    key: str
    label: str
    value: int | float | Decimal | None
    unit: str = ""  # "%", "人", "件" … shown after the number
    public: bool = False  # shown on the public results page
    previous: int | float | Decimal | None = None  # filled by the dashboard: last year, same point
    note: str = ""

    @property
    def display(self) -> str:
        return format_number(self.value, self.unit)

    @property
    def previous_display(self) -> str:
        return format_number(self.previous, self.unit)


def format_number(value, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float | Decimal) and value != int(value):
        text = f"{value:,.1f}"
    else:
        text = f"{int(value):,}"
    # "96.2%", "12次", but "12 times": a unit in letters stands apart from its number.
    unit = str(unit)
    if unit[:1].isascii() and unit[:1].isalpha():
        return f"{text} {unit}"
    return f"{text}{unit}"


@dataclass
class Series:
    name: str
    data: list[int | float | None]


@dataclass
class Chart:
    """A chart and the table it is drawn from: categories along one axis, one or more series.

    kind: "bar", "hbar" (horizontal bars, for long names), "line" (by day), "pie"."""

    key: str
    title: str
    kind: str
    categories: list[str]
    series: list[Series]
    public: bool = False
    unit: str = ""
    category_label: str = ""

    @property
    def header(self) -> list[str]:
        return [self.category_label or self.title] + [s.name for s in self.series]

    @property
    def rows(self) -> list[list]:
        return [
            [category] + [s.data[i] for s in self.series]
            for i, category in enumerate(self.categories)
        ]

    @property
    def is_empty(self) -> bool:
        return not any(value for s in self.series for value in s.data)

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "unit": self.unit,
            "categories": self.categories,
            "series": [{"name": s.name, "data": s.data} for s in self.series],
        }


@dataclass
class Table:
    """A list that is not a chart: the top "关键小事", top activities, typical cases."""

    key: str
    title: str
    header: list[str]
    rows: list[list]
    public: bool = False


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # Filters the section could not apply ("not by domain"), said under its title.
    ignored_filters: list[str] = field(default_factory=list)


@dataclass
class Column:
    """One column of the unit scoreboard: a value per unit id."""

    key: str
    label: str
    values: dict[int, float | int | None]
    unit: str = ""
    higher_is_better: bool = True
    default: bool = True  # chosen when the office has not picked columns


@dataclass(frozen=True)
class Watch:
    """Saves and deletes of `model` make partitions stale: `partitions(instance)` yields
    (source, campaign id, day) for the instance as it is now (and, for an update, the
    provider may keep the old values in `instance` to yield those too)."""

    model: type
    partitions: Callable[[object], Iterable[tuple[str, int, datetime.date]]]


class Provider:
    """Subclassed once per app. The dashboard passes a `view` (see dashboard.figures.View):
    the campaign, the filters, the scope (unit ids or None for the whole campaign), the day the
    figures stop at, and `view.facts(source)`, a queryset of facts already narrowed to them."""

    key: str = ""
    title: str = ""
    order: int = 100
    sources: tuple[str, ...] = ()  # fact sources this provider rebuilds

    def watches(self) -> list[Watch]:
        return []

    def rebuild(self, source: str, campaign, day: datetime.date) -> list[FactRow]:
        """The facts of `source` for `campaign` on `day`, computed from the raw rows."""
        raise NotImplementedError

    def days(self, source: str, campaign) -> Iterable[datetime.date]:
        """Every day `source` may have facts for (the campaign's period by default)."""
        return campaign_days(campaign)

    def figures(self, view) -> list[Figure]:
        """The section's numbers; also asked for last year's campaign at the same point."""
        return []

    def section(self, view) -> Section | None:
        """Numbers, charts and tables; None when there is nothing for this campaign."""
        return None

    def scoreboard(self, view) -> list[Column]:
        return []

    def overview(self, view) -> list[str]:
        """One to three sentences for the report's overview, filled with this campaign's
        numbers ("9月共开展活动72场，其中……"), from the same figures as the section."""
        return []


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _providers[provider.key] = provider


def providers() -> list[Provider]:
    return sorted(_providers.values(), key=lambda p: (p.order, p.key))


def provider_for_source(source: str) -> Provider:
    for provider in _providers.values():
        if source in provider.sources:
            return provider
    raise KeyError(source)


def campaign_days(campaign) -> Iterator[datetime.date]:
    day = campaign.starts_on
    while day <= campaign.ends_on:
        yield day
        day += datetime.timedelta(days=1)


def rate(part, whole) -> float | None:
    """A percentage with one decimal, None when there is nothing to divide by."""
    if not whole:
        return None
    return round(100.0 * float(part) / float(whole), 1)


def not_applied(view, *names: str) -> list[str]:
    """Labels of the filters among `names` ("unit", "district", "domain", "focus_area",
    "dates") that the person set but the section cannot apply: said under its title."""
    filters = view.filters
    set_now = {
        "unit": filters.unit_id is not None,
        "district": filters.district_id is not None,
        "domain": filters.domain_id is not None,
        "focus_area": filters.focus_area_id is not None,
        "dates": filters.date_from is not None or filters.date_to is not None,
    }
    labels = {
        "unit": _("unit"),
        "district": _("district"),
        "domain": _("domain"),
        "focus_area": _("focus area"),
        "dates": _("dates"),
    }
    return [str(labels[name]) for name in names if set_now[name]]
