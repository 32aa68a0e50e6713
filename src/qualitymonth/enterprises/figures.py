"""The one-stop enterprise service on the command dashboard (core.figures): needs received,
closed on time, their rating and the money saved, the campaign programmes' reach and the CQOs
certified. Registered in EnterprisesConfig.ready().

Which needs belong to a campaign: those of the campaign's region (Need.region is the
enterprise's city; a campaign of a province takes its cities) received — the local day of
`submitted_at` — between starts_on and ends_on. Everything about a need is counted on its
received day: a need received on 28 September and closed in October counts as closed in the
campaign.

Needs can be half a million rows in a province, so they are read from facts, source "needs",
one partition per received day; unit = the providing institution's unit (experts have none),
district = the enterprise's district. `key` says what a row measures, `subkey` is the service
type's id:
- "received": count = needs received (declined ones too), hits = closed, total = money saved in
  fen (standard fee − fee charged, where the charge is lower);
- "closed": count = closed with a completion limit, hits = closed on or before it;
- "rated": count = needs rated, total = the sum of their ratings (1–5).
The definitions of closed on time, rating and money saved are the one-stop results page's
(catalogue_selectors), so both pages say the same thing.

Programmes, trainings and CQOs are small tables, read directly; programme progress comes from
programme_selectors.progress_for, as on the programme pages.

The helpers at the top (the campaign's regions, the campaigns covering a day, a day's bounds)
are shared with supervision.figures.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from qualitymonth.core import figures as core
from qualitymonth.core.figures import Chart, Column, FactRow, Figure, Section, Series, Watch
from qualitymonth.core.models import Region

SOURCE = "needs"
RECEIVED, CLOSED, RATED = "received", "closed", "rated"


# --- shared by the enterprise and supervision providers ----------------------------------------
def campaign_region_ids(campaign) -> list[int]:
    """The campaign's region and the regions under it (a province's cities, a city's districts)."""
    region_id = campaign.region_id
    return list(
        Region.objects.filter(
            Q(pk=region_id) | Q(parent_id=region_id) | Q(parent__parent_id=region_id)
        ).values_list("pk", flat=True)
    )


