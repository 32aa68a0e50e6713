"""Reads of the GB/T 19580 self-assessment: totals and their plain band, the industry average a
radar chart compares with, an enterprise's history across years, the office's list and the
enterprise page's timeline.

A category's final score is the expert's when there is one, else the enterprise's own."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.core.permissions import policy
from qualitymonth.enterprises.excellence_permissions import ExcellenceAction, expert_region_ids
from qualitymonth.enterprises.models import (
    EXCELLENCE_POINTS,
    Enterprise,
    ExcellenceCategory,
    Industry,
    SelfAssessment,
    SelfAssessmentScore,
)
from qualitymonth.enterprises.selectors import office_region_ids
from qualitymonth.enterprises.timeline import Entry

S = SelfAssessment.Status
CATEGORIES = list(ExcellenceCategory)
TOTAL_POINTS = sum(EXCELLENCE_POINTS.values())
# What an average is taken over: assessments handed in (a draft is still being written).
COUNTED = (S.SUBMITTED, S.REVIEWED)

# The short names the chart's axes and the tables' headers use.
SHORT_LABELS = {
    ExcellenceCategory.LEADERSHIP: pgettext_lazy("GB/T 19580 category", "Leadership"),
    ExcellenceCategory.STRATEGY: pgettext_lazy("GB/T 19580 category", "Strategy"),
    ExcellenceCategory.CUSTOMERS: pgettext_lazy("GB/T 19580 category", "Customers and markets"),
    ExcellenceCategory.RESOURCES: pgettext_lazy("GB/T 19580 category", "Resources"),
    ExcellenceCategory.PROCESSES: pgettext_lazy("GB/T 19580 category", "Process management"),
    ExcellenceCategory.MEASUREMENT: pgettext_lazy(
        "GB/T 19580 category", "Measurement, analysis and improvement"
    ),
    ExcellenceCategory.RESULTS: pgettext_lazy("GB/T 19580 category", "Results"),
}

# Bands of the total, this platform's plain reading of a score out of 1,000: not a level of
# any award scheme (national and provincial quality awards judge by their own site visits).
BANDS = [
    (Decimal(250), _("Getting started")),
    (Decimal(400), _("Developing")),
    (Decimal(550), _("Established")),
    (Decimal(700), _("Mature")),
    (Decimal(TOTAL_POINTS + 1), _("Leading")),
]
BAND_NOTE = _("A plain reading of the total on this platform, not an official award level.")

FINAL = Coalesce(
    "adjusted_score", "score", output_field=DecimalField(max_digits=4, decimal_places=1)
)


def final_total_expression(prefix: str = "scores__") -> Coalesce:
    return Coalesce(
        Sum(
            Coalesce(f"{prefix}adjusted_score", f"{prefix}score"),
            output_field=DecimalField(max_digits=6, decimal_places=1),
        ),
        Decimal(0),
        output_field=DecimalField(max_digits=6, decimal_places=1),
    )


def total(scores) -> Decimal:
    """The sum of the final scores of the given score rows."""
    return sum((s.final_score for s in scores), Decimal(0))


def band(points: Decimal | int | float) -> str:
    """ "400–550 · Established": the band the total falls in, as a plain label."""
    points = Decimal(str(points))
    low = Decimal(0)
    for high, label in BANDS:
        if points < high:
            top = min(high, Decimal(TOTAL_POINTS))
            return f"{low:.0f}–{top:.0f} · {label}"
        low = high
    return str(BANDS[-1][1])


def by_category(scores) -> dict[str, SelfAssessmentScore]:
    return {s.category: s for s in scores}


# --- the industry average ----------------------------------------------------------------------
@dataclass(frozen=True)
class Average:
    industry: Industry | None
    values: dict  # category -> Decimal average of the final scores (missing: nobody scored it)
    count: int  # how many assessments the average is taken over

    @property
    def complete(self) -> bool:
        return self.count > 0 and len(self.values) == len(CATEGORIES)


def industry_average(*, year: int, industry: Industry, exclude_enterprise=None) -> Average:
    """Per category, the average final score of the year's submitted and reviewed assessments of
    other enterprises in the industry: a division (two digits) is that division, a section (a
    letter) every division in it. One aggregate query."""
    if industry.section_id is None:
        in_industry = Q(assessment__enterprise__industry__section=industry) | Q(
            assessment__enterprise__industry=industry
        )
    else:
        in_industry = Q(assessment__enterprise__industry=industry)
    rows = SelfAssessmentScore.objects.filter(
        in_industry, assessment__year=year, assessment__status__in=COUNTED
    )
    if exclude_enterprise is not None:
        rows = rows.exclude(assessment__enterprise=exclude_enterprise)
    aggregated = rows.values("category").annotate(
        average=Avg(FINAL), assessments=Count("assessment", distinct=True)
    )
    values, count = {}, 0
    for row in aggregated.order_by():
        values[row["category"]] = Decimal(str(row["average"])).quantize(Decimal("0.1"))
        count = max(count, row["assessments"])
    return Average(industry=industry, values=values, count=count)


def comparison_average(assessment: SelfAssessment) -> Average:
    """What the radar compares with: the enterprise's division; when no other enterprise of the
    division handed one in that year, its section. Nothing without an industry."""
    industry = assessment.enterprise.industry
    if industry is None:
        return Average(industry=None, values={}, count=0)
    found = industry_average(
        year=assessment.year, industry=industry, exclude_enterprise=assessment.enterprise_id
    )
    if found.count or industry.section_id is None:
        return found
    return industry_average(
        year=assessment.year, industry=industry.section, exclude_enterprise=assessment.enterprise_id
    )


# --- one enterprise -----------------------------------------------------------------------------
def enterprise_assessments(enterprise: Enterprise) -> list[SelfAssessment]:
    """An enterprise's assessments, newest year first, with their scores (two queries)."""
    return list(enterprise.self_assessments.prefetch_related("scores").order_by("-year"))


