"""Several cities on one deployment: /contest/ opens on the contest of the visitor's city."""

import datetime as dt

import pytest
from django.urls import reverse

from qualitymonth.campaigns.selectors import CITY_COOKIE, current_campaign
from qualitymonth.contest import selectors
from qualitymonth.contest.models import Contest
from tests.contest.conftest import set_phase
from tests.factories import CITY_B, CampaignFactory, RegionFactory

pytestmark = pytest.mark.django_db

CITY_C = "990300"  # made-up, like CITY_A and CITY_B


def _contest(campaign, slug, *, days_earlier=0) -> Contest:
    contest = Contest(
        campaign=campaign, slug=slug, title=f"{slug} 微视频大赛", theme="质量", rules="原创"
    )
    set_phase(contest, "submission")
    if days_earlier:
        shift = dt.timedelta(days=days_earlier)
        for field in (
            "submission_opens",
            "submission_closes",
            "review_closes",
            "judging_closes",
            "voting_opens",
            "voting_closes",
            "results_at",
        ):
            setattr(contest, field, getattr(contest, field) - shift)
        contest.save()
    return contest


@pytest.fixture
def contests(city_a, city_b):
    # City B's contest is the older one: "the latest contest" alone would never pick it.
    return _contest(city_a, "city-a-contest"), _contest(city_b, "city-b-contest", days_earlier=5)


def test_the_contest_page_opens_on_the_chosen_citys_contest(client, contests):
    contest_a, contest_b = contests
    assert current_campaign() == contest_a.campaign  # the site-wide one is the other city's
    client.cookies[CITY_COOKIE] = CITY_B
    response = client.get(reverse("contest:current"))
    assert response.status_code == 302 and response["Location"] == contest_b.get_absolute_url()


def test_the_contest_page_follows_a_mapped_host(client, settings, contests):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "b.example.org"]
    settings.QM_CITY_HOSTS = {"b.example.org": CITY_B}
    response = client.get(reverse("contest:current"), HTTP_HOST="b.example.org")
    assert response["Location"] == contests[1].get_absolute_url()


@pytest.mark.parametrize("cookie", ["", "990900", "<script>"])
def test_no_city_or_an_unknown_one_opens_on_the_site_wide_contest(client, contests, cookie):
    client.cookies[CITY_COOKIE] = cookie
    response = client.get(reverse("contest:current"))
    assert response["Location"] == contests[0].get_absolute_url()


def test_a_city_without_a_contest_falls_back_to_the_latest(client, contests):
    city_c = CampaignFactory(region=RegionFactory(code=CITY_C, name="丙测试市"), slug="city-c")
    assert selectors.current_contest(city_c) == contests[0]
    client.cookies[CITY_COOKIE] = CITY_C
    assert client.get(reverse("contest:current"))["Location"] == contests[0].get_absolute_url()


def test_current_contest_takes_the_campaign_it_is_given(contests):
    contest_a, contest_b = contests
    assert selectors.current_contest(contest_b.campaign) == contest_b
    assert selectors.current_contest() == contest_a


def test_no_contest_at_all_is_a_404(client, city_a, city_b):
    client.cookies[CITY_COOKIE] = CITY_B
    assert client.get(reverse("contest:current")).status_code == 404
