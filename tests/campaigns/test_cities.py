"""Several cities on one deployment: each city's campaign by choice (a cookie) or by address
(a host name), and each city's office sees only its own."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from qualitymonth.campaigns import selectors
from qualitymonth.core.models import Membership
from tests.factories import (
    CITY_A,
    CITY_B,
    ActivityFactory,
    CampaignFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity_a(city_a):
    return ActivityFactory(campaign=city_a, title="甲市计量开放日")


@pytest.fixture
def activity_b(city_b):
    return ActivityFactory(campaign=city_b, title="乙市标准化讲座")


@pytest.fixture
def hosts(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "a.example.org", "b.example.org"]
    settings.QM_CITY_HOSTS = {"a.example.org": CITY_A, "b.example.org": CITY_B}


def _member(campaign, role, username):
    unit = (
        campaign.lead_unit
        if role == Membership.Role.CAMPAIGN_OFFICE
        else UnitFactory(region=campaign.region)
    )
    return MembershipFactory(unit=unit, role=role, user=UserFactory(username=username)).user


# --- by choice ------------------------------------------------------------------------------
def test_home_offers_a_city_chooser_when_two_cities_run_campaigns(client, city_a, city_b):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert [c.pk for c in response.context["cities"]] == [city_a.pk, city_b.pk]
    assert 'data-testid="city-choice"' in body
    assert "甲测试市" in body and "Testcity A" in body and "乙测试市" in body
    assert reverse("campaigns:city", args=[CITY_A]) == "/c/990100/"
    assert 'href="/c/990100/"' in body and 'href="/c/990200/"' in body
    assert "Cookie" in response["Vary"]


def test_a_city_address_shows_its_campaign_and_remembers_the_choice(
    client, city_a, city_b, activity_b
):
    response = client.get("/c/990200/")
    assert response.status_code == 200
    assert response.context["campaign"] == city_b
    assert activity_b.title in response.content.decode()
    cookie = response.cookies[selectors.CITY_COOKIE]
    assert cookie.value == CITY_B and cookie["httponly"] and cookie["samesite"] == "Lax"

    home = client.get("/")
    body = home.content.decode()
    assert home.context["campaign"] == city_b and "乙市质量月主题" in body
    assert 'data-testid="city-switch"' in body and 'href="/c/"' in body


def test_the_chosen_city_decides_the_calendar_too(client, activity_a, activity_b):
    client.get("/c/990100/")
    titles = {a.title for a in client.get("/calendar/").context["page"]}
    assert titles == {activity_a.title}


def test_switching_city_lists_every_city_even_after_a_choice(client, city_a, city_b):
    client.get("/c/990100/")
    response = client.get("/c/")
    assert response.status_code == 200
    assert [c.pk for c in response.context["cities"]] == [city_a.pk, city_b.pk]
    client.get("/c/990200/")
    assert client.get("/").context["campaign"] == city_b


def test_a_city_offers_its_running_campaign_else_its_latest(client, city_a, city_b):
    today = timezone.localdate()
    older = CampaignFactory(
        region=city_a.region,
        year=2021,
        starts_on=today - dt.timedelta(days=400),
        ends_on=today - dt.timedelta(days=380),
    )
    later = CampaignFactory(
        region=city_b.region,
        year=2023,
        starts_on=today + dt.timedelta(days=200),
        ends_on=today + dt.timedelta(days=220),
    )
    assert selectors.city_campaigns() == [city_a, city_b]  # the running ones
    city_a.delete()
    city_b.delete()
    assert selectors.city_campaigns() == [older, later]  # none running: each city's latest


def test_an_unknown_city_is_a_404(client, city_a, city_b):
    response = client.get("/c/990900/")
    assert response.status_code == 404
    # Not a dead end: the cities there are, and why this one is not among them.
    body = response.content.decode()
    assert "/c/990100/" in body and "/c/990200/" in body and 'role="alert"' in body
    assert client.get("/c/not-a-code/").status_code == 404
    assert selectors.CITY_COOKIE not in client.cookies


@pytest.mark.parametrize("cookie", ["990900", "<script>", "9901000000000000", ""])
def test_a_stale_or_forged_cookie_falls_back_to_the_chooser(client, city_a, city_b, cookie):
    client.cookies[selectors.CITY_COOKIE] = cookie
    response = client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "campaigns/city_choice.html"


def test_an_unpublished_campaign_is_no_city_to_choose(client, city_a, city_b):
    city_b.is_published = False
    city_b.save()
    assert client.get("/c/990200/").status_code == 404
    home = client.get("/")
    assert home.context["campaign"] == city_a
    assert 'data-testid="city-switch"' not in home.content.decode()


# --- by address -----------------------------------------------------------------------------
def test_a_mapped_host_opens_on_its_city(client, hosts, city_a, city_b):
    assert client.get("/", HTTP_HOST="b.example.org").context["campaign"] == city_b
    assert client.get("/", HTTP_HOST="A.example.org:443").context["campaign"] == city_a


def test_the_host_outranks_a_chosen_city(client, hosts, city_a, city_b):
    client.cookies[selectors.CITY_COOKIE] = CITY_A
    assert client.get("/", HTTP_HOST="b.example.org").context["campaign"] == city_b
    # An unmapped host still follows the choice.
    assert client.get("/").context["campaign"] == city_a


def test_a_host_mapped_to_a_city_without_a_campaign_gets_the_chooser(
    client, settings, city_a, city_b
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "c.example.org"]
    settings.QM_CITY_HOSTS = {"c.example.org": "990300"}
    response = client.get("/", HTTP_HOST="c.example.org")
    assert response.templates[0].name == "campaigns/city_choice.html"


# --- one city: as before --------------------------------------------------------------------
def test_with_one_city_home_is_unchanged(client, activity):
    today = timezone.localdate()
    CampaignFactory(
        region=activity.campaign.region,
        year=2021,
        starts_on=today - dt.timedelta(days=400),
        ends_on=today - dt.timedelta(days=380),
    )
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["campaign"] == activity.campaign == selectors.current_campaign()
    assert 'data-testid="city-choice"' not in body and 'data-testid="city-switch"' not in body
    assert selectors.CITY_COOKIE not in response.cookies


def test_with_one_city_a_campaign_page_has_no_switch(client, campaign):
    body = client.get(campaign.get_absolute_url()).content.decode()
    assert 'data-testid="city-switch"' not in body


def test_a_campaign_page_offers_the_switch_when_there_are_several(client, city_a, city_b):
    body = client.get(city_a.get_absolute_url()).content.decode()
    assert "甲市质量月主题" in body and 'data-testid="city-switch"' in body


def test_opening_a_citys_campaign_page_chooses_that_city(client, city_a, city_b):
    client.get(f"/c/{city_a.region.code}/")
    client.get(city_b.get_absolute_url())
    assert client.cookies[selectors.CITY_COOKIE].value == city_b.region.code
    # The menu's calendar and the logo now follow the second city.
    assert client.get("/").context["campaign"] == city_b


def test_past_campaigns_are_the_citys_own(client, city_a, city_b):
    from tests.factories import CampaignFactory

    earlier = CampaignFactory(region=city_b.region, year=city_b.year - 1, slug="city-b-earlier")
    shown = list(client.get(city_b.get_absolute_url()).context["other_campaigns"])
    assert shown == [earlier]  # not city A's campaign of the same year


def test_the_calendar_names_the_city_and_offers_the_switch(client, city_a, city_b):
    client.get(f"/c/{city_b.region.code}/")
    body = client.get("/calendar/").content.decode()
    assert "乙测试市" in body and 'class="city-switch"' in body


def test_the_chooser_marks_the_chosen_city(client, city_a, city_b):
    client.get(f"/c/{city_b.region.code}/")
    body = client.get("/c/").content.decode()
    assert body.count('class="badge"') == 1


# --- the office: each city sees its own -------------------------------------------------------
@pytest.mark.parametrize("role", [Membership.Role.CAMPAIGN_OFFICE, Membership.Role.UNIT_STAFF])
def test_city_a_staff_do_not_see_city_b_activities_in_the_office(
    client, activity_a, activity_b, role
):
    client.force_login(_member(activity_a.campaign, role, "a-staff"))
    if role == Membership.Role.UNIT_STAFF:
        ActivityFactory(campaign=activity_a.campaign, organiser=Membership.objects.get().unit)
    for query in ({}, {"campaign": activity_b.campaign.slug}):
        listed = client.get(reverse("office:home"), query)
        assert listed.status_code == 200
        assert activity_b.title not in listed.content.decode()
        assert activity_b not in list(listed.context["page"])
    for name in ("office:activity", "office:registrations", "office:checkin", "office:report"):
        assert client.get(reverse(name, args=[activity_b.pk])).status_code == 403, name
    assert client.get(reverse("office:activity_edit", args=[activity_b.pk])).status_code == 403
    api = client.get("/api/office/activities", {"campaign": activity_b.campaign.slug})
    assert api.status_code == 200 and api.json()["items"] == []


def test_city_a_office_sees_its_own_activities(client, activity_a, activity_b):
    client.force_login(_member(activity_a.campaign, Membership.Role.CAMPAIGN_OFFICE, "a-office"))
    listed = client.get(reverse("office:home"), {"campaign": activity_a.campaign.slug})
    assert [a.pk for a in listed.context["page"]] == [activity_a.pk]
    assert client.get(reverse("office:activity", args=[activity_a.pk])).status_code == 200


def test_the_office_opens_on_the_users_own_city(city_a, city_b):
    office_b = _member(city_b, Membership.Role.CAMPAIGN_OFFICE, "b-office")
    staff_a = _member(city_a, Membership.Role.UNIT_STAFF, "a-staff")
    assert selectors.campaign_for_user(office_b) == city_b
    assert selectors.campaign_for_user(staff_a) == city_a
    assert selectors.campaign_for_user(UserFactory(username="nobody")) == (
        selectors.current_campaign()
    )


def test_a_unit_in_a_district_opens_on_its_citys_campaign(city_b):
    district = city_b.region.children.get(code="990201")
    unit = UnitFactory(region=district)
    user = MembershipFactory(unit=unit, user=UserFactory(username="district-staff")).user
    assert selectors.campaign_for_user(user) == city_b


def test_a_new_citys_home_shows_no_empty_sections(client, city_a):
    """A city that has just set up its campaign has no focus areas, domains or co-organisers
    yet: the page leaves those sections out rather than showing headings over nothing."""
    city_a.focus_areas.all().delete()
    city_a.domains.all().delete()
    body = client.get(city_a.get_absolute_url()).content.decode()
    assert 'data-testid="focus-areas"' not in body and 'data-testid="domains"' not in body
    assert 'data-testid="co-organisers"' not in body
    assert city_a.lead_unit.localized_name in body


def test_a_citys_home_lists_its_focus_areas_and_domains(client, city_a):
    body = client.get(city_a.get_absolute_url()).content.decode()
    assert 'data-testid="focus-areas"' in body and "开展质量宣传教育" in body
    assert 'data-testid="domains"' in body and "医疗" in body
    city_a.co_organisers.add(UnitFactory(region=city_a.region, name="甲市教育局"))
    body = client.get(city_a.get_absolute_url()).content.decode()
    assert 'data-testid="co-organisers"' in body and "甲市教育局" in body


def test_an_empty_calendar_says_why(client, city_a):
    """Nothing published yet is not "nothing matches these filters"."""
    url = reverse("campaigns:campaign_calendar", args=[city_a.slug])
    body = client.get(url).content.decode()
    assert "还没有发布任何活动。" in body and "没有符合筛选条件的活动。" not in body
    assert "本月没有活动。" in client.get(url, {"view": "month"}).content.decode()

    ActivityFactory(campaign=city_a, title="甲市计量开放日")
    body = client.get(url, {"q": "标准"}).content.decode()
    assert "没有符合筛选条件的活动。" in body and "还没有发布任何活动。" not in body
    body = client.get(url, {"view": "month", "q": "标准"}).content.decode()
    assert "本月没有符合筛选条件的活动。" in body
