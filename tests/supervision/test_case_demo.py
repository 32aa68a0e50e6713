"""The demo's cases load through the services, once, with every publicity state."""

import pytest

from qualitymonth.core.models import Membership
from qualitymonth.supervision.case_selectors import public_typical
from qualitymonth.supervision.demo import cases as demo
from qualitymonth.supervision.models import Case, Publicity, TypicalCase
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twelve_cases_once_with_every_state(campaign):
    for domain in ("engineering",):
        campaign.domains.create(code=domain, name="工程", order=9)
    unit = UnitFactory(
        region=campaign.region, code="amr", kind="market_supervision", name="厦门市市场监督管理局"
    )
    for username, role in (("amr-staff", "unit_staff"), ("amr-manager", "unit_manager")):
        MembershipFactory(unit=unit, role=role, user=UserFactory(username=username))
    demo.load(campaign)
    demo.load(campaign)
    assert Case.objects.count() == 12
    states = set(Publicity.objects.values_list("status", flat=True))
    assert {"due", "published", "removed_early", "expired"} <= states
    assert Publicity.objects.filter(withdraw_due__isnull=False).exists()
    assert public_typical(campaign=campaign).count() == 5
    assert TypicalCase.objects.filter(status="withdrawn").count() == 1
    assert all("示例" in c.party_name for c in Case.objects.all())
    assert Membership.objects.count() >= 2
