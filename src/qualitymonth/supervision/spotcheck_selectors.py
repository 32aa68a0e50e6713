"""Reads of the product spot checks (产品质量监督抽查): the plans a user may work on, their samples,
the re-test window of a result, what still stands in the way of the results notice, the failure
rates by product category and by district, the public notices, an enterprise's own samples, and
what the enterprise page and other topics ask of them (timeline, failed samples)."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from qualitymonth.campaigns.selectors import search_terms
from qualitymonth.core.models import Region
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import BIGINT_MAX
from qualitymonth.enterprises.models import Enterprise, EnterpriseMember
from qualitymonth.enterprises.selectors import apply_search as enterprise_search
from qualitymonth.enterprises.timeline import Entry
from qualitymonth.supervision.models import ProductCategory, Rules, Sample, SpotCheckPlan
from qualitymonth.supervision.permissions import SupervisionAction, work_unit_ids

Outcome = Sample.Outcome
TIMELINE_LIMIT = 50
NUMBER_MAX = 24
# The failed-sample filter on final results: a re-test, when there was one, replaces the first.
FINAL_FAIL = Q(retest_outcome=Outcome.FAIL) | Q(retest_outcome="", outcome=Outcome.FAIL)
FINAL_PASS = Q(retest_outcome=Outcome.PASS) | Q(retest_outcome="", outcome=Outcome.PASS)


def _today() -> dt.date:
    """Today in the site's time zone (tests move it with monkeypatch)."""
    return timezone.localdate()


def city_of(region: Region) -> Region:
    """The city a region belongs to (itself when it is one, or when none is above it)."""
    for candidate in region.ancestors_and_self():
        if candidate.level == Region.Level.CITY:
            return candidate
    return region


def outcome_label(value: str) -> str:
    """A result in words ("failed" a product is 不合格, not the audit trail's 失败)."""
    if value == Outcome.FAIL:
        return pgettext("spot check result", "Failed")
    if value == Outcome.PASS:
        return pgettext("spot check result", "Passed")
    return _("Awaiting the laboratory")


def final_outcome():
    """The final result as an expression: the re-test's when there was one."""
    return Coalesce(NullIf("retest_outcome", Value("")), "outcome")


# --- plans ---------------------------------------------------------------------------------------
def plans_for(user) -> QuerySet[SpotCheckPlan]:
    """The plans a user may work on: the office's regions and a unit's own plans."""
    qs = SpotCheckPlan.objects.select_related("region", "unit", "campaign")
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(
        Q(region_id__in=policy.office_regions(user)) | Q(unit_id__in=work_unit_ids(user))
    )


def with_counts(qs: QuerySet[SpotCheckPlan]) -> QuerySet[SpotCheckPlan]:
    return qs.annotate(
        n_samples=Count("samples", distinct=True),
        n_failed=Count(
            "samples",
            filter=Q(samples__retest_outcome=Outcome.FAIL)
            | Q(samples__retest_outcome="", samples__outcome=Outcome.FAIL),
            distinct=True,
        ),
        n_pending=Count("samples", filter=Q(samples__outcome=Outcome.PENDING), distinct=True),
    )


def office_plans(
    user, *, query: str = "", year: int | None = None, status: str = ""
) -> QuerySet[SpotCheckPlan]:
    """The list, searched by words of the title; newest year first."""
    qs = plans_for(user)
    for term in search_terms((query or "").strip()):
        qs = qs.filter(title__icontains=term)
    if year:
        qs = qs.filter(year=year)
    if status in SpotCheckPlan.Status.values:
        qs = qs.filter(status=status)
    return with_counts(qs).order_by("-year", "-pk")


def plan_years(user) -> list[int]:
    return list(plans_for(user).order_by("-year").values_list("year", flat=True).distinct())


def _valid_pk(pk) -> bool:
    return isinstance(pk, int) and 0 < pk <= BIGINT_MAX


def plan_for(user, pk) -> SpotCheckPlan | None:
    """One plan, if the user may work on it (else None: "not found")."""
    if not _valid_pk(pk):
        return None
    found = (
        SpotCheckPlan.objects.select_related("region", "unit", "campaign")
        .prefetch_related("categories")
        .filter(pk=pk)
        .first()
    )
    if found is None or not policy.can(user, SupervisionAction.WORK, found):
        return None
    return found


