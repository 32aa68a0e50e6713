"""Supervision's figures on the command dashboard: each one against a count from the raw rows
after creates, updates, deletes and the hazards an inspection's signing makes in bulk; the
filters, a unit's scope, and a public part that names no one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from qualitymonth.core.figures import Filters
from qualitymonth.dashboard import facts
from qualitymonth.dashboard.figures import View, compose
from qualitymonth.dashboard.models import Stale
from qualitymonth.supervision.figures import SupervisionFigures
from qualitymonth.supervision.models import (
    Case,
    Hazard,
    Inspection,
    ProductCategory,
    Publicity,
    Sample,
    SpotCheckPlan,
    TypicalCase,
)
from qualitymonth.supervision.services import inspections as inspection_services
from tests.enterprises.conftest import make_enterprise
from tests.factories import CampaignFactory, RegionFactory
from tests.supervision.conftest import make_canteen, make_elevator
from tests.supervision.hazard_helpers import make_hazard
from tests.supervision.inspection_helpers import (  # noqa: F401 (fixtures)
    DAY,
    drawn_fixture,
    fixed_day_fixture,
    inspection_fixture,
    ready_to_sign,
)

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 9, 1), dt.date(2026, 9, 30)
TODAY = dt.date(2026, 9, 20)
ZONE = timezone.get_fixed_timezone(8 * 60)


@pytest.fixture
def campaign(db):
    """September 2026, around the inspection helpers' DAY (15 September)."""
    return CampaignFactory(year=2026, starts_on=START, ends_on=END)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZONE)


def section(campaign, today=TODAY, **view):
    facts.refresh(campaign)
    return SupervisionFigures().section(View(campaign=campaign, today=today, **view))


def values(section) -> dict:
    return {f.key: f.value for f in section.figures}


def in_campaign(model, campaign, day_field: str, **filters):
    return model.objects.filter(
        **{f"{day_field}__gte": campaign.starts_on, f"{day_field}__lte": TODAY}, **filters
    )


def truth(campaign, **filters) -> dict:
    inspections = in_campaign(
        Inspection,
        campaign,
        "inspected_on",
        subject__region=campaign.region,
        status=Inspection.Status.SIGNED,
        **{f"subject__{k}" if k == "district" else k: v for k, v in filters.items()},
    )
    hazards = in_campaign(
        Hazard,
        campaign,
        "inspection__inspected_on",
        subject__region=campaign.region,
        **{f"subject__{k}" if k == "district" else k: v for k, v in filters.items()},
    )
    return {
        "inspections_done": inspections.count(),
        "inspections_with_problems": inspections.filter(result__in=["rectify", "case"]).count(),
        "hazards_found": hazards.count(),
        "hazards_rectified": hazards.filter(status=Hazard.Status.CLOSED).count(),
    }


def assert_true_to_the_rows(campaign, **filters):
    found = values(section(campaign, filters=Filters(**_ids(filters))))
    expected = truth(campaign, **filters)
    assert {key: found[key] for key in expected} == expected


def _ids(filters: dict) -> dict:
    names = {"district": "district_id", "unit": "unit_id"}
    return {names[k]: v.pk for k, v in filters.items()}


@pytest.fixture
def hazards(campaign, districts, sv_unit, sv_other_unit):
    """Hazards found in September by both units in both districts, in each state, one found in
    August, one in another city."""
    canteen = make_canteen(campaign.region, districts[0], 9001)
    elevator = make_elevator(campaign.region, districts[1], 9002)
    made = [
        make_hazard(
            sv_unit, canteen, inspected_on=dt.date(2026, 9, 3), deadline=dt.date(2026, 9, 18)
        ),
        make_hazard(
            sv_unit,
            canteen,
            inspected_on=dt.date(2026, 9, 3),
            deadline=dt.date(2026, 9, 25),
            status=Hazard.Status.ANSWERED,
        ),
        make_hazard(
            sv_other_unit, elevator, inspected_on=dt.date(2026, 9, 8), status=Hazard.Status.CLOSED
        ),
        make_hazard(
            sv_other_unit,
            elevator,
            inspected_on=dt.date(2026, 9, 10),
            deadline=dt.date(2026, 9, 30),
        ),
        # Found before the month: not the campaign's, but open now and overdue.
        make_hazard(
            sv_unit, canteen, inspected_on=dt.date(2026, 8, 20), deadline=dt.date(2026, 9, 4)
        ),
    ]
    elsewhere = RegionFactory()
    make_hazard(sv_unit, make_canteen(elsewhere, None, 9003), inspected_on=dt.date(2026, 9, 3))
    # An inspection in progress and one without problems.
    Inspection.objects.create(
        number="JTEST-FIG-1",
        subject=elevator,
        unit=sv_unit,
        inspected_on=dt.date(2026, 9, 9),
        checklist=made[0].inspection.checklist,
    )
    Inspection.objects.create(
        number="JTEST-FIG-2",
        subject=elevator,
        unit=sv_unit,
        inspected_on=dt.date(2026, 9, 9),
        checklist=made[0].inspection.checklist,
        status=Inspection.Status.SIGNED,
        result="no_problem",
    )
    return made


