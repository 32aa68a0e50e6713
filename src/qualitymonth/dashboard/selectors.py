"""Reads for the dashboard pages and API: which campaigns a person may open, the choices of the
filter form, the composed dashboard as plain data (the one shape the pages, the large screen,
the exports and the API all render), and the cached public results."""

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.core.validators import slug_re
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qualitymonth.campaigns.models import Campaign
from qualitymonth.core.figures import Chart, Figure, Filters, Section, Table, format_number
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.permissions import policy
from qualitymonth.dashboard.figures import Dashboard, Scoreboard, compose, scoreboard_units

# The public results page is the same for everyone: computed at most this often per campaign and
# language, so a burst of visitors costs one composition.
RESULTS_CACHE_SECONDS = 5 * 60
SCREEN_TILES = 8
SCREEN_CHARTS = 6


# --- who sees which campaign ---------------------------------------------------------------------
def viewable_campaigns(user) -> QuerySet[Campaign]:
    """The campaigns in the chooser, newest first: those the person's office covers, and those
    their units take part in (lead, co-organiser, accepted participant, organiser)."""
    campaigns = Campaign.objects.select_related("region").order_by("-year", "-starts_on", "-pk")
    if getattr(user, "is_superuser", False):
        return campaigns
    condition = Q(region__in=policy.office_regions(user)) if policy.is_office(user) else Q(pk=None)
    units = policy.unit_ids(user)
    if units:
        taking_part = Campaign.objects.filter(
            Q(lead_unit__in=units)
            | Q(co_organisers__in=units)
            | Q(participations__unit__in=units, participations__status="accepted")
            | Q(activities__organiser__in=units)
        ).values("pk")
        condition |= Q(pk__in=taking_part)
    return campaigns.filter(condition)


def chosen_campaign(campaigns: QuerySet[Campaign], slug: str | None) -> Campaign | None:
    """The campaign asked for by slug when it is one of `campaigns`, else the newest."""
    if slug and len(slug) <= 60 and slug_re.match(slug):
        found = campaigns.filter(slug=slug).first()
        if found is not None:
            return found
    return campaigns.first()


def filter_units(campaign: Campaign, scope: frozenset[int] | None) -> list[Unit]:
    """The units the unit filter offers: the campaign's own for the office, one's own else."""
    if scope is not None:
        return list(Unit.objects.filter(pk__in=scope).order_by("kind", "code", "pk"))
    return scoreboard_units(campaign)


def districts(campaign: Campaign) -> QuerySet[Region]:
    return Region.objects.filter(parent=campaign.region_id).order_by("code")


