"""The complaints' part of the command dashboard: cases received, acceptance on time, overdue
cases, mediation, satisfaction and the city's top "关键小事".

A campaign's cases are those of its region (Complaint.region is the city) received, by local
date, between its first and last day. Counts come from facts (source "complaints"), one row per
day of receipt, unit, district, key and subkey; `key` says what a row measures, so only rows of
one key are ever summed together:

    key        subkey      count                          hits                  total
    kind       <kind>      cases received                 -                     -
    nature     <nature>    cases received                 -                     -
    category   <category>  cases received ("" unset)      -                     -
    accept     ""          complaints whose acceptance    decided on or before  -
                           was decided (accepted, or      accept_due (7 working
                           not accepted)                  days from receipt)
    mediation  ""          complaints whose mediation     ended in agreement    -
                           ended
    rating     ""          cases rated                    rated 4 or 5          sum of the stars

Every row is dated by the day the case was received and carries the case's unit and district
as they are now: a case moved to another unit counts for that unit only. Acceptance counts the
decisions taken, so a case still undecided is not in the rate: it shows in "overdue now" once
its deadline passes. "Overdue now" and the top 关键小事 are read live from indexed queries.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitymonth.complaints.models import CaseEvent, Complaint, ProblemGroup
from qualitymonth.complaints.selectors import BoardRow, board_row
from qualitymonth.complaints.taxonomy import Category, Nature
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
    not_applied,
    rate,
)

SOURCE = "complaints"
S, K = Complaint.Status, Complaint.Kind
TOP_CATEGORIES = 10
TOP_GROUPS = 10
# The top 关键小事 are ranked by their cases in the period among the groups with most cases
# overall that were active in it: an index walk, never a count over every group of the city.
GROUP_CANDIDATES = 50


def received_day(moment: dt.datetime) -> dt.date:
    """The day a case was received, in the site's time zone (never the reader's)."""
    return timezone.localdate(moment, timezone.get_default_timezone())


def day_bounds(first: dt.date, last: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """[start of `first`, start of the day after `last`) in the site's time zone."""
    zone = timezone.get_default_timezone()
    last = last or first
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def campaign_days_for(region_id: int, days) -> list[tuple[int, dt.date]]:
    """(campaign id, day) for every campaign of the region covering one of `days`."""
    from qualitymonth.campaigns.models import Campaign

    days = set(days)
    if not region_id or not days:
        return []
    campaigns = Campaign.objects.filter(
        region_id=region_id, starts_on__lte=max(days), ends_on__gte=min(days)
    ).values_list("pk", "starts_on", "ends_on")
    return [(pk, day) for pk, first, last in campaigns for day in days if first <= day <= last]


def _complaint_partitions(complaint: Complaint):
    day = received_day(complaint.received_at)
    for campaign_id, covered in campaign_days_for(complaint.region_id, [day]):
        yield SOURCE, campaign_id, covered


def _acceptance_decided(case: dict) -> dt.datetime | None:
    """When the acceptance of a complaint was decided: accepted, or not accepted (the ground
    stays on the case after it is closed), None while undecided."""
    if case["accepted_at"]:
        return case["accepted_at"]
    if case["not_accepted_reason"] or case["status"] == S.NOT_ACCEPTED:
        return case["finished_at"]
    return None


def _mediation_outcome(case: dict, closed_outcomes: dict[int, str]) -> str | None:
    """How a complaint's mediation ended ("agree", "end_mediation"), None if it has not. A
    closed case keeps the outcome in its history only."""
    if case["status"] == S.MEDIATED:
        return "agree"
    if case["status"] == S.MEDIATION_ENDED:
        return "end_mediation"
    if case["status"] == S.CLOSED:
        return closed_outcomes.get(case["pk"])
    return None


