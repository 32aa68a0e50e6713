"""The campaigns' dashboard figures agree with counts taken from the raw rows: after creates,
updates (check-in, cancellations, wait-list promotion), deletes and the cancellation of a whole
activity (a queryset update that sends no signals), under every filter and scope."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from qualitymonth.campaigns import figures as campaign_figures
from qualitymonth.campaigns.models import (
    Activity,
    ActivityReport,
    Registration,
    SurveyResponse,
)
from qualitymonth.campaigns.services.activities import activity_cancel
from qualitymonth.campaigns.services.registrations import (
    registration_cancel,
    registration_check_in,
)
from qualitymonth.core import figures as core_figures
from qualitymonth.core.figures import Filters
from qualitymonth.core.models import Membership
from qualitymonth.dashboard import facts
from qualitymonth.dashboard.figures import View, compose
from qualitymonth.dashboard.models import Fact, Stale
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    MembershipFactory,
    RegionFactory,
    RegistrationFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

START, END = dt.date(2024, 9, 1), dt.date(2024, 9, 30)
TODAY = dt.date(2024, 9, 28)
A = Activity.Status


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def sep(day: int, hour: int = 10) -> dt.datetime:
    return at(dt.date(2024, 9, day), hour)


class Clock:
    def __init__(self):
        self.now = at(dt.date(2024, 8, 25))


@pytest.fixture
def clock(monkeypatch):
    """The wall clock as models (auto_now_add) and services see it; tests move it."""
    now = Clock()
    monkeypatch.setattr(timezone, "now", lambda: now.now)
    return now


class World:
    pass


@pytest.fixture
def world(clock):
    w = World()
    w.clock = clock
    w.campaign = CampaignFactory(region=RegionFactory(), year=2024, starts_on=START, ends_on=END)
    c = w.campaign
    w.siming, w.huli = list(c.region.children.order_by("code"))
    w.education, w.improvement = list(c.focus_areas.all())
    w.product, w.service, w.medical = list(c.domains.all())
    w.unit_a = UnitFactory(region=c.region, short_name="甲局")
    w.unit_b = UnitFactory(region=c.region, short_name="乙局")
    w.office = MembershipFactory(unit=c.lead_unit, role=Membership.Role.CAMPAIGN_OFFICE).user

    def activity(unit, district, domains, area, start, status, capacity=30):
        return ActivityFactory(
            campaign=c,
            organiser=unit,
            district=district,
            domains=domains,
            focus_area=area,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            status=status,
            capacity=capacity,
        )

    w.a1 = activity(w.unit_a, w.siming, [w.product], w.education, sep(5), A.COMPLETED)
    w.a2 = activity(w.unit_a, w.huli, [w.service], w.improvement, sep(20), A.PUBLISHED, 2)
    w.a3 = activity(
        w.unit_b, w.siming, [w.product, w.medical], w.improvement, sep(10, 14), A.COMPLETED
    )
    w.a4 = activity(w.unit_b, w.huli, [w.service], w.education, sep(25), A.DRAFT, None)
    w.a5 = activity(w.unit_b, w.siming, [w.medical], w.education, sep(26), A.SUBMITTED)
    w.a6 = activity(w.unit_a, None, [w.product], w.education, sep(15), A.CANCELLED)
    w.a7 = activity(w.unit_a, w.siming, [w.product], w.education, sep(12), A.PUBLISHED)

    # Registrations are taken in August, before the campaign starts.
    w.r1 = [RegistrationFactory(activity=w.a1) for _ in range(3)]
    w.r3 = [RegistrationFactory(activity=w.a3) for _ in range(2)]
    w.r7 = [RegistrationFactory(activity=w.a7)]
    clock.now = sep(15, 9)
    w.r2 = [RegistrationFactory(activity=w.a2) for _ in range(2)]
    w.r2.append(
        RegistrationFactory(
            activity=w.a2, status=Registration.Status.WAITLISTED, waitlist_position=1
        )
    )
    # Checked in: two through a plain save, one through the service at the door.
    for registration in w.r1[:2]:
        registration.checked_in_at = sep(5, 9)
        registration.save()
    clock.now = sep(10, 14)
    registration_check_in(registration=w.r3[0], acting_user=w.office)

    clock.now = sep(6)
    SurveyResponse.objects.create(registration=w.r1[0], overall=5, usefulness=5, organisation=5)
    SurveyResponse.objects.create(registration=w.r1[1], overall=3, usefulness=4, organisation=4)
    clock.now = sep(11)
    SurveyResponse.objects.create(registration=w.r3[0], overall=4, usefulness=4, organisation=4)

    clock.now = sep(8)
    ActivityReport.objects.create(activity=w.a1, participants=40, summary="好")
    clock.now = sep(20, 15)
    ActivityReport.objects.create(activity=w.a3, participants=20, summary="好")  # late
    clock.now = at(TODAY, 12)
    return w


def local(moment):
    return timezone.localdate(moment)


def expected(view) -> dict:
    """Every figure of the section, counted in Python from the raw rows."""
    f = view.filters
    end = min(at(view.until + dt.timedelta(days=1), 0), timezone.now())
    chosen = []
    for a in Activity.objects.filter(campaign=view.campaign).prefetch_related("domains"):
        if view.unit_ids is not None and a.organiser_id not in view.unit_ids:
            continue
        if f.district_id is not None and a.district_id != f.district_id:
            continue
        if f.domain_id is not None and f.domain_id not in {d.pk for d in a.domains.all()}:
            continue
        if f.focus_area_id is not None and a.focus_area_id != f.focus_area_id:
            continue
        if f.date_from and local(a.starts_at) < f.date_from:
            continue
        if f.date_to and local(a.starts_at) > f.date_to:
            continue
        if view.public and a.status not in (A.PUBLISHED, A.COMPLETED):
            continue
        chosen.append(a)
    ids = {a.pk for a in chosen}
    deadline = dt.timedelta(days=campaign_figures.ACTIVITY_REPORT_DUE_DAYS)
    reports = {r.activity_id: r.submitted_at for r in ActivityReport.objects.all()}
    due = [a for a in chosen if a.status in (A.PUBLISHED, A.COMPLETED) and a.ends_at < end]
    filed = [a for a in due if a.pk in reports and reports[a.pk] < end]
    on_time = [a for a in filed if reports[a.pk] <= a.ends_at + deadline]
    reckoned = [a for a in due if a in filed or a.ends_at + deadline < end]
    registrations = [
        r
        for r in Registration.objects.filter(activity_id__in=ids)
        if local(r.created_at) <= view.until
    ]
    active = [r for r in registrations if r.status != Registration.Status.CANCELLED]
    surveys = [
        s
        for s in SurveyResponse.objects.filter(registration__activity_id__in=ids)
        if local(s.created_at) <= view.until
    ]
    scores = [s.overall for s in surveys]
    return {
        "activities": sum(a.status != A.CANCELLED for a in chosen),
        "activities_planned": sum(
            a.status in (A.DRAFT, A.SUBMITTED, A.RETURNED, A.APPROVED) for a in chosen
        ),
        "activities_review": sum(a.status == A.SUBMITTED for a in chosen),
        "activities_published": sum(a.status == A.PUBLISHED for a in chosen),
        "activities_done": sum(a.status == A.COMPLETED and a.starts_at < end for a in chosen),
        "activities_cancelled": sum(a.status == A.CANCELLED for a in chosen),
        "reports_due": len(due),
        "reports_filed": len(filed),
        "reports_on_time": core_figures.rate(len(on_time), len(reckoned)),
        "registered": len(active),
        "checked_in": sum(r.checked_in_at is not None for r in active),
        "survey_responses": len(scores),
        "satisfaction": round(sum(scores) / len(scores), 1) if scores else None,
        "satisfied": core_figures.rate(sum(s >= 4 for s in scores), len(scores)),
    }


def provider():
    return next(p for p in core_figures.providers() if p.key == "activities")


def section(campaign, **kwargs):
    facts.refresh(campaign)
    kwargs.setdefault("today", TODAY)
    view = View(campaign=campaign, **kwargs)
    return view, provider().section(view)


def values(section):
    return {f.key: f.value for f in section.figures}


def chart(section, key):
    return next(c for c in section.charts if c.key == key)


def test_every_figure_matches_the_raw_rows(world):
    view, result = section(world.campaign)
    assert values(result) == expected(view)
    got = values(result)
    # The fixture, spelled out once so the truth function itself is checked.
    assert got["activities"] == 6 and got["activities_done"] == 2
    assert got["activities_planned"] == 2 and got["activities_review"] == 1
    assert got["activities_cancelled"] == 1 and got["activities_published"] == 2
    assert (got["reports_due"], got["reports_filed"]) == (4, 2)
    assert got["reports_on_time"] == 25.0  # a1 on time; a3 late; a7 and a2 past the deadline
    assert (got["registered"], got["checked_in"]) == (9, 3)
    assert (got["survey_responses"], got["satisfaction"], got["satisfied"]) == (3, 4.0, 66.7)


def test_registrations_taken_in_august_are_kept_on_their_day_and_counted(world):
    facts.rebuild_all(world.campaign)
    august = Fact.objects.filter(
        campaign=world.campaign, source="registrations", day=dt.date(2024, 8, 25)
    )
    assert sum(f.count for f in august) == 6
    assert dt.date(2024, 8, 25) in list(provider().days("registrations", world.campaign))
    _view, result = section(world.campaign)
    assert values(result)["registered"] == 9
    line = chart(result, "registrations_per_day")
    assert line.categories[0] == "2024-08-25" and line.categories[-1] == TODAY.isoformat()
    assert sum(line.series[0].data) == 9


def test_figures_follow_check_in_cancellation_promotion_and_deletes(world):
    clock = world.clock
    clock.now = sep(18)
    registration_cancel(registration=world.r2[0])  # the wait-listed person gets the seat
    assert Registration.objects.get(pk=world.r2[2].pk).status == Registration.Status.CONFIRMED
    clock.now = sep(20, 10)
    registration_check_in(registration=world.r2[1], acting_user=world.office)
    registration_check_in(registration=world.r2[2], acting_user=world.office)
    clock.now = at(TODAY, 12)
    view, result = section(world.campaign)
    assert values(result) == expected(view)
    assert values(result)["checked_in"] == 5 and values(result)["registered"] == 8

    world.r1[1].survey.delete()
    world.r1[2].delete()
    view, result = section(world.campaign)
    assert values(result) == expected(view)
    assert values(result)["survey_responses"] == 2 and values(result)["registered"] == 7


def test_cancelling_an_activity_updates_its_registrations_without_signals_and_is_seen(world):
    facts.refresh(world.campaign)
    assert not Stale.objects.filter(campaign=world.campaign).exists()
    manager = MembershipFactory(unit=world.unit_a, role=Membership.Role.UNIT_MANAGER).user
    world.clock.now = sep(19)
    activity_cancel(acting_user=manager, activity=world.a2, reason="台风")
    assert Stale.objects.filter(
        campaign=world.campaign, source="registrations", day=dt.date(2024, 9, 15)
    ).exists()
    world.clock.now = at(TODAY, 12)
    view, result = section(world.campaign)
    assert values(result) == expected(view)
    assert values(result)["registered"] == 6
    assert values(result)["activities_cancelled"] == 2


def test_moving_an_activity_to_another_unit_moves_its_facts(world):
    facts.refresh(world.campaign)
    activity = Activity.objects.get(pk=world.a1.pk)
    activity.organiser = world.unit_b
    activity.save()
    view, result = section(world.campaign, filters=Filters(unit_id=world.unit_b.pk))
    assert values(result) == expected(view)
    assert values(result)["checked_in"] == 3


@pytest.mark.parametrize(
    "name",
    ["unit", "district", "domain", "focus_area", "dates", "date_from_only", "no_district_match"],
)
def test_filters_match_the_raw_rows(world, name):
    filters = {
        "unit": Filters(unit_id=world.unit_a.pk),
        "district": Filters(district_id=world.siming.pk),
        "domain": Filters(domain_id=world.product.pk),
        "focus_area": Filters(focus_area_id=world.improvement.pk),
        "dates": Filters(date_from=dt.date(2024, 9, 9), date_to=dt.date(2024, 9, 21)),
        "date_from_only": Filters(date_from=dt.date(2024, 9, 11)),
        "no_district_match": Filters(district_id=world.huli.pk, domain_id=world.product.pk),
    }[name]
    view, result = section(world.campaign, filters=filters)
    assert values(result) == expected(view)


def test_domain_filter_narrows_registrations_to_that_domain(world):
    _view, result = section(world.campaign, filters=Filters(domain_id=world.service.pk))
    assert values(result)["registered"] == 3  # a2 only (a4 takes none)
    assert values(result)["satisfaction"] is None


def test_a_unit_sees_only_its_own_activities(world):
    view, result = section(world.campaign, scope=frozenset({world.unit_b.pk}))
    assert values(result) == expected(view)
    assert values(result)["activities"] == 3
    assert chart(result, "activities_by_unit").categories == ["乙局"]
    titles = {row[0] for row in next(t for t in result.tables).rows}
    assert titles == {world.a3.title}
    # A filter on a unit outside the scope shows nothing, not the other unit.
    view, result = section(
        world.campaign,
        scope=frozenset({world.unit_b.pk}),
        filters=Filters(unit_id=world.unit_a.pk),
    )
    assert values(result)["activities"] == 0 and values(result)["registered"] == 0


def test_the_public_part_counts_public_activities_and_carries_nothing_personal(world):
    dashboard = compose(world.campaign, public=True, today=TODAY, sections=["activities"])
    (public,) = dashboard.sections
    view = View(campaign=world.campaign, public=True, today=TODAY)
    truth = expected(view)
    assert {f.key for f in public.figures} == {
        "activities",
        "activities_published",
        "activities_done",
        "registered",
        "checked_in",
        "satisfaction",
        "satisfied",
    }
    assert {f.key: f.value for f in public.figures} == {f.key: truth[f.key] for f in public.figures}
    assert values(public)["activities"] == 4  # drafts, plans under review and cancelled left out
    assert {c.key for c in public.charts} == {
        "activities_by_domain",
        "activities_by_focus_area",
        "activities_by_district",
    }
    (table,) = public.tables
    assert table.rows[0] == [world.a1.title, "甲局", 2, "2024-09-05"]
    text = repr(public)
    for registration in Registration.objects.all():
        assert registration.mobile not in text and registration.ticket_code not in text
    assert "张三" not in text


def test_charts_count_activities_by_status_unit_domain_focus_area_and_district(world):
    _view, result = section(world.campaign)
    status = chart(result, "activities_status")
    assert sum(status.series[0].data) == 7
    assert status.series[0].data == [1, 1, 0, 2, 2, 1]
    units = chart(result, "activities_by_unit")
    assert units.categories == ["甲局", "乙局"]
    assert [s.data for s in units.series] == [[3, 3], [1, 1]]
    assert chart(result, "activities_by_domain").series[0].data == [3, 2, 2]
    assert chart(result, "activities_by_focus_area").series[0].data == [4, 2]
    district = chart(result, "activities_by_district")
    assert district.categories == [world.siming.name, world.huli.name]
    assert district.series[0].data == [4, 2]


def test_scoreboard_columns(world):
    facts.refresh(world.campaign)
    view = View(campaign=world.campaign, today=TODAY)
    columns = {c.key: c for c in provider().scoreboard(view)}
    assert set(columns) == {"activities_done", "reports_on_time", "participants"}
    assert all(c.default for c in columns.values())
    a, b = world.unit_a.pk, world.unit_b.pk
    assert columns["activities_done"].values == {a: 33.3, b: 33.3}  # 1 of 3 each
    assert columns["reports_on_time"].values == {a: 33.3, b: 0.0}
    assert columns["participants"].values == {a: 2, b: 1}
    world.campaign.co_organisers.add(world.unit_a, world.unit_b)
    board = compose(world.campaign, today=TODAY, sections=["activities"]).scoreboard
    assert board.rows[0]["values"][2] is not None


def test_the_same_point_last_year_is_compared(world, clock):
    last = CampaignFactory(
        region=world.campaign.region,
        year=2023,
        starts_on=dt.date(2023, 9, 1),
        ends_on=dt.date(2023, 9, 30),
    )
    clock.now = at(dt.date(2023, 8, 30))
    old = ActivityFactory(
        campaign=last,
        organiser=world.unit_a,
        starts_at=at(dt.date(2023, 9, 3)),
        ends_at=at(dt.date(2023, 9, 3), 12),
        status=A.COMPLETED,
    )
    RegistrationFactory(activity=old)
    clock.now = at(TODAY, 12)
    dashboard = compose(world.campaign, today=TODAY, sections=["activities"])
    previous = {f.key: f.previous for f in dashboard.sections[0].figures}
    assert previous["activities"] == 1 and previous["registered"] == 1


def test_a_campaign_without_activities_has_no_section_and_zero_figures(clock):
    campaign = CampaignFactory(region=RegionFactory(), year=2024, starts_on=START, ends_on=END)
    view, result = section(campaign)
    assert result is None
    got = {f.key: f.value for f in provider().figures(view)}
    assert got["activities"] == 0 and got["registered"] == 0 and got["satisfaction"] is None
    assert provider().overview(view)
    assert campaign_figures.focus_areas(view)[0]["rows"] == []
    assert campaign_figures.activity_rows(view)[1] == []
    assert compose(campaign, today=TODAY, sections=["activities"]).sections == []


def test_overview_sentences_carry_the_numbers(world):
    facts.refresh(world.campaign)
    with translation.override("zh-hans"):
        sentences = provider().overview(View(campaign=world.campaign, today=TODAY))
    assert len(sentences) == 2
    assert "6" in sentences[0] and "9" in sentences[1] and "4" in sentences[1]


def test_focus_areas_and_activity_rows_for_the_report(world):
    facts.refresh(world.campaign)
    view = View(campaign=world.campaign, today=TODAY)
    areas = campaign_figures.focus_areas(view)
    assert [a["focus_area"] for a in areas] == [world.education, world.improvement]
    education = {f.key: f.value for f in areas[0]["figures"]}
    assert education == {"activities": 4, "activities_done": 1, "checked_in": 2}
    assert [row[0] for row in areas[1]["rows"]] == [world.a3.title, world.a2.title]
    header, rows = campaign_figures.activity_rows(view)
    assert len(header) == len(rows[0])
    assert [row[1] for row in rows] == [
        a.title for a in (world.a1, world.a3, world.a7, world.a6, world.a2, world.a4, world.a5)
    ]
    assert rows[0][-2:] == [3, 2]


def test_a_section_costs_the_same_queries_however_many_activities(world):
    def queries():
        facts.refresh(world.campaign)
        view = View(campaign=world.campaign, today=TODAY)
        with CaptureQueriesContext(connection) as captured:
            provider().section(view)
            provider().scoreboard(view)
        return len(captured)

    before = queries()
    for number in range(6):
        unit = UnitFactory(region=world.campaign.region)
        activity = ActivityFactory(
            campaign=world.campaign,
            organiser=unit,
            starts_at=sep(3 + number),
            ends_at=sep(3 + number, 12),
            status=A.COMPLETED,
        )
        RegistrationFactory(activity=activity, checked_in_at=sep(3 + number))
    assert queries() == before
