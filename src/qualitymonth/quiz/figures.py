"""The quiz's figures for the command dashboard: participants per day, attempts, the score
distribution, by district.

Attempts are a big table (a million in a city-wide month), so the figures come from two fact
sources, rebuilt per campaign and day from finished attempts (submitted or closed at the time
limit; an attempt still in progress counts nowhere, excluded ones count like any other):

- "quiz": one row per district, score band and quiz. key = the band of the score as a share of
  the quiz's maximum ("0-59" … "90-100"), subkey = quiz id, count = attempts, hits = attempts
  that passed (Attempt.passed), total = the sum of the scores in tenths of a point.
- "quiz-participants": one row per district. count = distinct participants that day
  ("participant-days", 参与人次: a person who takes it on three days counts three times).

The day is the attempt's own day (the day it started). Attempts belong to their quiz's campaign.
The quiz has no unit, domain or focus area: those filters are said to be not applied, and the
figures are the campaign's whatever unit is looking at them (they are no unit's own).
"""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from qualitymonth.core.figures import (
    Chart,
    FactRow,
    Figure,
    Provider,
    Section,
    Series,
    Watch,
    format_number,
    not_applied,
    rate,
)
from qualitymonth.quiz.models import Attempt, Quiz

SOURCES = ("quiz", "quiz-participants")
# (key, lowest percent of the maximum score): the distribution's bars, lowest first.
BANDS = (("0-59", 0), ("60-69", 60), ("70-79", 70), ("80-89", 80), ("90-100", 90))


def score_band(score: Decimal, max_score: int) -> str:
    percent = Decimal(score) * 100 / max_score if max_score else Decimal(0)
    band = BANDS[0][0]
    for key, lowest in BANDS:
        if percent >= lowest:
            band = key
    return band


def _finished(campaign, day) -> Q:
    return Q(quiz__campaign=campaign, day=day, status__in=Attempt.FINISHED)


def _attempt_partitions(attempt: Attempt):
    # An attempt in progress is in no figure: starting one (the busiest write) marks nothing.
    if attempt.status not in Attempt.FINISHED:
        return
    campaign_id = (
        attempt.quiz.campaign_id
        if Attempt.quiz.is_cached(attempt)
        else Quiz.objects.filter(pk=attempt.quiz_id).values_list("campaign_id", flat=True).first()
    )
    for source in SOURCES:
        yield source, campaign_id, attempt.day


def _quiz_partitions(quiz: Quiz):
    # Its rules and pass mark decide the bands and who passed: every day with attempts changes.
    days = (
        Attempt.objects.filter(quiz=quiz, status__in=Attempt.FINISHED)
        .values_list("day", flat=True)
        .distinct()
    )
    for day in days:
        for source in SOURCES:
            yield source, quiz.campaign_id, day


