"""Fixtures of the enterprise registry's tests.

Codes are made here, valid by construction and outside anything real or in the demo: the
registration authority 9, type 1 and the division 999999, which GB/T 2260 does not use."""

import pytest
from django.test import Client

from qualitymonth.core.models import Membership
from qualitymonth.core.validators import uscc_check_character
from qualitymonth.enterprises.models import Enterprise, Industry
from tests.factories import CampaignFactory, MembershipFactory, UserFactory

TEST_PREFIX = "91999999"


def make_uscc(n: int) -> str:
    """The n-th test code, with its right check character."""
    body = f"{TEST_PREFIX}{n:09d}"
    return body + uscc_check_character(body)


def wrong_check(code: str) -> str:
    """The same code with a check character that fails."""
    return code[:17] + ("1" if code[17] != "1" else "2")


def make_enterprise(region, n: int, **fields) -> Enterprise:
    data = {
        "name": f"测试企业{n}有限公司",
        "legal_representative": "王某",
        "registered_address": "测试路1号",
    }
    data.update(fields)
    return Enterprise.objects.create(region=region, uscc=make_uscc(n), **data)


@pytest.fixture(autouse=True)
def _industries(db):
    """The industries come from a data migration, and a transactional test elsewhere in the same
    worker empties every table after itself: load them again (idempotent) when they are gone."""
    if not Industry.objects.exists():
        from qualitymonth.enterprises.reference import load_industries

        load_industries()


@pytest.fixture
def industry_c13(db):
    return Industry.objects.get(code="13")  # 农副食品加工业, in section C (the migration's data)


@pytest.fixture
def enterprise(campaign):
    return make_enterprise(
        campaign.region,
        1,
        name="厦门市湖里区鹭岛精密机械有限公司",
        contact_name="李小明",
        contact_mobile="13900001111",
    )


@pytest.fixture
def other_office_client(db):
    """The campaign office of another city."""
    other = CampaignFactory(slug="elsewhere")
    user = MembershipFactory(
        unit=other.lead_unit,
        role=Membership.Role.CAMPAIGN_OFFICE,
        user=UserFactory(username="other-office"),
    ).user
    client = Client()
    client.force_login(user)
    client.user = user
    return client
