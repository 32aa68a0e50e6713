"""The micro-video contest's figures for the command dashboard: entries by state, votes per day,
flagged votes.

Entries are few (hundreds) and read directly. Votes are many, so they come from the fact source
"votes", rebuilt per campaign and day (the vote's own day) from the Vote rows of the campaign's
contests: one row per category (key = category id), entry unit (unit = entry.unit, none when the
entry names no unit) and the district of that unit (district = the unit's region).
count = votes that still count (not voided), hits = flagged votes (voided or not: what the fraud
checks caught), total = voided votes.

Votes written without model signals (the Redis queue's flush, the direct PostgreSQL insert,
voiding) mark their days through `mark_changed` (contest/services/vote_queue.py, voting.py).
Entries are counted by the day they were submitted, up to the last day counted; a lower bound
only when the person set a "from" date (entries come in before the campaign month starts).
"""

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from qualitymonth.contest.models import Category, Entry, Vote
from qualitymonth.core.figures import (
    Chart,
    Column,
    FactRow,
    Figure,
    Provider,
    Section,
    Series,
    Table,
    Watch,
    format_number,
    mark_changed,
    not_applied,
)

SOURCE = "votes"


def votes_changed(pairs) -> None:
    """Votes of these (campaign id, day) pairs changed without a model save."""
    mark_changed(SOURCE, pairs)


def campaign_days_of_votes(votes) -> set[tuple[int, dt.date]]:
    """(campaign id, day) for votes given as (entry id, day) pairs: one query."""
    votes = list(votes)
    campaigns = dict(
        Entry.objects.filter(pk__in={entry_id for entry_id, _day in votes}).values_list(
            "pk", "contest__campaign_id"
        )
    )
    return {(campaigns.get(entry_id), day) for entry_id, day in votes}


def _vote_partitions(vote: Vote):
    campaign_id = (
        Entry.objects.filter(pk=vote.entry_id)
        .values_list("contest__campaign_id", flat=True)
        .first()
    )
    yield SOURCE, campaign_id, vote.day


def _entry_partitions(entry: Entry):
    # A changed category or unit moves the entry's votes to other fact rows.
    days = Vote.objects.filter(entry_id=entry.pk).values_list("day", flat=True).distinct()
    campaign_id = (
        entry.contest.campaign_id
        if Entry.contest.is_cached(entry)
        else Entry.objects.filter(pk=entry.pk)
        .values_list("contest__campaign_id", flat=True)
        .first()
    )
    for day in days:
        yield SOURCE, campaign_id, day