# --- the composed dashboard as data --------------------------------------------------------------
def _number(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def _change(figure: Figure) -> dict | None:
    if not isinstance(figure.value, int | float | Decimal) or not isinstance(
        figure.previous, int | float | Decimal
    ):
        return None
    delta = _number(figure.value) - _number(figure.previous)
    if isinstance(delta, float):
        delta = round(delta, 1)
    sign = "+" if delta > 0 else ""
    if figure.unit == "%":
        text = _("%(change)s pts") % {"change": f"{sign}{format_number(delta)}"}
    else:
        text = f"{sign}{format_number(delta, figure.unit)}"
    return {
        "value": delta,
        "display": text,
        "direction": "up" if delta > 0 else "down" if delta < 0 else "same",
    }


def figure_data(figure: Figure) -> dict:
    return {
        "key": figure.key,
        "label": str(figure.label),
        "value": _number(figure.value),
        "unit": figure.unit,
        "display": figure.display,
        "previous": _number(figure.previous),
        "previous_display": figure.previous_display if figure.previous is not None else "",
        "change": _change(figure),
        "note": str(figure.note or ""),
    }


def chart_data(chart: Chart, section_key: str) -> dict:
    return {
        "key": chart.key,
        "section": section_key,
        "id": f"chart-{section_key}-{chart.key}",
        "title": str(chart.title),
        "kind": chart.kind,
        "unit": chart.unit,
        "category_label": str(chart.category_label or ""),
        "categories": [str(c) for c in chart.categories],
        "series": [
            {"name": str(s.name), "data": [_number(v) for v in s.data]} for s in chart.series
        ],
        "header": [str(h) for h in chart.header],
        "rows": [[_cell(v) for v in row] for row in chart.rows],
        "empty": chart.is_empty,
    }


def _cell(value):
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def table_data(table: Table) -> dict:
    return {
        "key": table.key,
        "title": str(table.title),
        "header": [str(h) for h in table.header],
        "rows": [[_cell(v) for v in row] for row in table.rows],
    }


def section_data(section: Section) -> dict:
    return {
        "key": section.key,
        "title": str(section.title),
        "ignored_filters": [str(label) for label in section.ignored_filters],
        "figures": [figure_data(f) for f in section.figures],
        "charts": [chart_data(c, section.key) for c in section.charts],
        "tables": [table_data(t) for t in section.tables],
    }


def scoreboard_data(board: Scoreboard | None) -> dict | None:
    if board is None:
        return None
    columns = [
        {
            "key": c.key,
            "label": str(c.label),
            "unit": c.unit,
            "higher_is_better": c.higher_is_better,
        }
        for c in board.columns
    ]
    return {
        "columns": columns,
        "available": [{"key": c.key, "label": str(c.label)} for c in board.available],
        "sort": board.sort,
        "rows": [
            {
                "unit_id": row["unit"].pk,
                "unit": row["unit"].display_name,
                "rank": row["rank"],
                "own": row["own"],
                "values": [_number(v) for v in row["values"]],
                "displays": [
                    format_number(v, c.unit)
                    for v, c in zip(row["values"], board.columns, strict=True)
                ],
            }
            for row in board.rows
        ],
    }


def dashboard_data(dashboard: Dashboard) -> dict:
    view = dashboard.view
    previous = dashboard.previous_campaign
    return {
        "campaign": {
            "slug": view.campaign.slug,
            "year": view.campaign.year,
            "theme": view.campaign.theme,
        },
        "since": view.since,
        "until": view.until,
        "previous_year": previous.year if previous else None,
        "computed_at": timezone.now(),
        "sections": [section_data(s) for s in dashboard.sections],
        "scoreboard": scoreboard_data(dashboard.scoreboard),
    }


def office_dashboard(
    campaign: Campaign,
    *,
    filters: Filters,
    scope: frozenset[int] | None,
    columns: list[str] | None = None,
    sort: str | None = None,
    sections: list[str] | None = None,
    today: datetime.date | None = None,
) -> dict:
    return dashboard_data(
        compose(
            campaign,
            filters=filters,
            scope=scope,
            columns=columns,
            sort=sort,
            sections=sections,
            today=today,
        )
    )


def screen_part(data: dict) -> dict:
    """What the large screen shows: the first figures of every section as tiles, and the first
    chart of every section, then the second …, up to six."""
    tiles, charts = [], []
    for rank in range(2):
        for section in data["sections"]:
            if rank < len(section["figures"]) and len(tiles) < SCREEN_TILES:
                tiles.append(section["figures"][rank])
    drawable = [[c for c in s["charts"] if not c["empty"]] for s in data["sections"]]
    rank = 0
    while len(charts) < SCREEN_CHARTS and any(rank < len(c) for c in drawable):
        for section_charts in drawable:
            if rank < len(section_charts) and len(charts) < SCREEN_CHARTS:
                charts.append(section_charts[rank])
        rank += 1
    return {
        "campaign": data["campaign"],
        "computed_at": data["computed_at"],
        "previous_year": data["previous_year"],
        "tiles": tiles,
        "charts": charts,
    }


# --- the public results page ---------------------------------------------------------------------
def _results_key(campaign: Campaign) -> str:
    return f"dashboard:results:{campaign.pk}:{get_language() or ''}"


def public_results(campaign: Campaign) -> dict:
    """The campaign's public figures, charts and tables, cached per campaign and language."""
    key = _results_key(campaign)
    found = cache.get(key)
    if found is not None:
        return found
    data = dashboard_data(compose(campaign, public=True))
    data.pop("scoreboard", None)
    cache.set(key, data, RESULTS_CACHE_SECONDS)
    return data
