"""The campaign's figures for the command dashboard: activities, registrations, outcome reports
and the satisfaction survey (see core.figures for the mechanism).

Activities are few (at most a couple of thousand a campaign) and read directly, aggregated in SQL.
Registrations and survey responses are many and read from facts:

- "registrations": one row per activity and day the registrations were taken (local date of
  `created_at`); unit = the activity's organiser, district = the activity's district, key = the
  activity id. count = active registrations (confirmed or wait-listed), hits = active ones checked
  in, total = wait-listed ones.
- "surveys": one row per activity and day of the response; count = responses, hits = responses
  rating the activity 4 or 5 overall, total = the sum of `overall`.

Which activities a view counts (`_Selection`): the campaign's activities of the view's units and
district, in the chosen domain and focus area, starting within the date filter when one is set.
The date filter picks activities, not days: an activity planned for next week is part of this
month's plan today. On the public page only published and completed activities are counted, so
plans and drafts never show there.

The point a view stops at (`view.until`, "today" or the same day last year) cuts what happens
over time: done (completed and started by then), reports due and filed by then, registrations
taken and surveys answered by then. Registrations are counted by activity, not cut at the
campaign's start: people register from August for September's activities, so those facts keep
their real (August) day and every registration fact up to `view.until` is counted, narrowed to
the selected activities by key. `days()` covers those early days so a rebuild reaches them.
"""

import datetime
from dataclasses import dataclass, replace
from functools import cached_property

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.db.models.signals import post_init
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from qualitymonth.campaigns.models import (
    Activity,
    Domain,
    FocusArea,
    Registration,
    SurveyResponse,
)
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
    rate,
)
from qualitymonth.core.models import Region, Unit

REGISTRATIONS = "registrations"
SURVEYS = "surveys"
# An outcome report is on time when filed within this many days after the activity ends.
ACTIVITY_REPORT_DUE_DAYS = 7
TOP_ACTIVITIES = 10

S = Activity.Status
R = Registration.Status
PLANNED = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED)  # not yet published
PUBLIC_COUNTED = (S.PUBLISHED, S.COMPLETED)  # what the public page counts
REPORTABLE = (S.PUBLISHED, S.COMPLETED)  # report_file refuses any other status
ACTIVE = Q(status__in=Registration.ACTIVE_STATUSES)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


# --- keeping the facts true ------------------------------------------------------------------


def _campaign_of_registration(registration: Registration) -> int | None:
    if Registration.activity.is_cached(registration):
        return registration.activity.campaign_id
    return (
        Activity.objects.filter(pk=registration.activity_id)
        .values_list("campaign_id", flat=True)
        .first()
    )


def _registration_partitions(registration: Registration):
    yield (
        REGISTRATIONS,
        _campaign_of_registration(registration),
        _local_day(registration.created_at),
    )


def _survey_partitions(response: SurveyResponse):
    if SurveyResponse.registration.is_cached(response):
        campaign_id = _campaign_of_registration(response.registration)
    else:
        campaign_id = (
            Activity.objects.filter(registrations=response.registration_id)
            .values_list("campaign_id", flat=True)
            .first()
        )
    yield SURVEYS, campaign_id, _local_day(response.created_at)


# Facts carry the activity's organiser and district. Both can only change while an activity is a
# draft (no registrations yet), but the admin can change them later: remember them as loaded and
# re-mark the activity's days when a save changes them.
_PLACE = "_figures_place"


def _place(activity: Activity) -> tuple:
    return (activity.__dict__.get("organiser_id"), activity.__dict__.get("district_id"))


def _remember_place(sender, instance, **kwargs) -> None:
    instance.__dict__[_PLACE] = _place(instance)


def _activity_partitions(activity: Activity):
    now = _place(activity)
    if activity.__dict__.get(_PLACE, now) == now:
        return
    activity.__dict__[_PLACE] = now
    registrations = Registration.objects.filter(activity=activity)
    for day in _days_of(registrations, "created_at"):
        yield REGISTRATIONS, activity.campaign_id, day
    surveys = SurveyResponse.objects.filter(registration__activity=activity)
    for day in _days_of(surveys, "created_at"):
        yield SURVEYS, activity.campaign_id, day


