"""Supervision on the command dashboard (core.figures): inspections done, hazards found and
rectified (and open and overdue now), the spot-check failure rate, cases decided, penalties and
typical cases published. Registered in SupervisionConfig.ready().

Which rows belong to a campaign: those of the campaign's region (the subject's, the plan's or
the case's city; a province's campaign takes its cities), dated between starts_on and ends_on
(cut at today and at the date filter), each by its own day:
- an inspection by the day it was done (`inspected_on`), once signed;
- a hazard by the day of the inspection that found it (hazards are created when it is signed);
- a spot-check sample by the day of its result (`result_on`), on its final result;
- a case by the day it was decided (`decided_on`; revoked decisions do not count); a penalty by
  the local day it was published;
- a typical case by the campaign it was written for (TypicalCase.campaign) and the local day it
  was published, while it is public (case_selectors.public_typical).

Inspections (a million at a province's scale) and hazards are read from facts, one partition
per inspection day; unit = the inspecting unit, district = the subject's district:
- source "inspections": key = the subject's kind, count = inspections signed, hits = those that
  found problems (rectification ordered or a case opened);
- source "hazards": key = the subject's kind, subkey = the hazard's status, count = hazards
  found, hits = those rectified.
Samples, cases and typical cases are small and read directly; the failure rate is
spotcheck_selectors.failure_rates (final results: a re-test replaces the first), and "open now"
and "overdue now" are the hazard list's own tabs (hazard_selectors), over the status index.
Domain and focus area are activity dimensions supervision does not have: not applied.
"""

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from qualitymonth.core import figures as core
from qualitymonth.core.figures import (
    Chart,
    Column,
    FactRow,
    Figure,
    Section,
    Series,
    Table,
    Watch,
    mark_changed,
)
from qualitymonth.enterprises.figures import (
    campaign_region_ids,
    campaigns_covering,
    day_label,
    district_names,
    view_bounds,
    view_days,
)

INSPECTIONS, HAZARDS = "inspections", "hazards"
TYPICAL_ROWS = 10
ACTIONS_CHARS = 120


# --- keeping the facts true ----------------------------------------------------------------------
def _inspection_partitions(inspection):
    from qualitymonth.supervision.models import Subject

    region_id = (
        Subject.objects.filter(pk=inspection.subject_id).values_list("region_id", flat=True).first()
    )
    for campaign_id in campaigns_covering(region_id, inspection.inspected_on):
        yield INSPECTIONS, campaign_id, inspection.inspected_on


def _hazard_partitions(hazard):
    from qualitymonth.supervision.models import Inspection

    found = (
        Inspection.objects.filter(pk=hazard.inspection_id)
        .values_list("inspected_on", "subject__region_id")
        .first()
    )
    if found is None:
        return
    day, region_id = found
    for campaign_id in campaigns_covering(region_id, day):
        yield HAZARDS, campaign_id, day


def hazards_created(inspection) -> None:
    """Hazards made in bulk (bulk_create sends no signals) when `inspection` was signed."""
    pairs = [(c, day) for _source, c, day in _inspection_partitions(inspection)]
    mark_changed(HAZARDS, pairs)