class QuizFigures(Provider):
    key = "quiz"
    title = gettext_lazy("Quality-knowledge quiz")
    order = 20
    sources = SOURCES

    def watches(self) -> list[Watch]:
        return [Watch(Attempt, _attempt_partitions), Watch(Quiz, _quiz_partitions)]

    def rebuild(self, source: str, campaign, day: dt.date) -> list[FactRow]:
        if source == "quiz-participants":
            rows = (
                Attempt.objects.filter(_finished(campaign, day))
                .values("district_id")
                .annotate(n=Count("participant", distinct=True))
                .order_by("district_id")
            )
            return [FactRow(district_id=r["district_id"], count=r["n"]) for r in rows]
        groups = list(
            Attempt.objects.filter(_finished(campaign, day))
            .values("quiz_id", "district_id", "score")
            .annotate(n=Count("pk"))
            .order_by("quiz_id", "district_id", "score")
        )
        quizzes = Quiz.objects.filter(pk__in={g["quiz_id"] for g in groups}).prefetch_related(
            "rules"
        )
        quizzes = {q.pk: q for q in quizzes}
        facts: dict[tuple, FactRow] = {}
        for group in groups:
            quiz, score, n = quizzes[group["quiz_id"]], Decimal(group["score"]), group["n"]
            band = score_band(score, quiz.max_score)
            row = facts.setdefault(
                (group["district_id"], band, quiz.pk),
                FactRow(district_id=group["district_id"], key=band, subkey=str(quiz.pk)),
            )
            row.count += n
            row.hits += n if score > 0 and score >= quiz.pass_score else 0
            row.total += int(score * 10) * n
        return list(facts.values())

    # --- reading ------------------------------------------------------------------------------
    @staticmethod
    def _campaign_wide(view):
        """The view without unit narrowing: no attempt belongs to a unit."""
        return replace(view, scope=None, filters=replace(view.filters, unit_id=None))

    def figures(self, view) -> list[Figure]:
        whole = self._campaign_wide(view)
        totals = _sums(whole.facts("quiz"))
        participants = _sums(whole.facts("quiz-participants"))["count"]
        average = round(totals["total"] / 10 / totals["count"], 1) if totals["count"] else None
        return [
            Figure(
                "quiz_attempts",
                _("Quiz attempts"),
                totals["count"],
                pgettext("figure unit", "times"),
                public=True,
            ),
            Figure(
                "quiz_participants",
                _("Participant-days"),
                participants,
                pgettext("figure unit", "people"),
                public=True,
            ),
            Figure("quiz_pass_rate", _("Pass rate"), rate(totals["hits"], totals["count"]), "%"),
            Figure(
                "quiz_average_score", _("Average score"), average, pgettext("figure unit", "points")
            ),
        ]

    def section(self, view) -> Section | None:
        if not view.campaign.quizzes.exists():
            return None
        whole = self._campaign_wide(view)
        return Section(
            key=self.key,
            title=str(self.title),
            figures=self.figures(view),
            charts=[self._per_day(whole), self._distribution(whole), self._by_district(whole)],
            ignored_filters=not_applied(view, "unit", "domain", "focus_area"),
        )

    def overview(self, view) -> list[str]:
        if not view.campaign.quizzes.exists():
            return []
        values = {f.key: f for f in self.figures(view)}
        return [
            _(
                "The quality-knowledge quiz drew %(participants)s participant-days and "
                "%(attempts)s attempts; the pass rate was %(rate)s."
            )
            % {
                "participants": format_number(values["quiz_participants"].value),
                "attempts": format_number(values["quiz_attempts"].value),
                "rate": values["quiz_pass_rate"].display,
            }
        ]

    def _per_day(self, view) -> Chart:
        days = []
        day = view.since
        while day <= view.until:
            days.append(day)
            day += dt.timedelta(days=1)
        people = {r["day"]: r["n"] for r in view.fact_totals("quiz-participants", "day")}
        attempts = {r["day"]: r["n"] for r in view.fact_totals("quiz", "day")}
        return Chart(
            key="quiz_per_day",
            title=_("Quiz participants per day"),
            kind="line",
            categories=[d.strftime("%m-%d") for d in days],
            series=[
                Series(_("Participants"), [people.get(d, 0) for d in days]),
                Series(_("Attempts"), [attempts.get(d, 0) for d in days]),
            ],
            public=True,
            category_label=_("Day"),
        )

    def _distribution(self, view) -> Chart:
        counts = {r["key"]: r["n"] for r in view.fact_totals("quiz", "key")}
        return Chart(
            key="quiz_scores",
            title=_("Quiz score distribution (share of the maximum score, %)"),
            kind="bar",
            categories=[key for key, _lowest in BANDS],
            series=[Series(_("Attempts"), [counts.get(key, 0) for key, _lowest in BANDS])],
            category_label=_("Score band (%)"),
        )

    def _by_district(self, view) -> Chart:
        from qualitymonth.core.models import Region

        attempts = {r["district_id"]: r["n"] for r in view.fact_totals("quiz", "district_id")}
        people = {
            r["district_id"]: r["n"] for r in view.fact_totals("quiz-participants", "district_id")
        }
        districts = list(Region.objects.filter(parent_id=view.campaign.region_id).order_by("code"))
        if view.filters.district_id is not None:
            districts = [d for d in districts if d.pk == view.filters.district_id]
        categories = [str(d) for d in districts]
        ids: list[int | None] = [d.pk for d in districts]
        if view.filters.district_id is None:
            categories.append(_("District not given"))
            ids.append(None)
        return Chart(
            key="quiz_by_district",
            title=_("Quiz by district"),
            kind="bar",
            categories=categories,
            series=[
                Series(_("Participant-days"), [people.get(i, 0) for i in ids]),
                Series(_("Attempts"), [attempts.get(i, 0) for i in ids]),
            ],
            category_label=_("District"),
        )


def _sums(facts) -> dict[str, int]:
    row = facts.aggregate(count=Sum("count"), hits=Sum("hits"), total=Sum("total"))
    return {name: int(value or 0) for name, value in row.items()}
