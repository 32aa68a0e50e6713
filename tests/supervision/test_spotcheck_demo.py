# ruff: noqa: F811 (the fixtures imported from spotcheck_helpers are test parameters)
"""The spot-check demo: one published plan of 40 samples with four failures and a re-test,
loaded once; nothing without product categories."""

import datetime as dt

import pytest

from qualitymonth.enterprises.models import Industry
from qualitymonth.supervision.demo import spotchecks as demo
from qualitymonth.supervision.models import ProductCategory, Sample, SpotCheckPlan
from tests.enterprises.conftest import make_enterprise
from tests.factories import MembershipFactory, UserFactory
from tests.supervision.spotcheck_helpers import clock  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city(campaign, sv_unit, districts):
    for username, role in (("amr-staff", "unit_staff"), ("amr-manager", "unit_manager")):
        MembershipFactory(unit=sv_unit, role=role, user=UserFactory(username=username))
    for n, row in enumerate(demo.read_plan()["categories"]):
        ProductCategory.objects.create(region=campaign.region, code=f"demo-{n}", name=row["name"])
    for n, code in enumerate(["18", "52", "38", "24", "29", "33", "21", "52"]):
        make_enterprise(
            campaign.region,
            870 + n,
            name=f"（示例）测试{code}企业{n}有限公司",
            district=districts[n % 2],
            industry=Industry.objects.get(code=code),
        )
    return campaign


def test_the_demo_publishes_one_plan_of_forty_samples_once(demo_city, clock):
    clock.day = dt.date(2026, 12, 6)
    demo.load(demo_city)
    plan = SpotCheckPlan.objects.get()
    assert plan.title == "（示例）2026年质量月产品质量监督抽查"
    assert plan.status == SpotCheckPlan.Status.PUBLISHED
    samples = Sample.objects.filter(plan=plan)
    assert samples.count() == 40
    assert sum(s.final_outcome == "fail" for s in samples) == 4
    retested = samples.exclude(retest_requested_on=None).get()
    assert retested.retest_outcome == "fail" and retested.retest_on
    assert samples.exclude(recheck_outcome="").count() == 2
    assert max(s.sampled_on for s in samples) <= dt.date(2026, 9, 11)
    assert plan.title in plan.notice and "40" in plan.notice  # Chinese once compiled
    demo.load(demo_city)
    assert Sample.objects.count() == 40 and SpotCheckPlan.objects.count() == 1


def test_the_demo_loads_earlier_in_the_year_on_past_dates(demo_city, clock):
    clock.day = dt.date(2026, 7, 1)
    demo.load(demo_city)
    assert all(s.sampled_on < dt.date(2026, 7, 1) for s in Sample.objects.all())


def test_without_categories_the_demo_quietly_does_nothing(campaign, sv_unit):
    demo.load(campaign)
    assert not SpotCheckPlan.objects.exists()