class ContestFigures(Provider):
    key = "contest"
    title = gettext_lazy("Micro-video contest")
    order = 30
    sources = (SOURCE,)

    def watches(self) -> list[Watch]:
        return [Watch(Vote, _vote_partitions), Watch(Entry, _entry_partitions)]

    def rebuild(self, source: str, campaign, day: dt.date) -> list[FactRow]:
        rows = (
            Vote.objects.filter(entry__contest__campaign=campaign, day=day)
            .values("entry__category_id", "entry__unit_id", "entry__unit__region_id")
            .annotate(
                counted=Count("pk", filter=Q(voided_at__isnull=True)),
                flagged=Count("pk", filter=~Q(flagged="")),
                voided=Count("pk", filter=Q(voided_at__isnull=False)),
            )
            .order_by("entry__category_id", "entry__unit_id")
        )
        return [
            FactRow(
                unit_id=r["entry__unit_id"],
                district_id=r["entry__unit__region_id"],
                key=str(r["entry__category_id"]),
                count=r["counted"],
                hits=r["flagged"],
                total=r["voided"],
            )
            for r in rows
        ]

    # --- reading ------------------------------------------------------------------------------
    @staticmethod
    def _entries(view):
        q = Q(contest__campaign=view.campaign, created_at__date__lte=view.until)
        if view.filters.date_from is not None:
            q &= Q(created_at__date__gte=view.since)
        return Entry.objects.filter(q & view.unit_q("unit") & view.district_q("unit__region"))

    def figures(self, view) -> list[Figure]:
        entries = self._entries(view).aggregate(
            submitted=Count("pk"), approved=Count("pk", filter=Q(status=Entry.Status.APPROVED))
        )
        votes = view.facts(SOURCE).aggregate(n=Sum("count"), flagged=Sum("hits"))
        works = pgettext("figure unit", "entries")
        unit_votes = pgettext("figure unit", "votes")
        return [
            Figure(
                "contest_entries",
                _("Contest entries submitted"),
                entries["submitted"],
                works,
                public=True,
            ),
            Figure(
                "contest_approved",
                _("Contest entries approved"),
                entries["approved"],
                works,
                public=True,
            ),
            Figure("contest_votes", _("Public votes"), votes["n"] or 0, unit_votes, public=True),
            Figure("contest_flagged", _("Flagged votes"), votes["flagged"] or 0, unit_votes),
        ]

    def section(self, view) -> Section | None:
        if not view.campaign.contests.exists():
            return None
        return Section(
            key=self.key,
            title=str(self.title),
            figures=self.figures(view),
            charts=[self._votes_per_day(view), self._votes_by_category(view)],
            tables=[self._by_state(view)],
            ignored_filters=not_applied(view, "domain", "focus_area"),
        )

    def overview(self, view) -> list[str]:
        if not view.campaign.contests.exists():
            return []
        values = {f.key: f for f in self.figures(view)}
        return [
            _(
                "The micro-video contest received %(entries)s entries, %(approved)s of them "
                "approved, and %(votes)s public votes."
            )
            % {
                "entries": format_number(values["contest_entries"].value),
                "approved": format_number(values["contest_approved"].value),
                "votes": format_number(values["contest_votes"].value),
            }
        ]

    def scoreboard(self, view) -> list[Column]:
        if not view.campaign.contests.exists():
            return []
        rows = (
            self._entries(view)
            .filter(unit__isnull=False, status=Entry.Status.APPROVED)
            .values("unit_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return [
            Column(
                key="contest_entries",
                label=_("Contest entries approved"),
                values={r["unit_id"]: r["n"] for r in rows},
                unit=pgettext("figure unit", "entries"),
                default=False,
            )
        ]

    def _by_state(self, view) -> Table:
        counts = dict(
            self._entries(view).values("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        return Table(
            key="contest_entries_by_state",
            title=_("Contest entries by state"),
            header=[_("State"), _("Entries")],
            rows=[[label, counts.get(value, 0)] for value, label in Entry.Status.choices],
        )

    def _votes_per_day(self, view) -> Chart:
        days = []
        day = view.since
        while day <= view.until:
            days.append(day)
            day += dt.timedelta(days=1)
        votes = {r["day"]: r["n"] for r in view.fact_totals(SOURCE, "day")}
        return Chart(
            key="contest_votes_per_day",
            title=_("Public votes per day"),
            kind="line",
            categories=[d.strftime("%m-%d") for d in days],
            series=[Series(_("Votes"), [votes.get(d, 0) for d in days])],
            public=True,
            category_label=_("Day"),
        )

    def _votes_by_category(self, view) -> Chart:
        totals = {r["key"]: r for r in view.fact_totals(SOURCE, "key")}
        categories = list(
            Category.objects.filter(contest__campaign=view.campaign).order_by(
                "contest_id", "order", "pk"
            )
        )
        return Chart(
            key="contest_votes_by_category",
            title=_("Votes by category"),
            kind="bar",
            categories=[str(c) for c in categories],
            series=[
                Series(_("Votes"), [_n(totals, c.pk, "n") for c in categories]),
                Series(_("Flagged votes"), [_n(totals, c.pk, "hits") for c in categories]),
            ],
            category_label=pgettext("contest", "Category"),
        )


def _n(totals: dict, category_id: int, field: str) -> int:
    row = totals.get(str(category_id))
    return int(row[field] or 0) if row else 0