def _days_of(rows: QuerySet, field_name: str) -> list[datetime.date]:
    """The local days on which `rows` were dated, by `field_name` (one query)."""
    return list(
        rows.annotate(figures_day=TruncDate(field_name))
        .order_by()
        .values_list("figures_day", flat=True)
        .distinct()
    )


def mark_registrations_changed(registrations: QuerySet) -> None:
    """Call before changing registrations without a save (queryset.update, bulk_*): marks the
    days they were taken on, for their campaigns."""
    pairs = (
        registrations.annotate(figures_day=TruncDate("created_at"))
        .order_by()
        .values_list("activity__campaign_id", "figures_day")
        .distinct()
    )
    mark_changed(REGISTRATIONS, list(pairs))


def _rebuild_registrations(campaign, day: datetime.date) -> list[FactRow]:
    rows = (
        Registration.objects.filter(
            activity__campaign=campaign,
            created_at__gte=_midnight(day),
            created_at__lt=_midnight(day + datetime.timedelta(days=1)),
        )
        .values("activity_id", "activity__organiser_id", "activity__district_id")
        .annotate(
            n=Count("pk", filter=ACTIVE),
            hits=Count("pk", filter=ACTIVE & Q(checked_in_at__isnull=False)),
            waiting=Count("pk", filter=Q(status=R.WAITLISTED)),
        )
        .order_by()
    )
    return [
        FactRow(
            unit_id=r["activity__organiser_id"],
            district_id=r["activity__district_id"],
            key=str(r["activity_id"]),
            count=r["n"],
            hits=r["hits"],
            total=r["waiting"],
        )
        for r in rows
    ]


def _rebuild_surveys(campaign, day: datetime.date) -> list[FactRow]:
    rows = (
        SurveyResponse.objects.filter(
            registration__activity__campaign=campaign,
            created_at__gte=_midnight(day),
            created_at__lt=_midnight(day + datetime.timedelta(days=1)),
        )
        .values(
            "registration__activity_id",
            "registration__activity__organiser_id",
            "registration__activity__district_id",
        )
        .annotate(n=Count("pk"), hits=Count("pk", filter=Q(overall__gte=4)), points=Sum("overall"))
        .order_by()
    )
    return [
        FactRow(
            unit_id=r["registration__activity__organiser_id"],
            district_id=r["registration__activity__district_id"],
            key=str(r["registration__activity_id"]),
            count=r["n"],
            hits=r["hits"],
            total=r["points"] or 0,
        )
        for r in rows
    ]


# --- what a view counts -----------------------------------------------------------------------


