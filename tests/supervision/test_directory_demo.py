"""The directories' demo loads in Xiamen's six districts, once, with invented codes."""

import pytest

from qualitymonth.core.models import Membership, Region
from qualitymonth.supervision.demo import directories as demo
from qualitymonth.supervision.models import (
    CheckItem,
    ConflictLink,
    Elevator,
    Inspector,
    ProductCategory,
    Subject,
)
from tests.factories import CampaignFactory, MembershipFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

XIAMEN = {
    "350203": "思明区",
    "350205": "海沧区",
    "350206": "湖里区",
    "350211": "集美区",
    "350212": "同安区",
    "350213": "翔安区",
}


@pytest.fixture
def xiamen():
    city = RegionFactory(code="350200", name="厦门市", level=Region.Level.CITY)
    for code, name in XIAMEN.items():
        RegionFactory(code=code, name=name, level=Region.Level.DISTRICT, parent=city)
    campaign = CampaignFactory(region=city)
    MembershipFactory(
        unit=campaign.lead_unit,
        role=Membership.Role.CAMPAIGN_OFFICE,
        user=UserFactory(username="demo-office"),
    )
    return campaign


def test_demo_loads_the_directories_once(xiamen):
    demo.load(xiamen)
    city = xiamen.region
    assert Subject.objects.filter(region=city, kind="canteen").count() == 62
    assert Elevator.objects.count() == 300
    assert not Elevator.objects.exclude(registration_code__startswith="DEMO").exists()
    assert Subject.objects.filter(district__isnull=True).count() == 0
    assert Inspector.objects.count() == 12 and ConflictLink.objects.count() == 4
    assert CheckItem.objects.filter(region=city).count() == 4
    assert ProductCategory.objects.filter(region=city).count() == 8
    assert Inspector.objects.values("unit").distinct().count() == 6
    demo.load(xiamen)
    assert Subject.objects.count() == 362 and Inspector.objects.count() == 12