def plan_samples(
    plan: SpotCheckPlan, *, query: str = "", category=None, outcome: str = ""
) -> QuerySet[Sample]:
    """A plan's samples, searched by number, enterprise (name or code) or product."""
    qs = Sample.objects.filter(plan=plan).select_related("enterprise", "category", "district")
    text = (query or "").strip()[:60]
    if text:
        qs = qs.filter(
            Q(number__iexact=text)
            | Q(enterprise__uscc__startswith=text.upper())
            | Q(enterprise__name__icontains=text)
            | Q(product__icontains=text)
            | Q(brand__icontains=text)
        )
    if category is not None:
        qs = qs.filter(category=category)
    if outcome == Outcome.PENDING:
        qs = qs.filter(outcome=Outcome.PENDING)
    elif outcome == Outcome.FAIL:
        qs = qs.filter(FINAL_FAIL)
    elif outcome == Outcome.PASS:
        qs = qs.filter(FINAL_PASS)
    return qs.order_by("number")


def _valid_number(number) -> bool:
    return isinstance(number, str) and 0 < len(number) <= NUMBER_MAX


def sample_for(user, number) -> Sample | None:
    """One sample, if the user may work on its plan."""
    if not _valid_number(number):
        return None
    found = (
        Sample.objects.select_related(
            "plan__region", "plan__unit", "enterprise", "category", "district", "sampled_by"
        )
        .filter(number=number)
        .first()
    )
    if found is None or not policy.can(user, SupervisionAction.WORK, found):
        return None
    return found


def plan_categories(plan: SpotCheckPlan) -> QuerySet[ProductCategory]:
    return plan.categories.order_by("code")


def creatable_categories(region: Region) -> QuerySet[ProductCategory]:
    """The active product categories of the region's city (and of regions above it)."""
    chain = [r.pk for r in region.ancestors_and_self()]
    return ProductCategory.objects.filter(region_id__in=chain, is_active=True).order_by("code")


def enterprise_matches(plan: SpotCheckPlan, query: str, *, limit: int = 20) -> list[Enterprise]:
    """Enterprises of the plan's city whose code starts with, or name holds, the query."""
    text = (query or "").strip()[:60]
    if not text:
        return []
    qs = Enterprise.objects.filter(Q(region=plan.region) | Q(region__parent=plan.region))
    return list(enterprise_search(qs, text).select_related("district").order_by("name")[:limit])


def find_enterprise(plan: SpotCheckPlan, text: str) -> Enterprise | None:
    """The enterprise of the plan's city with this code, or with exactly this name."""
    text = (text or "").strip()
    if not text or len(text) > 120:
        return None
    qs = Enterprise.objects.filter(Q(region=plan.region) | Q(region__parent=plan.region))
    found = qs.filter(uscc=text.upper()).first()
    if found is None:
        matches = list(qs.filter(name=text)[:2])
        found = matches[0] if len(matches) == 1 else None
    return found


# --- the re-test window and publishing -----------------------------------------------------------
def retest_days(plan: SpotCheckPlan) -> int:
    return Rules.for_region(plan.region).retest_days


def retest_closes_on(sample: Sample, days: int | None = None) -> dt.date | None:
    """The last day the enterprise may ask for a re-test: the day it received the result plus
    the city's re-test days (calendar days). None while the result has not been received or
    when there is nothing to re-test (a pass)."""
    if sample.outcome != Outcome.FAIL or sample.received_on is None:
        return None
    if days is None:
        days = getattr(sample, "retest_days", None) or retest_days(sample.plan)
    return sample.received_on + dt.timedelta(days=days)


def with_retest_days(samples) -> list[Sample]:
    """The samples, each knowing its city's re-test days (one look-up per plan, not per row)."""
    samples = list(samples)
    days: dict[int, int] = {}
    for sample in samples:
        if sample.plan_id not in days:
            days[sample.plan_id] = retest_days(sample.plan)
        sample.retest_days = days[sample.plan_id]
    return samples


def retest_window_open(sample: Sample, *, today: dt.date | None = None, days=None) -> bool:
    """A failed first result may still be contested: not yet received (the clock has not
    started), or received and the last day not passed, and no re-test asked for yet."""
    if sample.outcome != Outcome.FAIL or sample.retest_requested_on is not None:
        return False
    closes = retest_closes_on(sample, days)
    return closes is None or (today or _today()) <= closes


