import pytest
from django.test import Client

from qualitymonth.core.models import Membership
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
)


@pytest.fixture(autouse=True, scope="session")
def _own_media_folders_removed_after_the_run():
    """Each test process writes uploads to folders of its own (test_settings.py): gone after."""
    import shutil

    from django.conf import settings

    yield
    private = settings.STORAGES["private"].get("OPTIONS", {}).get("location")
    for folder in (settings.MEDIA_ROOT, private):
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Services called directly speak English in tests, so assertions can quote messages;
    requests still get the site's default language (Chinese) from the middleware."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from qualitymonth.contest.services import voting
    from qualitymonth.core import redis as fast_redis
    from qualitymonth.quiz.api import reset_local_caches

    fast_redis.reset()
    cache.clear()
    reset_local_caches()
    voting.reset_local_caches()
    client = fast_redis.client()
    if client is not None:  # the vote counters live beside the cache, not in it
        names = list(client.scan_iter(fast_redis.key("vote:*"), count=1000))
        if names:
            client.delete(*names)
    yield


@pytest.fixture
def campaign(db):
    return CampaignFactory()


@pytest.fixture
def unit(campaign):
    return UnitFactory(
        region=campaign.region, name="厦门市建设局", short_name="市建设局", code="construction"
    )


@pytest.fixture
def other_unit(campaign):
    return UnitFactory(
        region=campaign.region, name="厦门市卫生健康委员会", short_name="市卫健委", code="health"
    )


@pytest.fixture
def activity(campaign, unit):
    return ActivityFactory(campaign=campaign, organiser=unit)


def _member(unit, role, username):
    return MembershipFactory(unit=unit, role=role, user=UserFactory(username=username)).user


@pytest.fixture
def staff_user(unit):
    return _member(unit, Membership.Role.UNIT_STAFF, "staff")


@pytest.fixture
def manager_user(unit):
    return _member(unit, Membership.Role.UNIT_MANAGER, "manager")


@pytest.fixture
def other_staff_user(other_unit):
    return _member(other_unit, Membership.Role.UNIT_STAFF, "other-staff")


@pytest.fixture
def office_user(campaign):
    return _member(campaign.lead_unit, Membership.Role.CAMPAIGN_OFFICE, "office")


@pytest.fixture
def citizen_user(db):
    return UserFactory(username="citizen")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff_user):
    return _client(staff_user)


@pytest.fixture
def manager_client(manager_user):
    return _client(manager_user)


@pytest.fixture
def other_staff_client(other_staff_user):
    return _client(other_staff_user)


@pytest.fixture
def office_client(office_user):
    return _client(office_user)


@pytest.fixture
def citizen_client(citizen_user):
    return _client(citizen_user)


@pytest.fixture
def city_a(db):
    """A campaign in a first city (tests of several cities on one deployment)."""
    from tests.factories import CITY_A, RegionFactory

    region = RegionFactory(code=CITY_A, name="甲测试市", name_en="Testcity A")
    return CampaignFactory(region=region, slug="city-a-2022", theme="甲市质量月主题")


@pytest.fixture
def city_b(city_a):
    """A second city's campaign beside city_a's, with a district of its own (990201)."""
    from tests.factories import CITY_B, RegionFactory

    region = RegionFactory(code=CITY_B, name="乙测试市", name_en="Testcity B")
    RegionFactory(code="990201", name="乙测试区", level="district", parent=region)
    return CampaignFactory(region=region, slug="city-b-2022", theme="乙市质量月主题")