def campaigns_covering(region_id: int | None, day: dt.date | None) -> list[int]:
    """The ids of the campaigns running on `day` in the region or a region above it (one query)."""
    if region_id is None or day is None:
        return []
    from qualitymonth.campaigns.models import Campaign

    return list(
        Campaign.objects.filter(
            Q(region_id=region_id)
            | Q(region__children=region_id)
            | Q(region__children__children=region_id),
            starts_on__lte=day,
            ends_on__gte=day,
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def day_bounds(first: dt.date, last: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The moments from the start of `first` to the start of the day after `last`, local time."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine((last or first) + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def view_bounds(view) -> tuple[dt.datetime, dt.datetime]:
    """The moments of the days the view counts (for datetime columns)."""
    return day_bounds(view.since, view.until)


def view_days(view) -> list[dt.date]:
    days, day = [], view.since
    while day <= view.until:
        days.append(day)
        day += dt.timedelta(days=1)
    return days


def day_label(day: dt.date) -> str:
    return f"{day:%m-%d}"


def district_names(ids) -> dict[int | None, str]:
    names = {
        region.pk: region.localized_name
        for region in Region.objects.filter(pk__in=[i for i in ids if i is not None])
    }
    names[None] = _("No district")
    return names


def fen(amount) -> int:
    return int((Decimal(amount or 0) * 100).quantize(Decimal(1)))


def yuan(fen_total) -> Decimal:
    return (Decimal(fen_total or 0) / 100).quantize(Decimal("0.01"))


# --- the provider ------------------------------------------------------------------------------
def _need_partitions(need):
    day = timezone.localdate(need.submitted_at) if need.submitted_at else None
    for campaign_id in campaigns_covering(need.region_id, day):
        yield SOURCE, campaign_id, day


class EnterpriseFigures(core.Provider):
    key = "enterprises"
    title = gettext_lazy("Enterprise services")
    order = 60
    sources = (SOURCE,)

    def watches(self) -> list[Watch]:
        from qualitymonth.enterprises.models import Need

        return [Watch(Need, _need_partitions)]

    def rebuild(self, source: str, campaign, day: dt.date) -> list[FactRow]:
        from qualitymonth.enterprises.catalogue_selectors import need_figures
        from qualitymonth.enterprises.models import Need

        start, end = day_bounds(day)
        rows = (
            Need.objects.filter(
                region_id__in=campaign_region_ids(campaign),
                submitted_at__gte=start,
                submitted_at__lt=end,
            )
            .values("provider__unit_id", "enterprise__district_id", "service_type_id")
            .annotate(
                **need_figures(), rating_sum=Sum("rating", filter=Q(status=Need.Status.CLOSED))
            )
            .order_by()
        )
        facts = []
        for row in rows:
            where = {
                "unit_id": row["provider__unit_id"],
                "district_id": row["enterprise__district_id"],
                "subkey": str(row["service_type_id"]),
            }
            facts += [
                FactRow(
                    key=RECEIVED,
                    count=row["received"],
                    hits=row["served"],
                    total=fen(row["saved"]),
                    **where,
                ),
                FactRow(
                    key=CLOSED,
                    count=row["closed_with_limit"],
                    hits=row["closed_on_time"],
                    **where,
                ),
                FactRow(key=RATED, count=row["rated"], total=row["rating_sum"] or 0, **where),
            ]
        return facts

    # --- reading ----------------------------------------------------------------------------------
    def _totals(self, view) -> dict[str, dict]:
        return {row["key"]: row for row in view.fact_totals(SOURCE, "key")}

    def _activity_q(self, view, prefix: str) -> Q:
        """Programmes and trainings are campaign activities: narrowed by organiser and district."""
        return view.unit_q(f"{prefix}organiser_id") & view.district_q(f"{prefix}district_id")

    def _programmes(self, view) -> dict:
        from qualitymonth.enterprises.models import Programme
        from qualitymonth.enterprises.programme_selectors import progress_for

        programmes = Programme.objects.filter(
            Q(activity__campaign=view.campaign) & self._activity_q(view, "activity__")
        )
        progress = progress_for(programmes).values()
        return {
            "reached": sum(p["reached"] for p in progress),
            "visits": sum(p["visits"] for p in progress),
            "problems_solved": sum(p["problems_solved"] for p in progress),
        }

    def _cqos_certified(self, view) -> int:
        from qualitymonth.enterprises.models import ChiefQualityOfficer

        start, end = view_bounds(view)
        return ChiefQualityOfficer.objects.filter(
            Q(
                certified_by_training__activity__campaign=view.campaign,
                certified_at__gte=start,
                certified_at__lt=end,
            )
            & self._activity_q(view, "certified_by_training__activity__")
        ).count()

    def figures(self, view) -> list[Figure]:
        totals = self._totals(view)
        empty = {"n": 0, "hits": 0, "total": 0}
        received = totals.get(RECEIVED, empty)
        closed = totals.get(CLOSED, empty)
        rated = totals.get(RATED, empty)
        programmes = self._programmes(view)
        rating = round(rated["total"] / rated["n"], 1) if rated["n"] else None
        return [
            Figure(
                "needs_received", _("Enterprise needs received"), received["n"] or 0, public=True
            ),
            Figure("needs_closed", _("Enterprise needs closed"), received["hits"] or 0),
            Figure(
                "needs_on_time_rate",
                _("Needs closed on time"),
                core.rate(closed["hits"], closed["n"]),
                unit="%",
                public=True,
                note=_("Of the needs closed that had a completion limit."),
            ),
            Figure(
                "needs_rating", _("Average rating of the service (out of 5)"), rating, public=True
            ),
            Figure(
                "money_saved",
                _("Money saved for enterprises"),
                yuan(received["total"]),
                unit=pgettext("figure unit", "yuan"),
                public=True,
            ),
            Figure(
                "programme_enterprises_reached",
                _("Enterprises reached by programmes"),
                programmes["reached"],
                public=True,
            ),
            Figure(
                "programme_problems_solved",
                _("Problems solved on programme visits"),
                programmes["problems_solved"],
                public=True,
            ),
            Figure(
                "cqos_certified",
                _("Chief quality officers certified"),
                self._cqos_certified(view),
                public=True,
            ),
        ]

    def section(self, view) -> Section | None:
        from qualitymonth.enterprises.models import ServiceType

        figures = self.figures(view)
        received = view.facts(SOURCE).filter(key=RECEIVED)
        per_day = {
            row["day"]: row["n"]
            for row in received.values("day").annotate(n=Sum("count")).order_by()
        }
        days = view_days(view)
        by_type = list(received.values("subkey").annotate(n=Sum("count")).order_by("-n", "subkey"))
        type_names = {
            str(t.pk): t.localized_name
            for t in ServiceType.objects.filter(
                pk__in=[int(r["subkey"]) for r in by_type if r["subkey"].isdigit()]
            )
        }
        by_district = list(
            received.values("district_id").annotate(n=Sum("count")).order_by("district_id")
        )
        names = district_names(r["district_id"] for r in by_district)
        count_label = _("Needs received")
        charts = [
            Chart(
                "needs_per_day",
                _("Enterprise needs received per day"),
                "line",
                [day_label(day) for day in days],
                [Series(count_label, [per_day.get(day, 0) for day in days])],
                public=True,
                category_label=_("Day"),
            ),
            Chart(
                "needs_by_service",
                _("Enterprise needs by service"),
                "hbar",
                [type_names.get(r["subkey"], r["subkey"]) for r in by_type],
                [Series(count_label, [r["n"] for r in by_type])],
                public=True,
                category_label=_("Service"),
            ),
            Chart(
                "needs_by_district",
                _("Enterprise needs by district"),
                "bar",
                [names.get(r["district_id"], names[None]) for r in by_district],
                [Series(count_label, [r["n"] for r in by_district])],
                public=True,
                category_label=_("District"),
            ),
        ]
        return Section(
            key=self.key,
            title=str(self.title),
            figures=figures,
            charts=charts,
            ignored_filters=core.not_applied(view, "domain", "focus_area"),
        )

    def scoreboard(self, view) -> list[Column]:
        rows = view.facts(SOURCE).filter(key=CLOSED, unit_id__isnull=False)
        values = {
            row["unit_id"]: core.rate(row["hits"], row["n"])
            for row in rows.values("unit_id").annotate(n=Sum("count"), hits=Sum("hits")).order_by()
        }
        return [
            Column(
                "needs_on_time",
                _("Enterprise needs closed on time"),
                values,
                unit="%",
                default=False,
            )
        ]

    def overview(self, view) -> list[str]:
        by_key = {f.key: f for f in self.figures(view)}
        received = by_key["needs_received"]
        if not received.value:
            return []
        values = {
            "received": received.display,
            "on_time": by_key["needs_on_time_rate"].display,
            "saved": by_key["money_saved"].display,
        }
        if by_key["needs_on_time_rate"].value is None:  # none closed yet: no rate to speak of
            return [
                _(
                    "%(received)s service needs of enterprises were received; none has been "
                    "closed yet."
                )
                % values
            ]
        return [
            _(
                "%(received)s service needs of enterprises were received, %(on_time)s of those "
                "closed were closed on time, and the fee reductions saved enterprises "
                "%(saved)s."
            )
            % values
        ]


def register() -> None:
    core.register(EnterpriseFigures())