class SupervisionFigures(core.Provider):
    key = "supervision"
    title = gettext_lazy("Supervision")
    order = 70
    sources = (INSPECTIONS, HAZARDS)

    def watches(self) -> list[Watch]:
        from qualitymonth.supervision.models import Hazard, Inspection

        return [Watch(Inspection, _inspection_partitions), Watch(Hazard, _hazard_partitions)]

    def rebuild(self, source: str, campaign, day: dt.date) -> list[FactRow]:
        from qualitymonth.supervision.models import Hazard, Inspection, Result

        regions = campaign_region_ids(campaign)
        if source == INSPECTIONS:
            rows = (
                Inspection.objects.filter(
                    subject__region_id__in=regions,
                    inspected_on=day,
                    status=Inspection.Status.SIGNED,
                )
                .values("unit_id", "subject__district_id", "subject__kind")
                .annotate(
                    n=Count("pk"),
                    hits=Count("pk", filter=Q(result__in=[Result.RECTIFY, Result.CASE])),
                )
                .order_by()
            )
            return [
                FactRow(
                    unit_id=r["unit_id"],
                    district_id=r["subject__district_id"],
                    key=r["subject__kind"],
                    count=r["n"],
                    hits=r["hits"],
                )
                for r in rows
            ]
        rows = (
            Hazard.objects.filter(inspection__inspected_on=day, subject__region_id__in=regions)
            .values("unit_id", "subject__district_id", "subject__kind", "status")
            .annotate(n=Count("pk"), hits=Count("pk", filter=Q(status=Hazard.Status.CLOSED)))
            .order_by()
        )
        return [
            FactRow(
                unit_id=r["unit_id"],
                district_id=r["subject__district_id"],
                key=r["subject__kind"],
                subkey=r["status"],
                count=r["n"],
                hits=r["hits"],
            )
            for r in rows
        ]

    # --- small tables, read directly --------------------------------------------------------------
    def _samples(self, view, regions):
        from qualitymonth.supervision.models import Sample
        from qualitymonth.supervision.spotcheck_selectors import failure_rates

        samples = Sample.objects.filter(
            Q(
                plan__region_id__in=regions,
                result_on__gte=view.since,
                result_on__lte=view.until,
            )
            & view.unit_q("plan__unit_id")
            & view.district_q("district_id")
        )
        return failure_rates(samples)

    def _cases_decided(self, view, regions) -> int:
        from qualitymonth.supervision.models import Case

        return (
            Case.objects.filter(
                Q(region_id__in=regions, decided_on__isnull=False)
                & view.day_q("decided_on")
                & view.unit_q("unit_id")
                & view.district_q("enterprise__district_id")
            )
            .exclude(status=Case.Status.REVOKED)
            .count()
        )

    def _penalties_published(self, view, regions) -> int:
        from qualitymonth.supervision.models import Publicity

        start, end = view_bounds(view)
        return Publicity.objects.filter(
            Q(case__region_id__in=regions, published_at__gte=start, published_at__lt=end)
            & view.unit_q("case__unit_id")
            & view.district_q("case__enterprise__district_id")
        ).count()

    def _typical(self, view):
        """The campaign's typical cases published in the period and public now."""
        from qualitymonth.supervision.case_selectors import public_typical

        start, end = view_bounds(view)
        return public_typical(campaign=view.campaign, today=view.today).filter(
            Q(published_at__gte=start, published_at__lt=end)
            & view.unit_q("case__unit_id")
            & view.district_q("case__enterprise__district_id")
        )

    def _live_hazards(self, view) -> dict[str, int]:
        """Hazards of the campaign's city open and overdue today, found whenever: the hazard
        list's tabs. "Now" has no value for last year, so these stay out of figures()."""
        from qualitymonth.supervision.hazard_selectors import tab_filter
        from qualitymonth.supervision.models import Hazard

        hazards = Hazard.objects.filter(
            Q(subject__region_id__in=campaign_region_ids(view.campaign))
            & view.unit_q("unit_id")
            & view.district_q("subject__district_id")
        )
        return {
            tab: tab_filter(hazards, tab, view.today).order_by().count()
            for tab in ("open", "overdue")
        }

    # --- figures ----------------------------------------------------------------------------------
    def _figures(self, view) -> tuple[list[Figure], object]:
        """The figures and the spot-check rates they came from (the section charts them)."""
        regions = campaign_region_ids(view.campaign)
        inspections = view.facts(INSPECTIONS).aggregate(n=Sum("count"), hits=Sum("hits"))
        hazards = view.facts(HAZARDS).aggregate(n=Sum("count"), hits=Sum("hits"))
        samples = self._samples(view, regions)
        found, rectified = hazards["n"] or 0, hazards["hits"] or 0
        figures = [
            Figure("inspections_done", _("Inspections done"), inspections["n"] or 0, public=True),
            Figure(
                "inspections_with_problems",
                _("Inspections that found problems"),
                inspections["hits"] or 0,
            ),
            Figure("hazards_found", _("Hazards found"), found, public=True),
            Figure("hazards_rectified", _("Hazards rectified"), rectified, public=True),
            Figure(
                "hazards_rectified_rate",
                _("Hazards rectified (share)"),
                core.rate(rectified, found),
                unit="%",
                public=True,
            ),
            Figure(
                "samples_tested", _("Spot-check samples tested"), samples.total.tested, public=True
            ),
            Figure("samples_failed", _("Spot-check samples failed"), samples.total.failed),
            Figure(
                "spot_check_failure_rate",
                _("Spot-check failure rate"),
                samples.total.rate,
                unit="%",
                public=True,
                note=_("On final results: a re-test replaces the first result."),
            ),
            Figure(
                "cases_decided", _("Enforcement cases decided"), self._cases_decided(view, regions)
            ),
            Figure(
                "penalties_published",
                _("Administrative penalties published"),
                self._penalties_published(view, regions),
                public=True,
            ),
            Figure(
                "typical_cases_published",
                _("Typical cases published"),
                self._typical(view).count(),
                public=True,
            ),
        ]
        return figures, samples

    def figures(self, view) -> list[Figure]:
        return self._figures(view)[0]

    def section(self, view) -> Section | None:
        from qualitymonth.supervision.models import SubjectKind

        figures, samples = self._figures(view)
        live = self._live_hazards(view)
        figures += [
            Figure(
                "hazards_open_now",
                _("Hazards open now"),
                live["open"],
                note=_("Rectification ordered or reported, whenever found."),
            ),
            Figure("hazards_overdue_now", _("Hazards overdue now"), live["overdue"]),
        ]
        inspections = view.facts(INSPECTIONS)
        per_day = {
            r["day"]: r["n"] for r in inspections.values("day").annotate(n=Sum("count")).order_by()
        }
        days = view_days(view)
        kinds = dict(SubjectKind.choices)
        by_kind = list(inspections.values("key").annotate(n=Sum("count")).order_by("key"))
        by_district = list(
            view.facts(HAZARDS)
            .values("district_id")
            .annotate(n=Sum("count"), hits=Sum("hits"))
            .order_by("district_id")
        )
        names = district_names(r["district_id"] for r in by_district)
        inspections_label = pgettext("chart series", "Inspections")
        charts = [
            Chart(
                "inspections_per_day",
                _("Inspections done per day"),
                "line",
                [day_label(day) for day in days],
                [Series(inspections_label, [per_day.get(day, 0) for day in days])],
                public=True,
                category_label=_("Day"),
            ),
            Chart(
                "inspections_by_kind",
                _("Inspections by kind of subject"),
                "pie",
                [str(kinds.get(r["key"], r["key"])) for r in by_kind],
                [Series(inspections_label, [r["n"] for r in by_kind])],
                public=True,
                category_label=_("Kind of subject"),
            ),
            Chart(
                "hazards_by_district",
                _("Hazards found and rectified by district"),
                "bar",
                [names.get(r["district_id"], names[None]) for r in by_district],
                [
                    Series(pgettext("hazards", "Found"), [r["n"] for r in by_district]),
                    Series(_("Rectified"), [r["hits"] for r in by_district]),
                ],
                public=True,
                category_label=_("District"),
            ),
        ]
        if samples.categories:
            charts.append(
                Chart(
                    "spot_check_failure_by_category",
                    _("Spot-check failure rate by product category"),
                    "hbar",
                    [row.label for row in samples.categories],
                    [
                        Series(
                            _("Failure rate"),
                            [
                                float(row.rate) if row.rate is not None else None
                                for row in samples.categories
                            ],
                        )
                    ],
                    public=True,
                    unit="%",
                    category_label=_("Product category"),
                )
            )
        # What the public typical-cases pages show already: title, what was done, the date.
        typical = [
            [
                t.title,
                Truncator(t.actions).chars(ACTIONS_CHARS),
                f"{timezone.localtime(t.published_at):%Y-%m-%d}" if t.published_at else "",
            ]
            for t in self._typical(view)[:TYPICAL_ROWS]
        ]
        tables = [
            Table(
                "typical_cases",
                _("Typical cases published"),
                [_("Title"), _("What was done"), _("Published on")],
                typical,
                public=True,
            )
        ]
        return Section(
            key=self.key,
            title=str(self.title),
            figures=figures,
            charts=charts,
            tables=tables,
            ignored_filters=core.not_applied(view, "domain", "focus_area"),
        )

    def scoreboard(self, view) -> list[Column]:
        inspections = {
            r["unit_id"]: r["n"]
            for r in view.facts(INSPECTIONS)
            .filter(unit_id__isnull=False)
            .values("unit_id")
            .annotate(n=Sum("count"))
            .order_by()
        }
        rectified = {
            r["unit_id"]: core.rate(r["hits"], r["n"])
            for r in view.facts(HAZARDS)
            .filter(unit_id__isnull=False)
            .values("unit_id")
            .annotate(n=Sum("count"), hits=Sum("hits"))
            .order_by()
        }
        return [
            Column("inspections_done", _("Inspections done"), inspections, default=False),
            Column(
                "hazards_rectified_rate",
                _("Hazards rectified"),
                rectified,
                unit="%",
                default=False,
            ),
        ]

    def overview(self, view) -> list[str]:
        by_key = {f.key: f for f in self.figures(view)}
        if not (by_key["inspections_done"].value or by_key["samples_tested"].value):
            return []
        values = {
            "inspections": by_key["inspections_done"].display,
            "found": by_key["hazards_found"].display,
            "rectified": by_key["hazards_rectified"].display,
            "failure": by_key["spot_check_failure_rate"].display,
            "typical": by_key["typical_cases_published"].display,
        }
        if by_key["spot_check_failure_rate"].value is None:  # no final results yet
            return [
                _(
                    "%(inspections)s inspections were done and found %(found)s hazards, of "
                    "which %(rectified)s were rectified; no spot-check result is final yet, and "
                    "%(typical)s typical cases were made public."
                )
                % values
            ]
        return [
            _(
                "%(inspections)s inspections were done and found %(found)s hazards, of which "
                "%(rectified)s were rectified; the spot-check failure rate was %(failure)s, and "
                "%(typical)s typical cases were made public."
            )
            % values
        ]


def register() -> None:
    core.register(SupervisionFigures())
