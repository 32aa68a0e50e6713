"""Fixtures of the supervision tests: a market-supervision unit of the campaign's city with
four inspectors, subjects of each kind, an enterprise with an approved user.

Codes made here stay outside anything real or in the demo: registration codes start with
"TEST", licence numbers with "JYTEST", USCCs use the division 999999 (see tests/enterprises)."""

import datetime as dt

import pytest
from django.test import Client

from qualitymonth.core.models import Membership, Region
from qualitymonth.enterprises.models import EnterpriseMember
from qualitymonth.supervision.models import Canteen, Elevator, Inspector, Subject, SubjectKind
from tests.enterprises.conftest import _industries, make_enterprise  # noqa: F401
from tests.factories import MembershipFactory, UnitFactory, UserFactory


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def districts(campaign):
    """The campaign's two districts (思明区, 湖里区), made by the campaign factory."""
    return list(Region.objects.filter(parent=campaign.region).order_by("code"))


@pytest.fixture
def sv_unit(campaign):
    return UnitFactory(
        region=campaign.region,
        name="厦门市市场监督管理局",
        short_name="市市场监管局",
        code="amr",
        kind="market_supervision",
    )


@pytest.fixture
def sv_other_unit(campaign):
    return UnitFactory(
        region=campaign.region,
        name="厦门市特种设备检验检测院",
        short_name="市特检院",
        code="sei",
        kind="market_supervision",
    )


def make_inspector(unit, username: str, *, kinds=None, districts=(), role="inspector") -> Inspector:
    user = UserFactory(username=username)
    MembershipFactory(unit=unit, role=role, user=user)
    inspector = Inspector.objects.create(
        user=user,
        unit=unit,
        name=f"检查员{username}",
        certificate_number=f"ZF-TEST-{username}",
        kinds=list(kinds or SubjectKind.values),
    )
    inspector.districts.set(districts)
    return inspector


@pytest.fixture
def inspectors(sv_unit, sv_other_unit, districts):
    """Four inspectors: two of each unit, all kinds, both districts."""
    return [
        make_inspector(sv_unit, "insp-a", districts=districts),
        make_inspector(sv_unit, "insp-b", districts=districts),
        make_inspector(sv_other_unit, "insp-c", districts=districts),
        make_inspector(sv_other_unit, "insp-d", districts=districts),
    ]


@pytest.fixture
def sv_manager(sv_unit):
    user = UserFactory(username="sv-manager")
    MembershipFactory(unit=sv_unit, role=Membership.Role.UNIT_MANAGER, user=user)
    return user


@pytest.fixture
def sv_enterprise(campaign, districts):
    return make_enterprise(
        campaign.region, 801, name="厦门市测试餐饮管理有限公司", district=districts[0]
    )


@pytest.fixture
def enterprise_user(sv_enterprise):
    user = UserFactory(username="ent-user")
    EnterpriseMember.objects.create(enterprise=sv_enterprise, user=user)
    return user


def make_canteen(
    region, district, n: int, *, kind="kindergarten", enterprise=None, **fields
) -> Subject:
    subject = Subject.objects.create(
        region=region,
        district=district,
        kind=SubjectKind.CANTEEN,
        name=f"测试第{n}幼儿园食堂",
        address=f"测试路{n}号",
        enterprise=enterprise,
        risk_grade=fields.pop("risk_grade", "B"),
        **fields,
    )
    Canteen.objects.create(
        subject=subject,
        school=f"测试第{n}幼儿园",
        school_kind=kind,
        canteen="食堂",
        licence_number=f"JYTEST{n:08d}",
    )
    return subject


def make_elevator(region, district, n: int, **fields) -> Subject:
    subject = Subject.objects.create(
        region=region,
        district=district,
        kind=SubjectKind.ELEVATOR,
        name=f"测试大厦{n}号电梯",
        address=f"测试路{n}号",
        **fields,
    )
    Elevator.objects.create(
        subject=subject,
        registration_code=f"TEST{n:016d}",
        building=f"测试大厦{n}",
        user_unit="测试物业公司",
        maintenance_company="测试电梯维保公司",
        last_maintained_on=dt.date(2026, 9, 1),
        certificate_number=f"TJ-TEST-{n}",
        certificate_expires_on=dt.date(2027, 6, 30),
    )
    return subject


@pytest.fixture
def canteen(campaign, districts, sv_enterprise):
    return make_canteen(campaign.region, districts[0], 1, enterprise=sv_enterprise)


@pytest.fixture
def elevator(campaign, districts):
    return make_elevator(campaign.region, districts[1], 1)
