"""Helpers of the spot-check tests: two product categories of the campaign's city, a plan of the
supervision unit, samples at fixed dates and a clock the services read (`clock.day`).

Test modules import the fixtures they use (`from tests.supervision.spotcheck_helpers import *`
names them); `clock` is autouse there, so no test depends on today's date."""

import datetime as dt

import pytest

from qualitymonth.core.models import Membership
from qualitymonth.enterprises.models import EnterpriseMember
from qualitymonth.supervision import spotcheck_selectors as selectors
from qualitymonth.supervision.models import ProductCategory, Sample
from qualitymonth.supervision.services import spotchecks as services
from tests.enterprises.conftest import make_enterprise
from tests.factories import MembershipFactory, UserFactory

SAMPLED = dt.date(2026, 9, 1)
RESULT = dt.date(2026, 9, 15)
RECEIVED = dt.date(2026, 9, 20)  # the window's last day is 2026-10-05, in the next month
START = dt.date(2026, 9, 16)


class Clock:
    def __init__(self, day: dt.date):
        self.day = day


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Today, as the spot-check services and selectors see it; tests move it."""
    now = Clock(START)
    monkeypatch.setattr(selectors, "_today", lambda: now.day)
    return now


@pytest.fixture
def categories(campaign):
    return [
        ProductCategory.objects.create(
            region=campaign.region,
            code="children-clothing",
            name="儿童服装",
            name_en="Children's clothing",
            standard="GB 31701-2015",
        ),
        ProductCategory.objects.create(
            region=campaign.region, code="kettle", name="电热水壶", name_en="Electric kettles"
        ),
    ]


@pytest.fixture
def sv_staff(sv_unit):
    user = UserFactory(username="sv-staff", email="sv-staff@example.invalid")
    MembershipFactory(unit=sv_unit, role=Membership.Role.UNIT_STAFF, user=user)
    return user


@pytest.fixture
def other_unit_staff(sv_other_unit):
    user = UserFactory(username="sv-other-staff")
    MembershipFactory(unit=sv_other_unit, role=Membership.Role.UNIT_STAFF, user=user)
    return user


@pytest.fixture
def plan(sv_unit, sv_staff, categories, campaign):
    return services.spot_check_plan_create(
        unit=sv_unit,
        year=2026,
        title="2026年质量月产品质量监督抽查",
        categories=categories,
        laboratory="测试质检院",
        campaign=campaign,
        acting_user=sv_staff,
    )


def add_sample(plan, enterprise, category, user, n: int = 1, **fields) -> Sample:
    data = {
        "product": f"测试产品{n}",
        "brand": "测试牌",
        "model_spec": "M-1",
        "batch": f"2026080{n % 10}",
        "quantity": "6件",
        "seal_number": f"FT-{n:04d}",
        "sampled_on": SAMPLED,
    }
    data.update(fields)
    return services.sample_add(
        plan=plan, enterprise=enterprise, category=category, acting_user=user, **data
    )


@pytest.fixture
def ent_member(sv_enterprise):
    """An approved user of the sampled enterprise, with an address to be told at."""
    user = UserFactory(username="sv-ent-member", email="member@example.invalid")
    EnterpriseMember.objects.create(enterprise=sv_enterprise, user=user)
    return user


@pytest.fixture
def sample(plan, sv_enterprise, categories, sv_staff):
    return add_sample(plan, sv_enterprise, categories[0], sv_staff)


def record_fail(sample, user, *, on=RESULT, items="标签标识、耐燃性能") -> Sample:
    return services.sample_result_record(
        sample=sample,
        outcome="fail",
        failed_items=items,
        result_on=on,
        rectify_by=on + dt.timedelta(days=30),
        acting_user=user,
    )


def record_pass(sample, user, *, on=RESULT) -> Sample:
    return services.sample_result_record(
        sample=sample, outcome="pass", result_on=on, acting_user=user
    )


@pytest.fixture
def failed(sample, sv_staff, clock):
    """The sample failed and its result was received on RECEIVED."""
    record_fail(sample, sv_staff)
    clock.day = RECEIVED
    return services.sample_received_record(
        sample=sample, received_on=RECEIVED, acting_user=sv_staff
    )


def other_enterprise(campaign, districts, n: int = 851, **fields):
    return make_enterprise(
        campaign.region, n, name=f"厦门市测试电器{n}有限公司", district=districts[1], **fields
    )