@dataclass
class _Selection:
    """The activities a view counts and the moment it stops at (see the module docstring)."""

    view: object

    @cached_property
    def activities(self) -> QuerySet[Activity]:
        view, filters = self.view, self.view.filters
        rows = Activity.objects.filter(campaign=view.campaign).filter(
            view.unit_q("organiser_id") & view.district_q("district_id")
        )
        if filters.domain_id is not None:
            rows = rows.filter(domains=filters.domain_id)
        if filters.focus_area_id is not None:
            rows = rows.filter(focus_area_id=filters.focus_area_id)
        if filters.date_from is not None:
            rows = rows.filter(starts_at__gte=_midnight(filters.date_from))
        if filters.date_to is not None:
            rows = rows.filter(
                starts_at__lt=_midnight(filters.date_to + datetime.timedelta(days=1))
            )
        if view.public:
            rows = rows.filter(status__in=PUBLIC_COUNTED)
        return rows

    @cached_property
    def end(self) -> datetime.datetime:
        """The end of the last day counted (or now, if that is earlier)."""
        return min(_midnight(self.view.until + datetime.timedelta(days=1)), timezone.now())

    @property
    def narrowed(self) -> bool:
        """Whether facts (already cut by unit and district) must be narrowed to activity keys."""
        filters = self.view.filters
        return any(
            value is not None
            for value in (
                filters.domain_id,
                filters.focus_area_id,
                filters.date_from,
                filters.date_to,
            )
        )

    @cached_property
    def keys(self) -> list[str]:
        return [str(pk) for pk in self.activities.values_list("pk", flat=True)]

    def facts(self, source: str) -> QuerySet:
        """Facts of the selected activities, from their first day up to view.until."""
        wide = replace(self.view, since=datetime.date.min)
        rows = wide.facts(source)
        if self.narrowed:
            rows = rows.filter(key__in=self.keys)
        return rows

    def fact_sums(self, source: str) -> dict:
        sums = self.facts(source).aggregate(n=Sum("count"), hits=Sum("hits"), total=Sum("total"))
        return {name: value or 0 for name, value in sums.items()}

    def counts(self) -> dict:
        """Every activity count of the view in one query."""
        return self.activities.aggregate(**self.count_expressions())

    def count_expressions(self) -> dict:
        end = self.end
        due = Q(status__in=REPORTABLE, ends_at__lt=end)
        filed = due & Q(report__submitted_at__lt=end)
        deadline = datetime.timedelta(days=ACTIVITY_REPORT_DUE_DAYS)
        return {
            "plan": Count("pk", filter=~Q(status=S.CANCELLED)),
            "planned": Count("pk", filter=Q(status__in=PLANNED)),
            "review": Count("pk", filter=Q(status=S.SUBMITTED)),
            "published": Count("pk", filter=Q(status=S.PUBLISHED)),
            "done": Count("pk", filter=Q(status=S.COMPLETED, starts_at__lt=end)),
            "cancelled": Count("pk", filter=Q(status=S.CANCELLED)),
            "due": Count("pk", filter=due),
            "filed": Count("pk", filter=filed),
            "on_time": Count(
                "pk", filter=filed & Q(report__submitted_at__lte=F("ends_at") + deadline)
            ),
            # Reports whose fate is known: filed, or past their deadline. An activity that ended
            # yesterday is not late yet.
            "reckoned": Count("pk", filter=filed | (due & Q(ends_at__lt=end - deadline))),
        }


# --- the provider -----------------------------------------------------------------------------