def publish_blockers(plan: SpotCheckPlan) -> list[str]:
    """Why the results notice cannot be published yet (empty: it can)."""
    if plan.status == SpotCheckPlan.Status.PUBLISHED:
        return [_("The results notice is already published.")]
    samples = list(
        Sample.objects.filter(plan=plan).only(
            "outcome", "received_on", "retest_requested_on", "retest_outcome", "plan_id"
        )
    )
    if not samples:
        return [_("The plan has no samples yet.")]
    blockers = []
    pending = sum(1 for s in samples if s.outcome == Outcome.PENDING)
    if pending:
        blockers.append(
            ngettext(
                "%(n)s sample awaits the laboratory's result.",
                "%(n)s samples await the laboratory's result.",
                pending,
            )
            % {"n": pending}
        )
    retests = sum(1 for s in samples if s.retest_requested_on and not s.retest_outcome)
    if retests:
        blockers.append(
            ngettext(
                "%(n)s re-test awaits its result.", "%(n)s re-tests await their result.", retests
            )
            % {"n": retests}
        )
    days = retest_days(plan)
    today = _today()
    unserved = [
        s
        for s in samples
        if s.outcome == Outcome.FAIL and s.received_on is None and s.retest_requested_on is None
    ]
    if unserved:
        blockers.append(
            ngettext(
                "%(n)s failed result has not been received by its enterprise yet: "
                "record when the notice was served.",
                "%(n)s failed results have not been received by their enterprises yet: "
                "record when the notices were served.",
                len(unserved),
            )
            % {"n": len(unserved)}
        )
    open_until = [
        retest_closes_on(s, days)
        for s in samples
        if s.received_on is not None and retest_window_open(s, today=today, days=days)
    ]
    if open_until:
        blockers.append(
            ngettext(
                "The re-test window of %(n)s sample is still open (until %(date)s).",
                "The re-test windows of %(n)s samples are still open (the last until %(date)s).",
                len(open_until),
            )
            % {"n": len(open_until), "date": date_format(max(open_until), "Y-m-d")}
        )
    return blockers


# --- failure rates -------------------------------------------------------------------------------
@dataclass(frozen=True)
class RateRow:
    key: str
    label: str
    tested: int  # samples with a final result
    failed: int
    pending: int

    @property
    def rate(self) -> Decimal | None:
        """Failed over tested, in per cent to one decimal; None when nothing was tested."""
        if not self.tested:
            return None
        return (Decimal(self.failed) * 100 / self.tested).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True)
class Figures:
    total: RateRow
    categories: list[RateRow]
    districts: list[RateRow]


_COUNTS = {
    "n": Count("pk"),
    "failed": Count("pk", filter=FINAL_FAIL),
    "pending": Count("pk", filter=Q(outcome=Outcome.PENDING)),
}


def _row(key, label, values) -> RateRow:
    return RateRow(
        key=key or "",
        label=label or "",
        tested=values["n"] - values["pending"],
        failed=values["failed"],
        pending=values["pending"],
    )


def failure_rates(samples: QuerySet[Sample]) -> Figures:
    """Failure rates of the samples on their final results, overall, per product category and
    per district (three grouped queries)."""
    samples = samples.order_by()
    total = _row("", _("All samples"), samples.aggregate(**_COUNTS))
    by_category = samples.values("category__code", "category__name", "category__name_en")
    categories = [
        _row(r["category__code"], _localized(r, "category__"), r)
        for r in by_category.annotate(**_COUNTS).order_by("category__code")
    ]
    by_district = samples.values("district__code", "district__name", "district__name_en")
    districts = [
        _row(r["district__code"], _localized(r, "district__") or _("No district"), r)
        for r in by_district.annotate(**_COUNTS).order_by("district__code")
    ]
    return Figures(total=total, categories=categories, districts=districts)


def _localized(row: dict, prefix: str) -> str:
    from qualitymonth.core.i18n import english_active

    english = row.get(f"{prefix}name_en")
    return english if english and english_active() else (row.get(f"{prefix}name") or "")


def plan_figures(plan: SpotCheckPlan) -> Figures:
    return failure_rates(Sample.objects.filter(plan=plan))


def overall_figures(plans: QuerySet[SpotCheckPlan]) -> Figures:
    return failure_rates(Sample.objects.filter(plan__in=plans.order_by().values("pk")))


