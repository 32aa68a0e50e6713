"""The complaints' dashboard figures agree with the raw rows after intake, every step, rerouting,
deletion and bulk inserts; they follow the filters and the unit's scope; the public part carries
no personal data."""

import datetime as dt
import json
from dataclasses import asdict

import pytest
from django.utils import timezone

from qualitymonth.complaints.figures import SOURCE, ComplaintFigures, day_bounds, received_day
from qualitymonth.complaints.models import CaseEvent, Complaint, ProblemGroup
from qualitymonth.complaints.services import (
    complaint_rate,
    complaint_step,
    complaint_submit,
    complaint_transfer,
    group_record_action,
)
from qualitymonth.core.figures import Filters
from qualitymonth.core.models import Region
from qualitymonth.dashboard import facts
from qualitymonth.dashboard.figures import View, compose
from qualitymonth.dashboard.models import Fact, Stale
from tests.complaints.conftest import complaint_data
from tests.factories import CampaignFactory, RegionFactory

pytestmark = pytest.mark.django_db
S = Complaint.Status
START, END, TODAY = dt.date(2025, 9, 1), dt.date(2025, 9, 30), dt.date(2025, 9, 20)
provider = ComplaintFigures()


class Clock:
    """What the services read as "now": a fixed moment the test moves."""

    now = None

    def at(self, day: dt.date, hour: int = 10) -> None:
        self.now = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    clock.at(START)
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    # The model's default captured the real clock when the class was built.
    field = Complaint._meta.get_field("received_at")
    monkeypatch.setattr(field, "_get_default", lambda: clock.now)
    return clock


@pytest.fixture
def campaign(db):
    return CampaignFactory(year=2025, starts_on=START, ends_on=END)


@pytest.fixture
def desk(clock, route, campaign, unit, office_user):
    """Receive cases and take steps on given days, as the office."""
    from qualitymonth.complaints.services.hotspots import _place_prefix

    _place_prefix.cache_clear()  # the grouping strips the place names of this test's regions

    class Desk:
        def receive(self, day, *, to=unit, region=None, nature="quality", category="food", **data):
            clock.at(day)
            route(to.code if to else None, 0.95, nature=nature, category=category)
            return complaint_submit(data=complaint_data(**data), region=region or campaign.region)

        def step(self, case, day, *names, reason=""):
            clock.at(day)
            for name in names:
                case = complaint_step(
                    complaint=case,
                    step=name,
                    acting_user=office_user,
                    message="处理结果说明",
                    reason=reason,
                )
            return case

        def rate(self, case, day, score):
            clock.at(day)
            return complaint_rate(complaint=case, score=score)

    return Desk()


@pytest.fixture
def cases(desk, clock, campaign, unit, other_unit, staff_user):
    """A small month: mediated and closed, not accepted late, mediation failed, transferred and
    overdue, a report, one case before the campaign and one in another city."""
    made = {"before": desk.receive(dt.date(2025, 8, 28))}
    made["agreed"] = desk.receive(dt.date(2025, 9, 3))
    desk.step(made["agreed"], dt.date(2025, 9, 5), "accept", "mediate")
    desk.step(made["agreed"], dt.date(2025, 9, 10), "agree")
    desk.step(made["agreed"], dt.date(2025, 9, 11), "close")
    desk.rate(made["agreed"], dt.date(2025, 9, 12), 5)
    made["refused"] = desk.receive(
        dt.date(2025, 9, 3), nature="price", category="catering_lodging", district="思明区"
    )
    desk.step(made["refused"], dt.date(2025, 9, 19), "not_accept", reason="over_three_years")
    made["failed"] = desk.receive(dt.date(2025, 9, 4))
    desk.step(made["failed"], dt.date(2025, 9, 5), "accept")
    desk.step(made["failed"], dt.date(2025, 9, 15), "end_mediation")
    desk.rate(made["failed"], dt.date(2025, 9, 16), 2)
    made["moved"] = desk.receive(dt.date(2025, 9, 4))
    clock.at(dt.date(2025, 9, 5))
    complaint_transfer(
        complaint=made["moved"], to_unit=other_unit, acting_user=staff_user, reason="属卫健职责"
    )
    made["report"] = desk.receive(dt.date(2025, 9, 8), kind="report", request="")
    elsewhere = RegionFactory(name="别的市")
    made["elsewhere"] = desk.receive(dt.date(2025, 9, 5), region=elsewhere, district="")
    clock.at(TODAY)
    return {name: Complaint.objects.get(pk=case.pk) for name, case in made.items()}