@dataclass(frozen=True)
class HistoryRow:
    assessment: SelfAssessment
    cells: list  # the final score per category, in the standard's order (None: not scored)
    total: Decimal
    band: str


def history(assessments: list[SelfAssessment]) -> list[HistoryRow]:
    """Year by year: the final score per category and the total (from prefetched scores)."""
    rows = []
    for assessment in assessments:
        scores = by_category(assessment.scores.all())
        points = total(scores.values())
        rows.append(
            HistoryRow(
                assessment=assessment,
                cells=[scores[c].final_score if c in scores else None for c in CATEGORIES],
                total=points,
                band=band(points),
            )
        )
    return rows


def assessment_for(user, pk) -> SelfAssessment | None:
    """One assessment the user may read, with its enterprise and scores (else None)."""
    found = (
        SelfAssessment.objects.select_related(
            "enterprise__region",
            "enterprise__industry__section",
            "enterprise__district",
            "reviewed_by",
        )
        .prefetch_related("scores")
        .filter(pk=pk)
        .first()
    )
    if found is None or not policy.can(user, ExcellenceAction.VIEW, found):
        return None
    return found


def enterprises_of(user) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(members__user=user).order_by("name")


# --- the office's list --------------------------------------------------------------------------
def _expert_regions(user) -> list[int]:
    from qualitymonth.core.models import Region

    regions = expert_region_ids(user)
    if not regions:
        return []
    return list(
        Region.objects.filter(
            Q(pk__in=regions) | Q(parent_id__in=regions) | Q(parent__parent_id__in=regions)
        ).values_list("pk", flat=True)
    )


def office_base(user) -> QuerySet[SelfAssessment]:
    """What the office of the user's regions sees (all), and an expert's regions (handed in)."""
    if getattr(user, "is_superuser", False):
        return SelfAssessment.objects.all()
    offices = office_region_ids(user)
    experts = _expert_regions(user)
    visible = Q(enterprise__region_id__in=offices) if offices else Q(pk__in=[])
    if experts:
        visible |= Q(enterprise__region_id__in=experts, status__in=COUNTED)
    return SelfAssessment.objects.filter(visible)


def office_assessments(user, filters: dict | None = None) -> QuerySet[SelfAssessment]:
    """Filters: year, status, industry (a division or a section), district; `q` is words of the
    enterprise's name or its code. Submitted ones waiting for review first, then by year."""
    filters = filters or {}
    qs = office_base(user)
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    industry = filters.get("industry")
    if industry:
        if industry.section_id is None:
            qs = qs.filter(
                Q(enterprise__industry__section=industry) | Q(enterprise__industry=industry)
            )
        else:
            qs = qs.filter(enterprise__industry=industry)
    if filters.get("district"):
        qs = qs.filter(enterprise__district=filters["district"])
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(enterprise__name__icontains=text) | Q(enterprise__uscc=text.upper()))
    return (
        qs.select_related("enterprise__industry", "enterprise__district")
        .annotate(total_points=final_total_expression())
        .order_by("-year", "status", "enterprise__name", "pk")
    )


# --- the enterprise page ------------------------------------------------------------------------
def timeline_entries(enterprise: Enterprise, limit: int = 10) -> list[Entry]:
    """The enterprise's self-assessments on its page: one query, the latest years."""
    rows = enterprise.self_assessments.annotate(total_points=final_total_expression()).order_by(
        "-year"
    )[:limit]
    return [
        Entry(
            when=a.reviewed_at or a.submitted_at or a.updated_at,
            kind=str(_("Self-assessment")),
            title=str(
                _("GB/T 19580 self-assessment %(year)s: %(total)s points")
                % {"year": a.year, "total": f"{a.total_points:.1f}"}
            ),
            status=str(a.get_status_display()),
            url=reverse("excellence_office:detail", args=[a.pk]),
        )
        for a in rows
    ]
