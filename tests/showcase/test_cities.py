"""Several cities on one deployment: a city's units write stories for their own city's campaign,
and the public story pages show the city the visitor is in."""

import pytest
from django.urls import reverse
from django.utils import timezone

from qualitymonth.campaigns.selectors import CITY_COOKIE, current_campaign
from qualitymonth.core.models import Membership
from qualitymonth.showcase.models import BrandStory
from tests.factories import (
    CITY_B,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_staff(client, city_b):
    """A client signed in as staff of city B's lead unit."""
    user = MembershipFactory(
        unit=city_b.lead_unit, role=Membership.Role.UNIT_STAFF, user=UserFactory(username="b")
    ).user
    client.force_login(user)
    return client


def _fields(unit, **overrides):
    data = {
        "title": "乙市老字号的新标准",
        "enterprise": "乙市示例工坊",
        "summary": "为工艺建立质量记录",
        "body": "<p>正文</p>",
        "unit": unit,
    }
    data.update(overrides)
    return data


def _published(campaign, slug, title):
    return BrandStory.objects.create(
        campaign=campaign,
        slug=slug,
        title=title,
        enterprise="示例企业",
        summary="摘要",
        body="<p>正文</p>",
        unit=campaign.lead_unit,
        status=BrandStory.Status.PUBLISHED,
        published_at=timezone.now(),
    )


def test_a_second_citys_story_page_files_it_under_its_own_campaign(b_staff, city_a, city_b):
    assert current_campaign() == city_a  # the site-wide one is the other city's
    response = b_staff.post(reverse("office_stories:new"), _fields(city_b.lead_unit.pk))
    assert response.status_code == 302
    assert BrandStory.objects.get().campaign == city_b


def test_a_second_citys_story_through_the_api_is_filed_under_its_own_campaign(
    b_staff, city_a, city_b
):
    response = b_staff.post("/api/office/stories", _fields(city_b.lead_unit.code, domain="service"))
    assert response.status_code == 201, response.content
    story = BrandStory.objects.get()
    assert story.campaign == city_b and story.domain.campaign == city_b


def test_a_second_citys_staff_cannot_write_for_the_first_citys_unit(b_staff, city_a, city_b):
    page = b_staff.post(reverse("office_stories:new"), _fields(city_a.lead_unit.pk))
    assert page.status_code == 200 and "unit" in page.context["form"].errors
    api = b_staff.post("/api/office/stories", _fields(city_a.lead_unit.code))
    assert api.status_code == 400 and "unit" in api.json()["errors"]
    assert not BrandStory.objects.exists()


def test_the_first_citys_domain_is_bad_input_for_a_second_citys_story(b_staff, city_a, city_b):
    page = b_staff.post(
        reverse("office_stories:new"),
        _fields(city_b.lead_unit.pk, domain=city_a.domains.first().pk),
    )
    assert page.status_code == 200 and "domain" in page.context["form"].errors
    assert not BrandStory.objects.exists()


def test_the_public_stories_show_the_chosen_city(client, city_a, city_b):
    _published(city_a, "a-story", "甲市品牌故事")
    _published(city_b, "b-story", "乙市品牌故事")
    client.cookies[CITY_COOKIE] = CITY_B
    listed = client.get(reverse("showcase:stories"))
    assert [s.title for s in listed.context["page"]] == ["乙市品牌故事"]
    assert list(listed.context["domains"]) == list(city_b.domains.all())
    broadcast = client.get(reverse("showcase:broadcast"))
    assert [s.title for s in broadcast.context["stories"]] == ["乙市品牌故事"]


def test_the_public_stories_follow_a_mapped_host(client, settings, city_a, city_b):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "b.example.org"]
    settings.QM_CITY_HOSTS = {"b.example.org": CITY_B}
    _published(city_a, "a-story", "甲市品牌故事")
    _published(city_b, "b-story", "乙市品牌故事")
    listed = client.get(reverse("showcase:stories"), HTTP_HOST="b.example.org")
    assert [s.title for s in listed.context["page"]] == ["乙市品牌故事"]


@pytest.mark.parametrize("cookie", ["990900", "<script>"])
def test_an_unknown_or_forged_city_shows_the_site_wide_stories(client, city_a, city_b, cookie):
    _published(city_a, "a-story", "甲市品牌故事")
    _published(city_b, "b-story", "乙市品牌故事")
    client.cookies[CITY_COOKIE] = cookie
    listed = client.get(reverse("showcase:stories"))
    assert listed.status_code == 200
    assert [s.title for s in listed.context["page"]] == ["甲市品牌故事"]