def view_of(campaign, **kwargs) -> View:
    facts.refresh(campaign)
    kwargs.setdefault("today", TODAY)
    return View(campaign=campaign, **kwargs)


def figures_of(view) -> dict:
    return {figure.key: figure.value for figure in provider.figures(view)}


def truth(campaign, *, units=None, district=None, since=None, until=None) -> dict:
    """The figures counted straight from the complaints and their histories."""
    start, end = day_bounds(since or campaign.starts_on, until or min(campaign.ends_on, TODAY))
    rows = Complaint.objects.filter(
        region=campaign.region, received_at__gte=start, received_at__lt=end
    )
    if units is not None:
        rows = rows.filter(unit__in=units)
    if district is not None:
        rows = rows.filter(district=district)
    complaints = list(rows.filter(kind="complaint"))
    decided = [
        c
        for c in complaints
        if c.accepted_at or c.not_accepted_reason or c.status == S.NOT_ACCEPTED
    ]
    in_time = [c for c in decided if received_day(c.accepted_at or c.finished_at) <= c.accept_due]
    ended = dict(
        CaseEvent.objects.filter(
            complaint__in=complaints, step__in=("agree", "end_mediation")
        ).values_list("complaint_id", "step")
    )
    # Bulk-loaded cases have no history: their status says how mediation ended.
    finished = {S.MEDIATED: "agree", S.MEDIATION_ENDED: "end_mediation"}
    ended |= {c.pk: finished[c.status] for c in complaints if c.status in finished}
    rated = [c.satisfaction for c in rows if c.satisfaction is not None]
    overdue = Complaint.objects.filter(
        region=campaign.region, status__in=Complaint.OPEN_STATUSES, due_on__lt=TODAY
    )
    if units is not None:
        overdue = overdue.filter(unit__in=units)
    if district is not None:
        overdue = overdue.filter(district=district)

    def percent(part, whole):
        return round(100 * part / whole, 1) if whole else None

    return {
        "complaints_received": rows.count(),
        "complaints_accepted_in_time": percent(len(in_time), len(decided)),
        "complaints_overdue_now": overdue.count(),
        "complaints_mediation_success": percent(
            sum(step == "agree" for step in ended.values()), len(ended)
        ),
        "complaints_satisfaction": round(sum(rated) / len(rated), 1) if rated else None,
        "complaints_satisfied_share": percent(sum(s >= 4 for s in rated), len(rated)),
    }


# --- the figures against the raw rows --------------------------------------------------------
def test_each_figure_matches_the_raw_rows(cases, campaign):
    figures = figures_of(view_of(campaign))
    assert figures == truth(campaign)
    # And in numbers, so the truth itself is checked: five cases in the city in the period;
    # three acceptance decisions, two within 7 working days; one of two mediations agreed;
    # ratings 5 and 2; the transferred case and the one from August are overdue.
    assert figures == {
        "complaints_received": 5,
        "complaints_accepted_in_time": 66.7,
        "complaints_overdue_now": 2,
        "complaints_mediation_success": 50.0,
        "complaints_satisfaction": 3.5,
        "complaints_satisfied_share": 50.0,
    }