class CampaignFigures(Provider):
    """Activities, registrations, outcome reports and satisfaction (see the module docstring).

    Status groups: "planned" is every plan not yet published (draft, submitted, returned,
    approved), of which "under review" is the submitted ones; "published", "done" (completed)
    and "cancelled" follow the workflow. "Activities" counts every one not cancelled. A report
    is due once a published or completed activity has ended (a draft cannot take one); it is on
    time when filed within ACTIVITY_REPORT_DUE_DAYS of the end; the on-time rate counts the
    reports filed and those past their deadline, not those still within it."""

    key = "activities"
    title = gettext_lazy("Activities")
    order = 10
    sources = (REGISTRATIONS, SURVEYS)

    def watches(self) -> list[Watch]:
        post_init.connect(_remember_place, sender=Activity, dispatch_uid="campaign-figures-place")
        return [
            Watch(Registration, _registration_partitions),
            Watch(SurveyResponse, _survey_partitions),
            Watch(Activity, _activity_partitions),
        ]

    def rebuild(self, source: str, campaign, day: datetime.date) -> list[FactRow]:
        if source == REGISTRATIONS:
            return _rebuild_registrations(campaign, day)
        if source == SURVEYS:
            return _rebuild_surveys(campaign, day)
        raise KeyError(source)

    def days(self, source: str, campaign):
        """The campaign's days, and before and after them the days registrations were taken
        (from August) or surveys answered on."""
        if source == REGISTRATIONS:
            rows = Registration.objects.filter(activity__campaign=campaign)
        else:
            rows = SurveyResponse.objects.filter(registration__activity__campaign=campaign)
        span = rows.aggregate(first=Min("created_at"), last=Max("created_at"))
        first, last = campaign.starts_on, campaign.ends_on
        if span["first"] is not None:
            first = min(first, _local_day(span["first"]))
            last = max(last, _local_day(span["last"]))
        return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]

    # figures

    def figures(self, view) -> list[Figure]:
        return self._figures(_Selection(view))

    def _figures(self, selection: _Selection) -> list[Figure]:
        counts = selection.counts()
        registrations = selection.fact_sums(REGISTRATIONS)
        surveys = selection.fact_sums(SURVEYS)
        responses = surveys["n"]
        average = round(surveys["total"] / responses, 1) if responses else None
        public_note = _("published or done") if selection.view.public else _("not cancelled")
        return [
            Figure(
                "activities",
                pgettext("dashboard figure", "Activities"),
                counts["plan"],
                public=True,
                note=public_note,
            ),
            Figure("activities_planned", _("Planned, not yet published"), counts["planned"]),
            Figure("activities_review", _("Under review"), counts["review"]),
            Figure(
                "activities_published",
                _("Published, not yet done"),
                counts["published"],
                public=True,
            ),
            Figure("activities_done", _("Activities done"), counts["done"], public=True),
            Figure("activities_cancelled", _("Cancelled"), counts["cancelled"]),
            Figure("reports_due", _("Outcome reports due"), counts["due"]),
            Figure("reports_filed", _("Outcome reports filed"), counts["filed"]),
            Figure(
                "reports_on_time",
                _("Outcome reports on time"),
                rate(counts["on_time"], counts["reckoned"]),
                unit="%",
                note=_("filed within %(days)s days of the end")
                % {"days": ACTIVITY_REPORT_DUE_DAYS},
            ),
            Figure(
                "registered",
                pgettext("dashboard figure", "Registered"),
                registrations["n"],
                public=True,
            ),
            Figure("checked_in", _("Participants checked in"), registrations["hits"], public=True),
            Figure("survey_responses", _("Survey responses"), responses),
            Figure(
                "satisfaction",
                _("Average satisfaction"),
                average,
                public=True,
                note=_("out of 5"),
            ),
            Figure(
                "satisfied",
                _("Satisfied or very satisfied"),
                rate(surveys["hits"], responses),
                unit="%",
                public=True,
            ),
        ]

    def section(self, view) -> Section | None:
        if not Activity.objects.filter(campaign=view.campaign).exists():
            return None
        selection = _Selection(view)
        return Section(
            key=self.key,
            title=str(self.title),
            figures=self._figures(selection),
            charts=[
                self._status_chart(selection),
                self._unit_chart(selection),
                self._domain_chart(selection),
                self._focus_area_chart(selection),
                self._district_chart(selection),
                self._registrations_chart(selection),
            ],
            tables=[self._top_table(selection)],
        )

    # charts: each counts the activities not cancelled, except the status pie

    def _status_chart(self, selection: _Selection) -> Chart:
        by_status = dict(
            selection.activities.order_by().values_list("status").annotate(n=Count("pk"))
        )
        groups = [
            (_("Being prepared"), (S.DRAFT, S.RETURNED)),
            (_("Under review"), (S.SUBMITTED,)),
            (_("Approved, not yet published"), (S.APPROVED,)),
            (_("Published, not yet done"), (S.PUBLISHED,)),
            (pgettext("activity status", "Done"), (S.COMPLETED,)),
            (_("Cancelled"), (S.CANCELLED,)),
        ]
        return Chart(
            key="activities_status",
            title=_("Activities by status"),
            kind="pie",
            categories=[label for label, _statuses in groups],
            series=[
                Series(
                    _("Activities"),
                    [sum(by_status.get(s, 0) for s in statuses) for _label, statuses in groups],
                )
            ],
            category_label=_("Status"),
        )

    def _unit_chart(self, selection: _Selection) -> Chart:
        rows = list(
            _held(selection)
            .values("organiser_id")
            .annotate(n=Count("pk"), done=Count("pk", filter=Q(status=S.COMPLETED)))
            .order_by("-n", "organiser_id")
        )
        units = Unit.objects.in_bulk([r["organiser_id"] for r in rows])
        return Chart(
            key="activities_by_unit",
            title=_("Activities by unit"),
            kind="hbar",
            categories=[units[r["organiser_id"]].display_name for r in rows],
            series=[
                Series(_("Activities"), [r["n"] for r in rows]),
                Series(pgettext("activity status", "Done"), [r["done"] for r in rows]),
            ],
            category_label=_("Unit"),
        )

    def _domain_chart(self, selection: _Selection) -> Chart:
        through = Activity.domains.through
        counts = dict(
            through.objects.filter(activity__in=_held(selection))
            .order_by()
            .values_list("domain_id")
            .annotate(n=Count("activity_id"))
        )
        domains = list(Domain.objects.filter(campaign=selection.view.campaign))
        return Chart(
            key="activities_by_domain",
            title=_("Activities by domain"),
            kind="bar",
            categories=[d.localized_name for d in domains],
            series=[Series(_("Activities"), [counts.get(d.pk, 0) for d in domains])],
            public=True,
            category_label=_("Domain"),
        )

    def _focus_area_chart(self, selection: _Selection) -> Chart:
        counts = dict(
            _held(selection).order_by().values_list("focus_area_id").annotate(n=Count("pk"))
        )
        areas = list(FocusArea.objects.filter(campaign=selection.view.campaign))
        return Chart(
            key="activities_by_focus_area",
            title=_("Activities by focus area"),
            kind="bar",
            categories=[a.localized_name for a in areas],
            series=[Series(_("Activities"), [counts.get(a.pk, 0) for a in areas])],
            public=True,
            category_label=_("Focus area"),
        )

    def _district_chart(self, selection: _Selection) -> Chart:
        counts = dict(
            _held(selection).order_by().values_list("district_id").annotate(n=Count("pk"))
        )
        regions = Region.objects.in_bulk([pk for pk in counts if pk is not None])
        ordered = sorted(regions.values(), key=lambda r: (r.code, r.pk))
        categories = [r.localized_name for r in ordered]
        data = [counts[r.pk] for r in ordered]
        if counts.get(None):
            categories.append(_("No district"))
            data.append(counts[None])
        return Chart(
            key="activities_by_district",
            title=_("Activities by district"),
            kind="bar",
            categories=categories,
            series=[Series(_("Activities"), data)],
            public=True,
            category_label=_("District"),
        )

    def _registrations_chart(self, selection: _Selection) -> Chart:
        per_day = dict(
            selection.facts(REGISTRATIONS).order_by().values_list("day").annotate(n=Sum("count"))
        )
        view = selection.view
        first = min([view.since, *per_day])
        days = []
        day = first
        while day <= view.until:
            days.append(day)
            day += datetime.timedelta(days=1)
        return Chart(
            key="registrations_per_day",
            title=_("Registrations per day"),
            kind="line",
            categories=[d.isoformat() for d in days],
            series=[
                Series(
                    pgettext("dashboard figure", "Registered"), [per_day.get(d, 0) for d in days]
                )
            ],
            category_label=pgettext("chart axis", "Day"),
        )

    def _top_table(self, selection: _Selection) -> Table:
        top = list(
            selection.facts(REGISTRATIONS)
            .values("key")
            .annotate(hits=Sum("hits"))
            .filter(hits__gt=0)
            .order_by("-hits", "key")[: TOP_ACTIVITIES * 2]
        )
        participants = {int(r["key"]): r["hits"] for r in top}
        activities = list(
            selection.activities.exclude(status=S.CANCELLED)
            .filter(pk__in=participants)
            .select_related("organiser")
        )
        activities.sort(key=lambda a: (-participants[a.pk], a.starts_at, a.pk))
        return Table(
            key="top_activities",
            title=_("Top activities"),
            header=[_("Activity"), _("Organiser"), _("Participants"), _("Date")],
            rows=[
                [
                    a.title,
                    a.organiser.display_name,
                    participants[a.pk],
                    _local_day(a.starts_at).isoformat(),
                ]
                for a in activities[:TOP_ACTIVITIES]
            ],
            public=True,
        )

    # the scoreboard and the report's overview

    def scoreboard(self, view) -> list[Column]:
        selection = _Selection(view)
        by_unit = {
            r["organiser_id"]: r
            for r in selection.activities.values("organiser_id")
            .annotate(**selection.count_expressions())
            .order_by()
        }
        checked_in = dict(
            selection.facts(REGISTRATIONS)
            .order_by()
            .values_list("unit_id")
            .annotate(hits=Sum("hits"))
        )
        return [
            Column(
                key="activities_done",
                label=_("Activities done against plan"),
                values={pk: rate(r["done"], r["plan"]) for pk, r in by_unit.items()},
                unit="%",
            ),
            Column(
                key="reports_on_time",
                label=_("Reports on time"),
                values={pk: rate(r["on_time"], r["reckoned"]) for pk, r in by_unit.items()},
                unit="%",
            ),
            Column(
                key="participants",
                label=_("Participants"),
                values={pk: n for pk, n in checked_in.items() if pk is not None},
            ),
        ]

    def overview(self, view) -> list[str]:
        figures = {f.key: f for f in self.figures(view)}

        def number(key):
            return format_number(figures[key].value)

        sentences = [
            _(
                "%(activities)s activities were planned for the month: %(done)s have been held, "
                "%(published)s more are published and %(cancelled)s were cancelled; "
                "%(filed)s of the %(due)s outcome reports due have been filed."
            )
            % {
                "activities": number("activities"),
                "done": number("activities_done"),
                "published": number("activities_published"),
                "cancelled": number("activities_cancelled"),
                "filed": number("reports_filed"),
                "due": number("reports_due"),
            }
        ]
        people = {"registered": number("registered"), "checked_in": number("checked_in")}
        if figures["survey_responses"].value:
            sentences.append(
                _(
                    "%(registered)s people registered and %(checked_in)s took part; "
                    "%(responses)s answered the survey, with an average satisfaction of "
                    "%(satisfaction)s out of 5 (%(satisfied)s satisfied or very satisfied)."
                )
                % {
                    **people,
                    "responses": number("survey_responses"),
                    "satisfaction": format_number(figures["satisfaction"].value),
                    "satisfied": figures["satisfied"].display,
                }
            )
        else:
            sentences.append(
                _("%(registered)s people registered and %(checked_in)s took part.") % people
            )
        return sentences