# --- the results notice --------------------------------------------------------------------------
def notice_draft(plan: SpotCheckPlan) -> str:
    """The notice text generated from the figures (the unit edits it before publishing)."""
    figures = plan_figures(plan)
    total = figures.total
    enterprises = Sample.objects.filter(plan=plan).values("enterprise_id").distinct().count()
    lines = [
        _(
            "%(unit)s organised the %(year)s spot check “%(title)s”. %(n)s batches of products "
            "of %(categories)s categories made or sold by %(enterprises)s enterprises were "
            "sampled at random and tested%(laboratory)s: %(passed)s batches passed and "
            "%(failed)s failed (a failure rate of %(rate)s%%). No fee was charged to the "
            "enterprises sampled."
        )
        % {
            "unit": plan.unit.localized_name,
            "year": plan.year,
            "title": plan.title,
            "n": total.tested,
            "categories": len(figures.categories),
            "enterprises": enterprises,
            "laboratory": (
                _(" by %(laboratory)s") % {"laboratory": plan.laboratory} if plan.laboratory else ""
            ),
            "passed": total.tested - total.failed,
            "failed": total.failed,
            "rate": total.rate if total.rate is not None else 0,
        },
        "",
        _("Results by product category:"),
    ]
    for row in figures.categories:
        lines.append(
            _("%(category)s: %(n)s batches, %(failed)s failed (%(rate)s%%).")
            % {
                "category": row.label,
                "n": row.tested,
                "failed": row.failed,
                "rate": row.rate if row.rate is not None else 0,
            }
        )
    failed = list(
        plan_samples(plan, outcome=Outcome.FAIL).values(
            "enterprise__name", "product", "brand", "model_spec", "batch", "failed_items"
        )
    )
    if failed:
        lines += ["", _("Products that failed:")]
        for row in failed:
            lines.append(
                _("%(enterprise)s — %(product)s %(brand)s %(model)s (batch %(batch)s): %(items)s.")
                % {
                    "enterprise": row["enterprise__name"],
                    "product": row["product"],
                    "brand": row["brand"],
                    "model": row["model_spec"],
                    "batch": row["batch"] or "—",
                    "items": row["failed_items"],
                }
            )
        lines += [
            "",
            _(
                "The enterprises whose products failed have been ordered to rectify by a "
                "deadline and will be re-checked; cases will be opened where the law requires."
            ),
        ]
    return "\n".join(line.replace("  ", " ") for line in lines)


# --- public --------------------------------------------------------------------------------------
def published_plans(*, query: str = "", year: int | None = None) -> QuerySet[SpotCheckPlan]:
    qs = SpotCheckPlan.objects.filter(status=SpotCheckPlan.Status.PUBLISHED).select_related(
        "unit", "region"
    )
    for term in search_terms((query or "").strip()):
        qs = qs.filter(title__icontains=term)
    if year:
        qs = qs.filter(year=year)
    return with_counts(qs).order_by("-published_at", "-pk")


def published_years() -> list[int]:
    return list(
        SpotCheckPlan.objects.filter(status=SpotCheckPlan.Status.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def published_plan(pk) -> SpotCheckPlan | None:
    if not _valid_pk(pk):
        return None
    return (
        SpotCheckPlan.objects.filter(pk=pk, status=SpotCheckPlan.Status.PUBLISHED)
        .select_related("unit", "region")
        .first()
    )


# --- the enterprise's own samples ----------------------------------------------------------------
def member_enterprise_ids(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(EnterpriseMember.objects.filter(user=user).values_list("enterprise_id", flat=True))


def enterprise_samples(user) -> QuerySet[Sample]:
    """The samples of the enterprises the user acts for, newest first."""
    return (
        Sample.objects.filter(enterprise_id__in=member_enterprise_ids(user))
        .select_related("plan__region", "plan__unit", "enterprise", "category")
        .order_by("-sampled_on", "-pk")
    )


def enterprise_sample_for(user, number) -> Sample | None:
    """One of the user's enterprise's samples (else None: "not found")."""
    if not _valid_number(number):
        return None
    found = (
        Sample.objects.select_related("plan__region", "plan__unit", "enterprise", "category")
        .filter(number=number)
        .first()
    )
    if found is None or not policy.can(user, SupervisionAction.RESPOND, found):
        return None
    return found


def can_request_retest(sample: Sample, *, today: dt.date | None = None) -> bool:
    return sample.plan.status != SpotCheckPlan.Status.PUBLISHED and retest_window_open(
        sample, today=today
    )


# --- for the other topics ------------------------------------------------------------------------
def timeline_entries(enterprise) -> list[Entry]:
    """The enterprise's samples (one query, newest first, at most TIMELINE_LIMIT)."""
    rows = (
        Sample.objects.filter(enterprise=enterprise)
        .select_related("plan", "category")
        .order_by("-sampled_on", "-pk")[:TIMELINE_LIMIT]
    )
    entries = []
    for sample in rows:
        final = sample.final_outcome
        entries.append(
            Entry(
                when=sample.sampled_on,
                kind=_("Product spot check"),
                title=f"{sample.number} · {sample.category.localized_name} · {sample.product}",
                status=outcome_label(final),
                url=reverse("sv_spotcheck:sample", args=[sample.number]),
            )
        )
    return entries