def test_cases_before_the_campaign_or_in_another_city_do_not_count(cases, campaign):
    view = view_of(campaign)
    section = provider.section(view)
    per_day = next(c for c in section.charts if c.key == "complaints_per_day")
    assert per_day.categories[0] == "2025-09-01" and per_day.categories[-1] == "2025-09-20"
    assert sum(per_day.series[0].data) == 5
    assert dict(zip(per_day.categories, per_day.series[0].data, strict=True))["2025-09-03"] == 2
    assert not Fact.objects.filter(source=SOURCE, day=dt.date(2025, 8, 28)).exists()
    elsewhere = CampaignFactory(
        year=2025, region=cases["elsewhere"].region, starts_on=START, ends_on=END
    )
    facts.rebuild_all(elsewhere, sources=[SOURCE])
    assert figures_of(view_of(elsewhere))["complaints_received"] == 1


def test_each_step_shows_in_the_figures_at_once(desk, campaign):
    def now():
        return figures_of(view_of(campaign, today=dt.date(2025, 9, 29)))

    case = desk.receive(dt.date(2025, 9, 3))
    assert now()["complaints_received"] == 1
    assert now()["complaints_accepted_in_time"] is None  # nothing decided yet
    assert now()["complaints_overdue_now"] == 1  # due on 12 September
    case = desk.step(case, dt.date(2025, 9, 4), "accept")
    assert now()["complaints_accepted_in_time"] == 100.0
    assert now()["complaints_overdue_now"] == 0  # mediation runs 45 working days
    case = desk.step(case, dt.date(2025, 9, 8), "mediate", "agree")
    assert now()["complaints_mediation_success"] == 100.0
    desk.rate(case, dt.date(2025, 9, 9), 4)
    assert now()["complaints_satisfaction"] == 4
    desk.step(Complaint.objects.get(pk=case.pk), dt.date(2025, 9, 10), "close")
    # Closed, the agreement is still counted: it is read from the case's history.
    assert now()["complaints_mediation_success"] == 100.0
    assert now() == truth(campaign, until=dt.date(2025, 9, 29))


def test_a_rerouted_case_leaves_the_old_units_figures(desk, campaign, unit, other_unit, staff_user):
    case = desk.receive(dt.date(2025, 9, 3))
    assert figures_of(view_of(campaign, scope=frozenset({unit.pk})))["complaints_received"] == 1
    complaint_transfer(complaint=case, to_unit=other_unit, acting_user=staff_user, reason="改派")
    assert figures_of(view_of(campaign, scope=frozenset({unit.pk})))["complaints_received"] == 0
    moved = figures_of(view_of(campaign, scope=frozenset({other_unit.pk})))
    assert moved["complaints_received"] == 1 and moved["complaints_overdue_now"] == 1


def test_a_deleted_case_no_longer_counts(cases, campaign):
    assert figures_of(view_of(campaign))["complaints_received"] == 5
    cases["refused"].delete()
    figures = figures_of(view_of(campaign))
    assert figures["complaints_received"] == 4
    assert figures == truth(campaign)


def test_bulk_inserted_cases_mark_their_days(clock, campaign):
    """The synthetic loader inserts without save signals: it marks the days itself."""
    from qualitymonth.complaints.synth import synthesize

    clock.at(TODAY)
    synthesize(n=400, seed=7, batch=200, progress=lambda _text: None)
    assert Stale.objects.filter(campaign=campaign, source=SOURCE).exists()
    figures = figures_of(view_of(campaign))
    assert figures["complaints_received"] > 10 and figures["complaints_overdue_now"] > 0
    assert figures == truth(campaign)


def test_a_row_changed_without_a_signal_is_seen_once_marked(cases, campaign):
    from qualitymonth.complaints.figures import campaign_days_for
    from qualitymonth.core.figures import mark_changed

    assert figures_of(view_of(campaign))["complaints_received"] == 5
    Complaint.objects.filter(pk=cases["report"].pk).update(region=cases["elsewhere"].region)
    assert figures_of(view_of(campaign))["complaints_received"] == 5  # not told yet
    mark_changed(SOURCE, campaign_days_for(campaign.region_id, [dt.date(2025, 9, 8)]))
    assert figures_of(view_of(campaign))["complaints_received"] == 4