def test_inspections_and_hazards_are_the_rows_counted_after_creates_updates_and_deletes(
    campaign, hazards, districts
):
    found = values(section(campaign))
    assert found["inspections_done"] == 5 and found["inspections_with_problems"] == 4
    assert found["hazards_found"] == 4 and found["hazards_rectified"] == 1
    assert found["hazards_rectified_rate"] == 25.0
    assert_true_to_the_rows(campaign)

    hazards[0].status = Hazard.Status.CLOSED
    hazards[0].save()
    hazards[3].delete()
    hazards[2].delete()
    Inspection.objects.get(number="JTEST-FIG-2").delete()
    found = values(section(campaign))
    assert found["hazards_found"] == 2 and found["hazards_rectified"] == 1
    assert found["inspections_done"] == 4
    assert_true_to_the_rows(campaign)
    assert_true_to_the_rows(campaign, district=districts[0])


def test_open_and_overdue_now_are_the_hazard_lists_tabs_and_stay_out_of_last_years(
    campaign, hazards, sv_unit
):
    found = values(section(campaign))
    live = Hazard.objects.filter(subject__region=campaign.region)
    assert found["hazards_open_now"] == live.filter(status__in=["open", "answered"]).count() == 4
    assert found["hazards_overdue_now"] == live.filter(status="open", deadline__lt=TODAY).count()
    assert found["hazards_overdue_now"] == 2
    keys = {f.key for f in SupervisionFigures().figures(View(campaign=campaign, today=TODAY))}
    assert "hazards_open_now" not in keys and "hazards_overdue_now" not in keys
    own = values(section(campaign, scope=frozenset({sv_unit.pk})))
    assert (
        own["hazards_open_now"]
        == live.filter(unit=sv_unit, status__in=["open", "answered"]).count()
    )


def test_the_charts_count_per_day_kind_and_district(campaign, hazards, districts):
    charts = {c.key: c for c in section(campaign).charts}
    per_day = charts["inspections_per_day"]
    assert per_day.kind == "line" and per_day.categories[0] == "09-01"
    assert len(per_day.categories) == 20  # cut at today
    assert per_day.series[0].data[2] == 2 and sum(per_day.series[0].data) == 5
    by_kind = dict(
        zip(
            charts["inspections_by_kind"].categories,
            charts["inspections_by_kind"].series[0].data,
            strict=True,
        )
    )
    assert by_kind == {"School canteen": 2, "Elevator": 3}
    by_district = charts["hazards_by_district"]
    assert by_district.categories == [districts[0].name, districts[1].name]
    assert [s.data for s in by_district.series] == [[2, 2], [0, 1]]


def test_filters_unit_scope_and_what_the_section_cannot_apply(
    campaign, hazards, districts, sv_unit, sv_other_unit
):
    assert_true_to_the_rows(campaign, district=districts[1])
    assert_true_to_the_rows(campaign, unit=sv_other_unit)
    own = values(section(campaign, scope=frozenset({sv_unit.pk})))
    assert own["inspections_done"] == truth(campaign, unit=sv_unit)["inspections_done"] == 3
    outside = values(
        section(campaign, scope=frozenset({sv_unit.pk}), filters=Filters(unit_id=sv_other_unit.pk))
    )
    assert outside["inspections_done"] == 0 and outside["hazards_open_now"] == 0
    early = values(section(campaign, filters=Filters(date_to=dt.date(2026, 9, 5))))
    assert early["hazards_found"] == 2
    domain = campaign.domains.first()
    focus = campaign.focus_areas.first()
    ignored = section(
        campaign, filters=Filters(domain_id=domain.pk, focus_area_id=focus.pk)
    ).ignored_filters
    assert ignored == ["domain", "focus area"]


def test_the_hazards_a_signature_makes_in_bulk_reach_the_facts(campaign, inspection, inspectors):
    first, second = inspectors[0].user, inspectors[2].user
    ready_to_sign(inspection, first, not_compliant=(4, 7))
    inspection_services.inspection_sign(inspection=inspection, acting_user=first)
    facts.refresh(campaign)
    Stale.objects.all().delete()
    inspection_services.inspection_sign(inspection=inspection, acting_user=second)
    assert Stale.objects.filter(source="hazards", campaign=campaign, day=DAY).exists()
    found = values(section(campaign))
    assert found["inspections_done"] == 1 and found["hazards_found"] == 2
    assert found["hazards_found"] == Hazard.objects.count()


