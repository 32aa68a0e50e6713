"""The enterprise services' figures on the command dashboard: each one against a count from the
raw needs, after creates, updates and deletes; the filters, a unit's scope, last year's campaign
beside this one, and a public part without personal data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from qualitymonth.core.figures import Filters
from qualitymonth.core.models import Region, Unit
from qualitymonth.dashboard import facts
from qualitymonth.dashboard.figures import View, compose
from qualitymonth.enterprises.figures import EnterpriseFigures
from qualitymonth.enterprises.models import (
    ChiefQualityOfficer,
    Need,
    Programme,
    Provider,
    ServiceType,
    Training,
    Visit,
)
from tests.enterprises.conftest import make_enterprise
from tests.factories import ActivityFactory, CampaignFactory, RegionFactory, UnitFactory

pytestmark = pytest.mark.django_db
S = Need.Status
START, END = dt.date(2031, 9, 1), dt.date(2031, 9, 30)
ZONE = timezone.get_fixed_timezone(8 * 60)  # Asia/Shanghai, the site's zone


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZONE)


class Clock:
    def __init__(self):
        self.moment = at(START)


@pytest.fixture
def clock(monkeypatch):
    """The moment `auto_now_add` and the services read."""
    now = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: now.moment)
    return now


@pytest.fixture
def campaign(db):
    return CampaignFactory(year=2031, starts_on=START, ends_on=END)


@pytest.fixture
def districts(campaign):
    return list(Region.objects.filter(parent=campaign.region).order_by("code"))


@pytest.fixture
def calibration(db):
    return ServiceType.objects.create(
        code="test-fig-calibration",
        category=ServiceType.Category.METROLOGY,
        name="测试校准",
        is_charged=True,
        response_workdays=5,
        completion_workdays=10,
    )


@pytest.fixture
def lookup(db):
    return ServiceType.objects.create(
        code="test-fig-lookup",
        category=ServiceType.Category.STANDARDS,
        name="测试标准查询",
        response_workdays=3,
        completion_workdays=5,
    )


def institution(region, code: str) -> Provider:
    unit = UnitFactory(region=region, code=code, name=f"测试{code}院", kind=Unit.Kind.NQI)
    return Provider.objects.create(
        region=region, kind=Provider.Kind.INSTITUTION, name=f"测试{code}院", unit=unit
    )


@pytest.fixture
def institute(campaign):
    return institution(campaign.region, "fig-metrology")


@pytest.fixture
def other_institute(campaign):
    return institution(campaign.region, "fig-testing")


@pytest.fixture
def enterprises(campaign, districts):
    return [
        make_enterprise(
            campaign.region,
            9101,
            name="厦门市测试精密机械有限公司",
            district=districts[0],
            contact_name="李小明",
            contact_mobile="13900001111",
        ),
        make_enterprise(
            campaign.region, 9102, name="厦门市测试食品有限公司", district=districts[1]
        ),
    ]


_numbers = iter(range(1, 10_000))


def make_need(enterprise, service_type, clock, *, day=START, hour=10, provider=None, **fields):
    """A need received at `day` `hour` local time (saved: the dashboard's signals see it)."""
    clock.moment = at(day, hour)
    values = {"respond_by": day + dt.timedelta(days=5), "status": S.SUBMITTED}
    values.update(fields)
    return Need.objects.create(
        number=f"NTEST{next(_numbers):06d}",
        region=enterprise.region,
        enterprise=enterprise,
        service_type=service_type,
        description="需要校准压力表",
        provider=provider,
        **values,
    )


def close(need, *, on: dt.date, rating=None, standard=None, charged=None):
    need.status = S.CLOSED
    need.complete_by = need.complete_by or need.submitted_at.date() + dt.timedelta(days=14)
    need.closed_at = at(on, 16)
    need.rating = rating
    need.fee_standard, need.fee_charged = standard, charged
    need.save()
    return need


@pytest.fixture
def needs(campaign, enterprises, calibration, lookup, institute, other_institute, clock):
    """Six needs of the campaign's city in September, one on 31 August late at night, one of
    another city, each in its own state."""
    first, second = enterprises
    in_time = make_need(first, calibration, clock, provider=institute, day=dt.date(2031, 9, 2))
    close(in_time, on=dt.date(2031, 9, 10), rating=5, standard="800.00", charged="300.00")
    late = make_need(second, calibration, clock, provider=institute, day=dt.date(2031, 9, 3))
    close(late, on=dt.date(2031, 9, 25), rating=3, standard="500", charged="500")
    make_need(
        first,
        lookup,
        clock,
        provider=other_institute,
        day=dt.date(2031, 9, 3),
        status=S.IN_SERVICE,
        complete_by=dt.date(2031, 9, 20),
    )
    make_need(second, lookup, clock, day=dt.date(2031, 9, 5), status=S.DECLINED)
    # 00:30 on 1 September in Xiamen is still 31 August in UTC: it is a September need.
    make_need(first, lookup, clock, day=START, hour=0)
    make_need(first, calibration, clock, day=dt.date(2031, 9, 12))
    make_need(first, calibration, clock, day=dt.date(2031, 8, 31), hour=23)  # before the month
    elsewhere = RegionFactory()
    make_need(
        make_enterprise(elsewhere, 9103, name="外地测试有限公司"),
        calibration,
        clock,
        day=dt.date(2031, 9, 2),
    )
    clock.moment = at(END, 20)


def in_campaign(campaign, **filters):
    start = at(campaign.starts_on, 0)
    end = at(campaign.ends_on + dt.timedelta(days=1), 0)
    return Need.objects.filter(
        region=campaign.region, submitted_at__gte=start, submitted_at__lt=end, **filters
    )


def truth(campaign, **filters) -> dict:
    """The figures counted straight from the needs."""
    rows = in_campaign(campaign, **filters)
    closed = rows.filter(status=S.CLOSED, complete_by__isnull=False)
    on_time = [n for n in closed if n.closed_at.astimezone(ZONE).date() <= n.complete_by]
    rated = rows.filter(status=S.CLOSED, rating__isnull=False)
    saved = sum(
        (max(n.fee_standard - n.fee_charged, 0) for n in rows if n.fee_standard is not None),
        Decimal(0),
    )
    return {
        "needs_received": rows.count(),
        "needs_closed": rows.filter(status=S.CLOSED).count(),
        "needs_on_time_rate": round(100 * len(on_time) / closed.count(), 1)
        if closed.count()
        else None,
        "needs_rating": round(rated.aggregate(s=Sum("rating"))["s"] / rated.count(), 1)
        if rated.count()
        else None,
        "money_saved": Decimal(saved).quantize(Decimal("0.01")),
    }


def section(campaign, **view):
    facts.refresh(campaign)
    view.setdefault("today", campaign.ends_on)
    return EnterpriseFigures().section(View(campaign=campaign, **view))


def values(section) -> dict:
    return {f.key: f.value for f in section.figures}


def assert_true_to_the_needs(campaign, **filters):
    found = values(section(campaign))
    expected = truth(campaign, **filters)
    assert {key: found[key] for key in expected} == expected


def test_the_figures_are_the_needs_counted_after_creates_updates_and_deletes(
    campaign, needs, clock, calibration, enterprises
):
    found = values(section(campaign))
    assert found["needs_received"] == 6  # not the August one, not the other city's
    assert found["needs_on_time_rate"] == 50.0
    assert found["needs_rating"] == 4.0
    assert found["money_saved"] == Decimal("500.00")
    assert_true_to_the_needs(campaign)

    # Closed late becomes closed on time (its limit moved); a new need; one deleted.
    late = in_campaign(campaign, rating=3).get()
    late.complete_by = dt.date(2031, 9, 30)
    late.fee_charged = Decimal("100")
    late.save()
    make_need(enterprises[1], calibration, clock, day=dt.date(2031, 9, 20))
    in_campaign(campaign, status=S.DECLINED).get().delete()
    clock.moment = at(END, 20)
    found = values(section(campaign))
    assert found["needs_received"] == 6 and found["needs_on_time_rate"] == 100.0
    assert found["money_saved"] == Decimal("900.00")
    assert_true_to_the_needs(campaign)


def as_dict(chart) -> dict:
    return dict(zip(chart.categories, chart.series[0].data, strict=True))


def test_the_charts_count_per_day_service_and_district(campaign, needs, districts, calibration):
    charts = {c.key: c for c in section(campaign).charts}
    per_day = charts["needs_per_day"]
    assert len(per_day.categories) == 30 and per_day.categories[0] == "09-01"
    assert sum(per_day.series[0].data) == 6
    assert per_day.series[0].data[2] == 2  # 3 September
    by_service = as_dict(charts["needs_by_service"])
    assert by_service == {"测试校准": 3, "测试标准查询": 3}
    by_district = as_dict(charts["needs_by_district"])
    assert by_district == {
        districts[0].name: in_campaign(campaign, enterprise__district=districts[0]).count(),
        districts[1].name: in_campaign(campaign, enterprise__district=districts[1]).count(),
    }
    assert all(c.public for c in charts.values())


def test_filters_narrow_by_district_unit_and_dates_and_say_what_they_ignore(
    campaign, needs, districts, institute, campaign_domain
):
    by_district = values(section(campaign, filters=Filters(district_id=districts[1].pk)))
    assert (
        by_district["needs_received"]
        == in_campaign(campaign, enterprise__district=districts[1]).count()
    )
    by_unit = values(section(campaign, filters=Filters(unit_id=institute.unit_id)))
    assert by_unit["needs_received"] == in_campaign(campaign, provider=institute).count() == 2
    early = values(section(campaign, filters=Filters(date_to=dt.date(2031, 9, 2))))
    assert early["needs_received"] == 2
    ignored = section(campaign, filters=Filters(domain_id=campaign_domain.pk)).ignored_filters
    assert ignored == ["domain"]
    # An unknown district is no error: nothing is in it.
    assert values(section(campaign, filters=Filters(district_id=10**12)))["needs_received"] == 0


@pytest.fixture
def campaign_domain(campaign):
    return campaign.domains.first()


def test_a_unit_sees_only_the_needs_it_served(campaign, needs, institute, other_institute):
    own = values(section(campaign, scope=frozenset({institute.unit_id})))
    assert own["needs_received"] == 2 and own["needs_on_time_rate"] == 50.0
    other = values(section(campaign, scope=frozenset({other_institute.unit_id})))
    assert other["needs_received"] == 1 and other["money_saved"] == Decimal("0.00")
    # A unit filter outside the scope shows nothing rather than someone else's needs.
    outside = values(
        section(
            campaign,
            scope=frozenset({other_institute.unit_id}),
            filters=Filters(unit_id=institute.unit_id),
        )
    )
    assert outside["needs_received"] == 0


def test_the_scoreboard_column_is_each_units_closed_on_time_share(
    campaign, needs, institute, other_institute
):
    facts.refresh(campaign)
    view = View(campaign=campaign, today=END)
    (column,) = EnterpriseFigures().scoreboard(view)
    assert column.key == "needs_on_time" and column.default is False
    assert column.values == {institute.unit_id: 50.0}


def test_programme_reach_and_certified_cqos_come_from_their_own_tables(
    campaign, enterprises, calibration, clock
):
    activity = ActivityFactory(campaign=campaign)
    programme = Programme.objects.create(
        activity=activity, region=campaign.region, service_type=calibration, goal_enterprises=5
    )
    programme.targets.create(enterprise=enterprises[0])
    need = make_need(
        enterprises[0], calibration, clock, day=dt.date(2031, 9, 4), programme=programme
    )
    Visit.objects.create(
        need=need, visited_on=dt.date(2031, 9, 6), notes="上门", problems_found=3, problems_solved=2
    )
    training = Training.objects.create(
        activity=ActivityFactory(campaign=campaign), kind=Training.Kind.CQO
    )
    ChiefQualityOfficer.objects.create(
        enterprise=enterprises[0],
        name="张某",
        mobile="13900002222",
        position="总经理",
        appointed_on=dt.date(2031, 1, 1),
        certified_at=at(dt.date(2031, 9, 8)),
        certified_by_training=training,
        certificate_number="CQOTEST0001",
    )
    clock.moment = at(END, 20)
    found = values(section(campaign))
    assert found["programme_enterprises_reached"] == 1
    assert found["programme_problems_solved"] == 2
    assert found["cqos_certified"] == 1
    # Narrowed to another organiser, neither counts.
    other = values(section(campaign, scope=frozenset({campaign.lead_unit_id})))
    assert other["programme_problems_solved"] == 0 and other["cqos_certified"] == 0


def test_last_years_campaign_gives_the_previous_figures_and_the_public_part_names_no_one(
    campaign, needs, enterprises, calibration, clock
):
    last_year = CampaignFactory(
        year=2030,
        region=campaign.region,
        lead_unit=campaign.lead_unit,
        starts_on=dt.date(2030, 9, 1),
        ends_on=dt.date(2030, 9, 30),
    )
    make_need(enterprises[1], calibration, clock, day=dt.date(2030, 9, 2))
    clock.moment = at(END, 20)
    board = compose(campaign, public=True, sections=["enterprises"], today=END)
    (public,) = board.sections
    assert board.previous_campaign == last_year
    figures = {f.key: f for f in public.figures}
    assert figures["needs_received"].value == 6 and figures["needs_received"].previous == 1
    assert "needs_closed" not in figures  # office only
    text = repr(public)
    for personal in ("李小明", "13900001111", "有限公司", "需要校准"):
        assert personal not in text


def test_the_overview_is_a_sentence_with_the_campaigns_numbers(campaign, needs):
    facts.refresh(campaign)
    (sentence,) = EnterpriseFigures().overview(View(campaign=campaign, today=END))
    assert "6" in sentence and "50%" in sentence and "500" in sentence
    empty = CampaignFactory(year=2031, starts_on=START, ends_on=END)
    assert EnterpriseFigures().overview(View(campaign=empty, today=END)) == []


def test_needs_of_a_province_campaign_count_its_cities(campaign, needs):
    province = Region.objects.create(code="990000", name="测试省", level="province")
    Region.objects.filter(pk=campaign.region_id).update(parent=province)
    provincial = CampaignFactory(year=2031, region=province, starts_on=START, ends_on=END)
    facts.rebuild_all(provincial, sources=["needs"])
    found = values(section(provincial))
    assert found["needs_received"] == in_campaign(campaign).count() == 6