# --- filters and scope -------------------------------------------------------------------------
def test_the_unit_district_and_date_filters_narrow_every_figure(cases, campaign, unit):
    district = Region.objects.get(name="思明区")
    for filters, narrowed in [
        (Filters(unit_id=unit.pk), {"units": [unit]}),
        (Filters(district_id=district.pk), {"district": district}),
        (
            Filters(date_from=dt.date(2025, 9, 4), date_to=dt.date(2025, 9, 6)),
            {"since": dt.date(2025, 9, 4), "until": dt.date(2025, 9, 6)},
        ),
    ]:
        assert figures_of(view_of(campaign, filters=filters)) == truth(campaign, **narrowed)
    assert (
        figures_of(view_of(campaign, filters=Filters(district_id=district.pk)))[
            "complaints_received"
        ]
        == 1
    )


def test_domain_and_focus_area_filters_are_said_to_be_ignored(cases, campaign):
    domain = campaign.domains.first()
    section = provider.section(view_of(campaign, filters=Filters(domain_id=domain.pk)))
    assert section.ignored_filters == ["domain"]
    assert figures_of(view_of(campaign, filters=Filters(domain_id=domain.pk))) == truth(campaign)
    section = provider.section(view_of(campaign, filters=Filters(unit_id=1)))
    assert section.ignored_filters == []


def test_a_unit_sees_only_its_own_cases(cases, campaign, unit, other_unit):
    own = view_of(campaign, scope=frozenset({other_unit.pk}))
    assert figures_of(own) == truth(campaign, units=[other_unit])
    assert figures_of(own)["complaints_received"] == 1
    by_unit = next(c for c in provider.section(own).charts if c.key == "complaints_by_unit")
    assert by_unit.categories == [other_unit.display_name]
    # Asking for another unit's figures from inside the scope gives nothing at all.
    outside = view_of(campaign, scope=frozenset({other_unit.pk}), filters=Filters(unit_id=unit.pk))
    figures = figures_of(outside)
    assert figures["complaints_received"] == 0 and figures["complaints_overdue_now"] == 0
    assert provider.section(outside).tables[0].rows == []


def test_a_campaign_not_yet_begun_shows_zeros_not_errors(cases, campaign):
    view = view_of(campaign, today=dt.date(2025, 8, 20))
    section = provider.section(view)
    assert figures_of(view)["complaints_received"] == 0
    assert all(chart.categories == [] for chart in section.charts)
    assert section.tables[0].rows == []


# --- sections, charts, tables --------------------------------------------------------------------
def test_the_charts_count_by_nature_category_unit_and_district(cases, campaign, unit, other_unit):
    charts = {c.key: c for c in provider.section(view_of(campaign)).charts}
    assert dict(
        zip(
            charts["complaints_by_nature"].categories,
            charts["complaints_by_nature"].series[0].data,
            strict=True,
        )
    ) == {"Quality": 4, "Price": 1}
    assert charts["complaints_by_unit"].categories == [unit.display_name, other_unit.display_name]
    assert charts["complaints_by_unit"].series[0].data == [4, 1]
    assert charts["complaints_by_district"].categories == ["思明区", "湖里区"]
    assert charts["complaints_by_district"].series[0].data == [1, 4]
    assert {c.kind for c in charts.values()} == {"line", "pie", "hbar", "bar"}


def test_categories_beyond_the_top_ten_are_one_bar(campaign):
    Stale.objects.all().delete()
    codes = ["food", "tourism", "vehicles", "clothing_shoes", "daily_goods", "agri_inputs",
             "digital_devices", "housing_materials", "medicine_devices", "special_equipment",
             "catering_lodging", "education_training"]  # fmt: skip
    for number, code in enumerate(codes):
        Fact.objects.create(
            campaign=campaign,
            source=SOURCE,
            day=dt.date(2025, 9, 2),
            key="category",
            subkey=code,
            count=20 - number,
        )
    chart = next(
        c
        for c in provider.section(View(campaign=campaign, today=TODAY)).charts
        if c.key == "complaints_by_category"
    )
    assert len(chart.categories) == 11 and chart.categories[-1] == "Other categories"
    assert chart.series[0].data[0] == 20 and chart.series[0].data[-1] == 10 + 9