def _held(selection: _Selection) -> QuerySet[Activity]:
    return selection.activities.exclude(status=S.CANCELLED)


# --- what the Word report reads ---------------------------------------------------------------


def _participants(selection: _Selection) -> dict[int, dict]:
    return {
        int(r["key"]): r
        for r in selection.facts(REGISTRATIONS)
        .values("key")
        .annotate(n=Sum("count"), hits=Sum("hits"))
        .order_by()
    }


def focus_areas(view) -> list[dict]:
    """One entry per focus area of the campaign: {"focus_area", "figures" (Figure list),
    "rows" ([title, organiser, date, status, participants checked in])}, activities by start."""
    selection = _Selection(view)
    activities = list(selection.activities.select_related("organiser").order_by("starts_at", "pk"))
    participants = _participants(selection)
    entries = []
    for area in FocusArea.objects.filter(campaign=view.campaign):
        own = [a for a in activities if a.focus_area_id == area.pk]
        held = [a for a in own if a.status != S.CANCELLED]
        done = [a for a in held if a.status == S.COMPLETED and a.starts_at < selection.end]
        came = sum(participants.get(a.pk, {}).get("hits", 0) for a in held)
        entries.append(
            {
                "focus_area": area,
                "figures": [
                    Figure("activities", pgettext("dashboard figure", "Activities"), len(held)),
                    Figure("activities_done", _("Activities done"), len(done)),
                    Figure("checked_in", _("Participants checked in"), came),
                ],
                "rows": [
                    [
                        a.title,
                        a.organiser.display_name,
                        _local_day(a.starts_at).isoformat(),
                        a.get_status_display(),
                        participants.get(a.pk, {}).get("hits", 0),
                    ]
                    for a in own
                ],
            }
        )
    return entries


def activity_rows(view) -> tuple[list[str], list[list]]:
    """The report's annex: every activity of the view, by start."""
    selection = _Selection(view)
    activities = (
        selection.activities.select_related("organiser", "focus_area", "district")
        .prefetch_related("domains")
        .order_by("starts_at", "pk")
    )
    participants = _participants(selection)
    header = [
        pgettext("table column", "No."),
        _("Activity"),
        _("Organiser"),
        _("Focus area"),
        _("Domains"),
        _("District"),
        _("Date"),
        _("Status"),
        pgettext("dashboard figure", "Registered"),
        _("Participants"),
    ]
    rows = []
    for number, a in enumerate(activities, start=1):
        counted = participants.get(a.pk, {})
        rows.append(
            [
                number,
                a.title,
                a.organiser.display_name,
                a.focus_area.localized_name,
                "、".join(d.localized_name for d in a.domains.all()),
                a.district.localized_name if a.district_id else "",
                _local_day(a.starts_at).isoformat(),
                a.get_status_display(),
                counted.get("n", 0),
                counted.get("hits", 0),
            ]
        )
    return header, rows