class ComplaintFigures(Provider):
    key = "complaints"
    title = gettext_lazy("Complaints and reports")
    order = 50
    sources = (SOURCE,)

    # --- facts -------------------------------------------------------------------------------
    def watches(self) -> list[Watch]:
        # Every step of a case saves the case (status, dates, unit, rating), so the case's own
        # saves and deletes are enough; its events change with it in the same transaction.
        return [Watch(Complaint, _complaint_partitions)]

    def rebuild(self, source: str, campaign, day: dt.date) -> list[FactRow]:
        start, end = day_bounds(day)
        cases = Complaint.objects.filter(
            region_id=campaign.region_id, received_at__gte=start, received_at__lt=end
        )
        rows = list(
            cases.values(
                "pk",
                "unit_id",
                "district_id",
                "kind",
                "nature",
                "category",
                "status",
                "accept_due",
                "accepted_at",
                "finished_at",
                "not_accepted_reason",
                "satisfaction",
            )
        )
        closed_outcomes: dict[int, str] = {}
        if any(r["kind"] == K.COMPLAINT and r["status"] == S.CLOSED for r in rows):
            closed_outcomes = dict(
                CaseEvent.objects.filter(
                    complaint__in=cases.filter(kind=K.COMPLAINT, status=S.CLOSED),
                    step__in=("agree", "end_mediation"),
                ).values_list("complaint_id", "step")
            )
        sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])

        def add(case, key, subkey="", hit=False, total=0):
            row = sums[(case["unit_id"], case["district_id"], key, subkey)]
            row[0] += 1
            row[1] += int(hit)
            row[2] += total

        for case in rows:
            add(case, "kind", case["kind"])
            add(case, "nature", case["nature"])
            add(case, "category", case["category"] or "")
            if case["kind"] == K.COMPLAINT:
                decided = _acceptance_decided(case)
                if decided is not None:
                    due = case["accept_due"]
                    add(case, "accept", hit=due is None or received_day(decided) <= due)
                outcome = _mediation_outcome(case, closed_outcomes)
                if outcome:
                    add(case, "mediation", hit=outcome == "agree")
            if case["satisfaction"] is not None:
                score = case["satisfaction"]
                add(case, "rating", hit=score >= 4, total=score)
        return [
            FactRow(
                unit_id=unit_id,
                district_id=district_id,
                key=key,
                subkey=subkey,
                count=count,
                hits=hits,
                total=total,
            )
            for (unit_id, district_id, key, subkey), (count, hits, total) in sums.items()
        ]

    # --- reading -----------------------------------------------------------------------------
    def _totals(self, view) -> dict[str, dict]:
        return {row["key"]: row for row in view.fact_totals(SOURCE, "key")}

    def _by(self, view, key: str, field: str) -> dict:
        """Count of `key` rows per `field` ("subkey", "unit_id", "district_id", "day")."""
        rows = view.facts(SOURCE).filter(key=key).values(field).annotate(n=Sum("count"))
        return {row[field]: row["n"] for row in rows.order_by(field)}

    def _is_now(self, view) -> bool:
        """Whether "now" figures belong to this campaign (the region's newest, not last year's
        asked for comparison)."""
        return view.shows_now

    def overdue_now(self, view) -> int | None:
        """Open cases of the campaign's city past their deadline today (read from the index on
        status and deadline), whenever received; None for a campaign of another year."""
        if not self._is_now(view):
            return None
        units = view.unit_ids
        if units is not None and not units:
            return 0
        return (
            Complaint.objects.filter(
                status__in=Complaint.OPEN_STATUSES,
                due_on__lt=view.today,
                region_id=view.campaign.region_id,
            )
            .filter(view.unit_q("unit_id") & view.district_q("district_id"))
            .aggregate(n=Count("status"))["n"]
        )

    def figures(self, view) -> list[Figure]:
        totals = self._totals(view)

        def part(key, field="n"):
            return (totals.get(key) or {}).get(field) or 0

        rated = part("rating")
        average = round(part("rating", "total") / rated, 1) if rated else None
        return [
            Figure(
                key="complaints_received",
                label=_("Cases received"),
                value=part("kind"),
                public=True,
            ),
            Figure(
                key="complaints_accepted_in_time",
                label=_("Acceptance decided within 7 working days"),
                value=rate(part("accept", "hits"), part("accept")),
                unit="%",
                public=True,
                note=_("%(hits)s of %(n)s decisions")
                % {"hits": part("accept", "hits"), "n": part("accept")},
            ),
            Figure(
                key="complaints_overdue_now",
                label=_("Overdue now"),
                value=self.overdue_now(view),
                note=_("Open cases past their deadline today, whenever received."),
            ),
            Figure(
                key="complaints_mediation_success",
                label=_("Mediation success"),
                value=rate(part("mediation", "hits"), part("mediation")),
                unit="%",
                note=_("%(hits)s of %(n)s mediations ended in agreement")
                % {"hits": part("mediation", "hits"), "n": part("mediation")},
            ),
            Figure(
                key="complaints_satisfaction",
                label=_("Satisfaction (of 5)"),
                value=average,
                public=True,
                note=_("Ratings: %(n)s") % {"n": rated},
            ),
            Figure(
                key="complaints_satisfied_share",
                label=_("Rated 4 or 5"),
                value=rate(part("rating", "hits"), rated),
                unit="%",
            ),
        ]

    def section(self, view) -> Section | None:
        return Section(
            key=self.key,
            title=str(self.title),
            figures=self.figures(view),
            charts=[
                self._per_day(view),
                self._by_nature(view),
                self._by_category(view),
                self._by_unit(view),
                self._by_district(view),
            ],
            tables=[self._top_groups_table(view)],
            ignored_filters=not_applied(view, "domain", "focus_area"),
        )

    # --- charts ------------------------------------------------------------------------------
    def _per_day(self, view) -> Chart:
        counts = self._by(view, "kind", "day")
        days = []
        day = view.since
        while day <= view.until:
            days.append(day)
            day += dt.timedelta(days=1)
        return Chart(
            key="complaints_per_day",
            title=_("Cases received per day"),
            kind="line",
            categories=[day.isoformat() for day in days],
            series=[Series(_("Cases"), [counts.get(day, 0) for day in days])],
            public=True,
            category_label=_("Date"),
        )

    def _by_nature(self, view) -> Chart:
        counts = self._by(view, "nature", "subkey")
        labels = dict(Nature.choices)
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return Chart(
            key="complaints_by_nature",
            title=_("By nature"),
            kind="pie",
            categories=[str(labels.get(code, code)) for code, _n in ordered],
            series=[Series(_("Cases"), [n for _code, n in ordered])],
            public=True,
            category_label=_("Nature"),
        )

    def _by_category(self, view) -> Chart:
        counts = self._by(view, "category", "subkey")
        labels = dict(Category.choices)
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        top, rest = ordered[:TOP_CATEGORIES], ordered[TOP_CATEGORIES:]
        categories = [
            str(labels.get(code, code)) if code else _("Not classified") for code, _n in top
        ]
        data = [n for _code, n in top]
        if rest:
            categories.append(_("Other categories"))
            data.append(sum(n for _code, n in rest))
        return Chart(
            key="complaints_by_category",
            title=_("By category"),
            kind="hbar",
            categories=categories,
            series=[Series(_("Cases"), data)],
            category_label=_("Category"),
        )

    def _by_unit(self, view) -> Chart:
        from qualitymonth.core.models import Unit

        counts = self._by(view, "kind", "unit_id")
        names = {unit.pk: unit.display_name for unit in Unit.objects.filter(pk__in=counts)}
        ordered = sorted(counts.items(), key=lambda item: (-item[1], names.get(item[0], "")))
        return Chart(
            key="complaints_by_unit",
            title=_("By unit"),
            kind="hbar",
            categories=[
                names.get(pk, "") if pk is not None else _("Not yet assigned") for pk, _n in ordered
            ],
            series=[Series(_("Cases"), [n for _pk, n in ordered])],
            category_label=_("Unit"),
        )

    def _by_district(self, view) -> Chart:
        from qualitymonth.core.models import Region

        counts = self._by(view, "kind", "district_id")
        districts = {r.pk: r for r in Region.objects.filter(pk__in=counts)}
        ordered = sorted(
            counts.items(),
            key=lambda item: (item[0] is None, districts[item[0]].code if item[0] else ""),
        )
        return Chart(
            key="complaints_by_district",
            title=_("By district"),
            kind="bar",
            categories=[
                districts[pk].localized_name if pk is not None else _("No district")
                for pk, _n in ordered
            ],
            series=[Series(_("Cases"), [n for _pk, n in ordered])],
            category_label=_("District"),
        )

    # --- the top 关键小事 -----------------------------------------------------------------------
    def top_groups(self, view) -> list[BoardRow]:
        """The problem groups of the campaign's city with most cases in the period (within the
        unit and district narrowing), with what the public board shows of them."""
        units = view.unit_ids
        if view.since > view.until or (units is not None and not units):
            return []
        start, end = day_bounds(view.since, view.until)
        candidates = list(
            ProblemGroup.objects.filter(
                region_id=view.campaign.region_id, case_count__gte=2, last_at__gte=start
            )
            .order_by("-case_count", "-last_at")
            .values_list("pk", flat=True)[:GROUP_CANDIDATES]
        )
        if not candidates:
            return []
        counts = (
            Complaint.objects.filter(
                group_id__in=candidates, received_at__gte=start, received_at__lt=end
            )
            .filter(view.unit_q("unit_id") & view.district_q("district_id"))
            .values("group_id")
            .annotate(n=Count("received_at"), solved=Count("finished_at"))
            .order_by()
        )
        counted = {row["group_id"]: row for row in counts if row["n"]}
        groups = ProblemGroup.objects.filter(pk__in=counted).select_related("district")
        ranked = sorted(groups, key=lambda g: (-counted[g.pk]["n"], -g.case_count, g.pk))
        return [
            board_row(group, cases=counted[group.pk]["n"], solved=counted[group.pk]["solved"])
            for group in ranked[:TOP_GROUPS]
        ]

    def _top_groups_table(self, view) -> Table:
        rows = self.top_groups(view)
        return Table(
            key="complaints_top_groups",
            title=_("Key issues and what was done"),
            header=[_("Problem"), _("District"), _("Cases"), _("Answered"), _("What was done")],
            rows=[
                [
                    row.title,
                    row.district,
                    row.cases,
                    row.solved,
                    " ".join(part for part in (row.action, row.action_note) if part),
                ]
                for row in rows
            ],
            public=True,
        )

    # --- the scoreboard and the report ---------------------------------------------------------
    def scoreboard(self, view) -> list[Column]:
        rows = (
            view.facts(SOURCE)
            .filter(key__in=("accept", "rating"), unit__isnull=False)
            .values("unit_id", "key")
            .annotate(n=Sum("count"), hits=Sum("hits"), total=Sum("total"))
            .order_by("unit_id", "key")
        )
        on_time, satisfaction = {}, {}
        for row in rows:
            if row["key"] == "accept":
                on_time[row["unit_id"]] = rate(row["hits"], row["n"])
            elif row["n"]:
                satisfaction[row["unit_id"]] = round(row["total"] / row["n"], 1)
        return [
            Column(
                key="complaints_on_time",
                label=_("Complaints on time"),
                values=on_time,
                unit="%",
            ),
            Column(
                key="complaints_satisfaction",
                label=_("Complaint satisfaction"),
                values=satisfaction,
            ),
        ]

    def overview(self, view) -> list[str]:
        figures = {figure.key: figure for figure in self.figures(view)}
        values = {
            "received": figures["complaints_received"].display,
            "on_time": figures["complaints_accepted_in_time"].display,
            "satisfaction": figures["complaints_satisfaction"].display,
        }
        decided = figures["complaints_accepted_in_time"].value is not None
        rated = figures["complaints_satisfaction"].value is not None
        if decided and rated:
            sentence = _(
                "%(received)s complaints, reports, enquiries and suggestions were received; "
                "%(on_time)s of acceptance decisions were made within 7 working days, and "
                "satisfaction averaged %(satisfaction)s of 5."
            )
        elif decided:
            sentence = _(
                "%(received)s complaints, reports, enquiries and suggestions were received; "
                "%(on_time)s of acceptance decisions were made within 7 working days."
            )
        else:  # rates of nothing decided or rated are not figures to report
            sentence = _(
                "%(received)s complaints, reports, enquiries and suggestions were received."
            )
        sentences = [sentence % values]
        top = self.top_groups(view)[:1]
        if top:
            sentences.append(
                _("The problem raised most was “%(title)s” (%(n)s cases).")
                % {"title": top[0].title, "n": format_number(top[0].cases)}
            )
        return sentences