def test_the_top_key_issues_show_what_was_done(cases, campaign, office_user):
    group = cases["agreed"].group
    group_record_action(
        group=group, acting_user=office_user, action="done", note="约谈商家，全面排查电饭煲质量"
    )
    table = provider.section(view_of(campaign)).tables[0]
    assert table.public
    title, district, count, solved, done = table.rows[0]
    assert title == "Food · Quality" and district == "湖里区"
    assert (count, solved) == (4, 2)  # in the period, in this city
    assert done == "Done 约谈商家，全面排查电饭煲质量"


def test_the_scoreboard_ranks_units_on_time_and_satisfaction(cases, campaign, unit, other_unit):
    columns = {c.key: c for c in provider.scoreboard(view_of(campaign))}
    assert columns["complaints_on_time"].values == {unit.pk: 66.7}
    assert columns["complaints_satisfaction"].values == {unit.pk: 3.5}
    assert all(c.default for c in columns.values())


def test_the_overview_is_written_from_the_figures(cases, campaign):
    sentences = provider.overview(view_of(campaign))
    assert "5 complaints" in sentences[0] and "66.7%" in sentences[0] and "3.5" in sentences[0]
    assert "Food · Quality" in sentences[1]


def test_last_years_campaign_has_no_overdue_now(cases, campaign):
    CampaignFactory(
        year=2024,
        region=campaign.region,
        starts_on=dt.date(2024, 9, 1),
        ends_on=dt.date(2024, 9, 30),
    )
    dashboard = compose(campaign, today=TODAY, sections=["complaints"])
    figures = {f.key: f for f in dashboard.sections[0].figures}
    assert figures["complaints_overdue_now"].value == 2
    assert figures["complaints_overdue_now"].previous is None
    assert figures["complaints_received"].previous == 0


# --- the public part ---------------------------------------------------------------------------
def test_the_public_part_carries_no_personal_data(desk, campaign, office_user):
    for _ in range(2):
        case = desk.receive(
            dt.date(2025, 9, 3),
            complainant_name="王大明",
            complainant_mobile="13812345678",
            facts="我叫王大明，电话13812345678，在鹭佳电器买的电饭煲坏了。",
        )
    group_record_action(
        group=case.group,
        acting_user=office_user,
        action="in_progress",
        note="已联系投诉人王先生13812345678核实",
    )
    dashboard = compose(campaign, public=True, today=TODAY, sections=["complaints"])
    (section,) = dashboard.sections
    shown = json.dumps(asdict(section), ensure_ascii=False, default=str)
    for personal in ("王大明", "13812345678", "鹭佳", "湖滨南路", "电饭煲坏了"):
        assert personal not in shown
    assert {f.key for f in section.figures} == {
        "complaints_received",
        "complaints_accepted_in_time",
        "complaints_satisfaction",
    }
    assert {c.key for c in section.charts} == {"complaints_per_day", "complaints_by_nature"}
    assert section.tables[0].rows[0][2] == 2
    assert ProblemGroup.objects.get(pk=case.group_id).title.startswith("厦门市湖里区鹭佳")


def test_the_section_reads_a_fixed_number_of_queries(
    cases, campaign, django_assert_max_num_queries
):
    view = view_of(campaign)
    with django_assert_max_num_queries(13):
        section = provider.section(view)
    assert section.tables[0].rows


def test_the_overview_speaks_of_no_rate_before_anything_is_decided(desk, campaign):
    desk.receive(dt.date(2025, 9, 3))
    (sentence,) = provider.overview(view_of(campaign))
    assert "1 complaints" in sentence and "—" not in sentence and "7 working days" not in sentence