@pytest.fixture
def samples(campaign, districts, sv_unit, sv_other_unit):
    category = ProductCategory.objects.create(
        region=campaign.region, code="test-fig-kettle", name="测试电热水壶"
    )
    enterprise = make_enterprise(
        campaign.region, 9201, name="测试电器有限公司", district=districts[0]
    )
    plans = [
        SpotCheckPlan.objects.create(region=campaign.region, unit=unit, year=2026, title="测试抽查")
        for unit in (sv_unit, sv_other_unit)
    ]

    def sample(n, plan, outcome, result_on, **fields):
        return Sample.objects.create(
            plan=plan,
            number=f"STEST-FIG-{n}",
            enterprise=enterprise,
            category=category,
            district=districts[0],
            product="电热水壶",
            quantity="4台",
            seal_number=f"F{n}",
            sampled_on=dt.date(2026, 8, 25),
            outcome=outcome,
            result_on=result_on,
            **fields,
        )

    return [
        sample(1, plans[0], "fail", dt.date(2026, 9, 5)),
        sample(2, plans[0], "pass", dt.date(2026, 9, 6)),
        sample(3, plans[1], "fail", dt.date(2026, 9, 7), retest_outcome="pass"),
        sample(4, plans[1], "fail", dt.date(2026, 9, 8)),
        sample(5, plans[0], "pending", None),
        sample(6, plans[0], "fail", dt.date(2026, 8, 28)),  # before the month
    ]


def test_the_failure_rate_is_on_final_results_of_the_period(campaign, samples, sv_unit):
    found = values(section(campaign))
    final = [s.final_outcome for s in samples if s.result_on and s.result_on >= START]
    assert found["samples_tested"] == len(final) == 4
    assert found["samples_failed"] == final.count("fail") == 2
    assert found["spot_check_failure_rate"] == Decimal("50.0")
    own = values(section(campaign, scope=frozenset({sv_unit.pk})))
    assert (own["samples_tested"], own["samples_failed"]) == (2, 1)
    chart = {c.key: c for c in section(campaign).charts}["spot_check_failure_by_category"]
    assert chart.categories == ["测试电热水壶"] and chart.series[0].data == [50.0]


@pytest.fixture
def cases(campaign, sv_unit, sv_other_unit, districts):
    enterprise = make_enterprise(
        campaign.region, 9301, name="厦门市测试商行有限公司", district=districts[1]
    )

    def case(n, unit, decided_on, status=Case.Status.DECIDED, **fields):
        return Case.objects.create(
            region=campaign.region,
            unit=unit,
            number=f"CTEST-FIG-{n}",
            source="inspection",
            party_kind=fields.pop("party_kind", "enterprise"),
            party_name=fields.pop("party_name", enterprise.name),
            enterprise=enterprise,
            facts="经查，当事人销售不合格产品。",
            procedure="ordinary",
            decided_on=decided_on,
            status=status,
            **fields,
        )

    made = [
        case(1, sv_unit, dt.date(2026, 9, 4)),
        case(2, sv_unit, dt.date(2026, 9, 10), party_kind="person", party_name="张小三"),
        case(3, sv_other_unit, dt.date(2026, 9, 12), status=Case.Status.REVOKED),
        case(4, sv_other_unit, None, status=Case.Status.INVESTIGATING),
        case(5, sv_unit, dt.date(2026, 8, 30)),
    ]
    for c in made[:2]:
        Publicity.objects.create(
            case=c,
            text=f"{c.party_name}销售不合格产品",
            period="3y",
            due_on=dt.date(2026, 10, 9),
            status="published",
            published_at=at(c.decided_on + dt.timedelta(days=2)),
            visible_until=dt.date(2029, 9, 1),
        )
    TypicalCase.objects.create(
        case=made[0],
        campaign=campaign,
        title="销售不合格电热水壶案",
        facts="张小三的商行……",
        actions="罚款五千元并责令改正。",
        warning="经营者应严把进货关。",
        status="published",
        published_at=at(dt.date(2026, 9, 15)),
    )
    TypicalCase.objects.create(
        case=made[1],
        campaign=campaign,
        title="未公开的案例",
        facts="……",
        actions="……",
        warning="……",
        status="draft",
    )
    return made


def test_cases_penalties_and_typical_cases_published_in_the_period(
    campaign, cases, sv_unit, sv_other_unit
):
    found = values(section(campaign))
    assert found["cases_decided"] == 2  # not the revoked, the undecided nor August's
    assert found["penalties_published"] == 2
    assert found["typical_cases_published"] == 1
    other = values(section(campaign, scope=frozenset({sv_other_unit.pk})))
    assert (other["cases_decided"], other["typical_cases_published"]) == (0, 0)
    (table,) = section(campaign).tables
    assert table.rows == [["销售不合格电热水壶案", "罚款五千元并责令改正。", "2026-09-15"]]


def test_the_public_part_names_no_one(campaign, hazards, samples, cases):
    board = compose(campaign, public=True, sections=["supervision"], today=TODAY)
    (public,) = board.sections
    keys = {f.key for f in public.figures}
    assert "typical_cases_published" in keys and "hazards_open_now" not in keys
    assert [t.key for t in public.tables] == ["typical_cases"]
    text = repr(public)
    for personal in ("张小三", "有限公司", "留样冰箱", "测试第9001幼儿园", "检查员", "经查"):
        assert personal not in text


def test_the_overview_says_the_campaigns_numbers(campaign, hazards):
    facts.refresh(campaign)
    (sentence,) = SupervisionFigures().overview(View(campaign=campaign, today=TODAY))
    assert "5 inspections" in sentence and "4 hazards" in sentence
    quiet = CampaignFactory(year=2026, starts_on=START, ends_on=END)
    assert SupervisionFigures().overview(View(campaign=quiet, today=TODAY)) == []
