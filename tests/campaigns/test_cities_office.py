"""Several cities on one deployment: each city's office opens on its own campaign, and the public
API answers for the city the request is for."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from qualitymonth.campaigns import selectors
from qualitymonth.campaigns.models import Activity
from qualitymonth.core.models import Membership
from tests.factories import (
    CITY_B,
    ActivityFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _member(campaign, role, username):
    unit = (
        campaign.lead_unit
        if role == Membership.Role.CAMPAIGN_OFFICE
        else UnitFactory(region=campaign.region)
    )
    return MembershipFactory(unit=unit, role=role, user=UserFactory(username=username)).user


def _plan(campaign, organiser, **overrides):
    start = timezone.localtime() + dt.timedelta(days=4)
    data = {
        "title": "乙市计量开放日",
        "summary": "走进计量实验室",
        "organiser": organiser.pk,
        "focus_area": campaign.focus_areas.first().pk,
        "domains": [campaign.domains.first().pk],
        "kind": "offline",
        "activity_type": "open_day",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "district": campaign.region.children.get().pk,
        "venue": "乙测试区计量所",
        "capacity": "40",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", [Membership.Role.CAMPAIGN_OFFICE, Membership.Role.UNIT_STAFF])
def test_a_second_citys_office_opens_on_its_own_campaign(client, city_a, city_b, role):
    client.force_login(_member(city_b, role, "b-person"))
    assert selectors.current_campaign() == city_a  # the site-wide one is the other city's
    response = client.get(reverse("office:home"))
    assert response.status_code == 200
    assert response.context["campaign"] == city_b
    assert client.get(reverse("office:activity_new")).context["campaign"] == city_b


def test_a_second_citys_plan_is_filed_under_its_own_campaign(client, city_a, city_b):
    staff = _member(city_b, Membership.Role.UNIT_STAFF, "b-staff")
    client.force_login(staff)
    unit = Membership.objects.get(user=staff).unit
    response = client.post(reverse("office:activity_new"), _plan(city_b, unit))
    assert response.status_code == 302, response.context["form"].errors
    assert Activity.objects.get().campaign == city_b


def test_a_second_citys_staff_cannot_file_for_the_first_citys_unit(client, city_a, city_b):
    client.force_login(_member(city_b, Membership.Role.UNIT_STAFF, "b-staff"))
    response = client.post(reverse("office:activity_new"), _plan(city_b, city_a.lead_unit))
    assert response.status_code == 400 and "organiser" in response.context["form"].errors
    assert not Activity.objects.exists()


@pytest.mark.parametrize("slug", ["<script>", "x" * 81, "no-such-campaign"])
def test_a_bad_campaign_parameter_does_not_reach_another_city(client, city_a, city_b, slug):
    client.force_login(_member(city_b, Membership.Role.CAMPAIGN_OFFICE, "b-office"))
    ActivityFactory(campaign=city_a, title="甲市活动")
    response = client.get(reverse("office:home"), {"campaign": slug})
    assert response.status_code == 200
    assert "甲市活动" not in response.content.decode()
    if slug != "no-such-campaign":  # not a slug: the user's own campaign
        assert response.context["campaign"] == city_b


# --- the public API ---------------------------------------------------------------------------
def test_the_api_calendar_follows_the_chosen_city(client, city_a, city_b):
    ActivityFactory(campaign=city_a, title="甲市活动")
    ActivityFactory(campaign=city_b, title="乙市活动")
    client.cookies[selectors.CITY_COOKIE] = CITY_B
    items = client.get("/api/activities").json()["items"]
    assert [item["title"] for item in items] == ["乙市活动"]
    # A campaign named in the query still wins over the chosen city.
    named = client.get("/api/activities", {"campaign": city_a.slug}).json()["items"]
    assert [item["title"] for item in named] == ["甲市活动"]


def test_the_api_calendar_follows_a_mapped_host(client, settings, city_a, city_b):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "b.example.org"]
    settings.QM_CITY_HOSTS = {"b.example.org": CITY_B}
    ActivityFactory(campaign=city_a, title="甲市活动")
    ActivityFactory(campaign=city_b, title="乙市活动")
    items = client.get("/api/activities", HTTP_HOST="b.example.org").json()["items"]
    assert [item["title"] for item in items] == ["乙市活动"]


@pytest.mark.parametrize("cookie", ["990900", "<script>"])
def test_the_api_calendar_ignores_an_unknown_or_forged_city(client, city_a, city_b, cookie):
    ActivityFactory(campaign=city_a, title="甲市活动")
    ActivityFactory(campaign=city_b, title="乙市活动")
    client.cookies[selectors.CITY_COOKIE] = cookie
    response = client.get("/api/activities")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["甲市活动"]  # site-wide
    assert client.get("/api/activities", {"campaign": "no-such"}).status_code == 404
