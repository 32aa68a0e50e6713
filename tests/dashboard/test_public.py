"""The public results page (质量月成效) and its API: public figures only, no personal data,
cached per campaign and language."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.dashboard.test_pages import campaign, fake, page_charts  # noqa: F401 (fixtures)
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

MOBILE = re.compile(r"1[3-9]\d{9}")


def url(campaign) -> str:  # noqa: F811
    return reverse("results:results", args=[campaign.slug])


def test_everyone_sees_the_public_figures_charts_and_tables(client, fake, campaign):  # noqa: F811
    response = client.get(url(campaign))
    assert response.status_code == 200
    html = response.content.decode()
    assert campaign.theme in html
    assert "11场" in html and "Top activities" in html and "计量服务进企业" in html
    assert [c["key"] for c in page_charts(response)] == ["by-unit"]
    assert fake.calls[-1].public is True and fake.calls[-1].scope is None
    assert 'data-testid="computed-at"' in html


def test_the_public_page_leaks_nothing_internal_or_personal(client, fake, campaign):  # noqa: F811
    html = client.get(url(campaign)).content.decode()
    for internal in ("Reports on time", "Internal by day", "Internal list", "PRIVATE-ROW"):
        assert internal not in html
    assert not MOBILE.search(html)
    assert "scoreboard" not in html
    assert "/office/" not in html  # no link into the back office, no export


def test_the_results_are_cached_per_campaign_and_language(client, fake, campaign):  # noqa: F811
    assert client.get(url(campaign)).status_code == 200
    asked = len(fake.calls)
    second = client.get(url(campaign))
    assert second.status_code == 200 and len(fake.calls) == asked  # no provider work
    assert "11场" in second.content.decode()
    client.get(url(campaign), headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    client.get(url(campaign))
    assert len(fake.calls) > asked  # another language is composed once for itself
    cache.clear()
    client.get(url(campaign))
    assert len(fake.calls) > asked + 1


def test_an_unpublished_or_unknown_campaign_is_not_found(client, fake):  # noqa: F811
    hidden = CampaignFactory(is_published=False)
    assert client.get(url(hidden)).status_code == 404
    assert client.get("/campaigns/no-such-campaign/results/").status_code == 404
    assert client.get(f"/api/campaigns/{hidden.slug}/results").status_code == 404
    assert not fake.calls


def test_the_public_results_through_the_api(client, fake, campaign):  # noqa: F811
    response = client.get(f"/api/campaigns/{campaign.slug}/results")
    assert response.status_code == 200
    body = response.json()
    assert "scoreboard" not in body
    section = body["sections"][0]
    assert [f["key"] for f in section["figures"]] == ["done"]
    assert [c["key"] for c in section["charts"]] == ["by-unit"]
    assert [t["key"] for t in section["tables"]] == ["top"]
    assert not MOBILE.search(response.content.decode())


def test_a_cached_page_reads_almost_nothing(client, fake, campaign, django_assert_max_num_queries):  # noqa: F811
    client.get(url(campaign))
    with django_assert_max_num_queries(2):  # the campaign, and nothing of the figures
        assert client.get(url(campaign)).status_code == 200
