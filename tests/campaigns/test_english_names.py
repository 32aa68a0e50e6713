"""Domains, focus areas, districts and units in English on the public pages and in the API."""

import pytest
from django.conf import settings
from django.urls import reverse

from qualitymonth.campaigns.demo import xiamen2022
from qualitymonth.campaigns.forms import CampaignForm
from qualitymonth.campaigns.services import campaign_new_for_year

NAMES = {
    "domain": ("产品", "Products"),
    "focus": ("开展质量宣传教育", "Quality publicity and education"),
    "district": ("思明区", "Siming District"),
    "unit": ("厦门市建设局", "Xiamen Construction Bureau"),
}


@pytest.fixture
def named(campaign, unit, activity):
    domain = campaign.domains.get(code="product")
    domain.name_en = NAMES["domain"][1]
    domain.save()
    activity.domains.set([domain])
    campaign.focus_areas.filter(code="education").update(name_en=NAMES["focus"][1])
    campaign.region.children.filter(code="350203").update(name_en=NAMES["district"][1])
    unit.name_en = NAMES["unit"][1]
    unit.save()
    campaign.co_organisers.add(unit)
    assert activity.district.name == "思明区" and activity.focus_area.code == "education"
    return activity


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_activity_page_in_english_shows_the_english_names(client, named):
    html = _english(client).get(reverse("campaigns:activity", args=[named.pk])).content.decode()
    for chinese, english in NAMES.values():
        assert english in html, english
        assert chinese not in html, chinese


def test_activity_page_in_chinese_shows_the_chinese_names(client, named):
    html = client.get(reverse("campaigns:activity", args=[named.pk])).content.decode()
    for chinese, english in NAMES.values():
        assert chinese in html and english not in html, chinese


def test_calendar_filters_and_campaign_page_in_english(client, named):
    _english(client)
    calendar = client.get(reverse("campaigns:calendar")).content.decode()
    home = client.get(reverse("campaigns:campaign", args=[named.campaign.slug])).content.decode()
    for english in ("Products", "Quality publicity and education", "Siming District"):
        assert f">{english}</option>" in calendar, english
    for english in ("Products", "Quality publicity and education", "Xiamen Construction Bureau"):
        assert english in home, english


def test_api_names_follow_the_readers_language(client, named):
    url = f"/api/activities/{named.pk}"
    chinese = client.get(url).json()
    english = _english(client).get(url).json()
    assert (chinese["district"], english["district"]) == NAMES["district"]
    assert (chinese["organiser"]["name"], english["organiser"]["name"]) == NAMES["unit"]
    assert (chinese["focus_area"]["name"], english["focus_area"]["name"]) == NAMES["focus"]
    assert english["domains"] == [{"code": "product", "name": "Products"}]
    campaign = client.get(f"/api/campaigns/{named.campaign.slug}").json()
    assert {"code": "product", "name": "Products"} in campaign["domains"]
    assert campaign["co_organisers"][0]["name"] == "Xiamen Construction Bureau"


def test_next_years_campaign_keeps_the_english_names(named):
    campaign = campaign_new_for_year(year=2023, region=named.campaign.region)
    assert campaign.domains.get(code="product").name_en == "Products"
    assert campaign.focus_areas.get(code="education").name_en == NAMES["focus"][1]


def _campaign_form(campaign, unit, **fields):
    data = {
        "year": 2023,
        "region": campaign.region.pk,
        "theme": "质量月",
        "starts_on": "2023-09-01",
        "ends_on": "2023-09-30",
        "lead_unit": unit.pk,
        "focus_areas": "开展质量宣传教育 | Quality publicity and education\n深化质量提升行动",
        "domains": "农业|Agriculture",
        **fields,
    }
    return CampaignForm(data)


def test_the_office_gives_english_names_after_a_bar(campaign, unit):
    form = _campaign_form(campaign, unit)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["focus_areas"] == [
        (None, "开展质量宣传教育", "Quality publicity and education"),
        (None, "深化质量提升行动", ""),
    ]
    assert form.cleaned_data["domains"] == [(None, "农业", "Agriculture")]


def test_an_overlong_english_name_is_refused_with_the_line_kept(campaign, unit):
    form = _campaign_form(campaign, unit, domains="农业 | " + "A" * 101)
    assert not form.is_valid()
    assert "at most 100 characters" in str(form.errors["domains"])
    assert form["domains"].value().startswith("农业 | AAA")


def test_the_campaign_form_starts_from_last_years_names_with_their_english(office_client, named):
    html = office_client.get(reverse("office:campaign_new")).content.decode()
    assert "产品 | Products" in html


def test_demo_data_names_every_district_unit_focus_area_and_domain_in_english():
    rows = [
        xiamen2022.REGIONS["province"],
        xiamen2022.REGIONS["city"],
        *xiamen2022.REGIONS["districts"],
        *xiamen2022.UNITS,
        *xiamen2022.FOCUS_AREAS,
        *xiamen2022.DOMAINS,
    ]
    assert all(row.get("name_en") for row in rows), [
        r["name"] for r in rows if not r.get("name_en")
    ]
    districts = {r["name"]: r["name_en"] for r in xiamen2022.REGIONS["districts"]}
    assert districts["思明区"] == "Siming District" and districts["翔安区"] == "Xiang'an District"


THEME_EN = "Drive quality reform and innovation, build a city strong in quality"


def test_the_theme_follows_the_readers_language(client, named):
    campaign = named.campaign
    campaign.theme_en = THEME_EN
    campaign.save()
    url = reverse("campaigns:campaign", args=[campaign.slug])
    chinese = client.get(url).content.decode()
    assert f"<h1>{campaign.theme}</h1>" in chinese and THEME_EN not in chinese
    english = _english(client).get(url).content.decode()
    assert f"<h1>{THEME_EN}</h1>" in english
    assert THEME_EN in client.get(reverse("campaigns:calendar")).content.decode()
    api = client.get(f"/api/campaigns/{campaign.slug}").json()
    assert (api["theme"], api["theme_en"]) == (campaign.theme, THEME_EN)


def test_without_an_english_theme_english_readers_see_the_chinese_one(client, named):
    url = reverse("campaigns:campaign", args=[named.campaign.slug])
    assert f"<h1>{named.campaign.theme}</h1>" in _english(client).get(url).content.decode()


def test_the_office_sets_the_english_theme_and_next_year_gets_one(campaign, unit):
    form = _campaign_form(campaign, unit, theme_en=f"  {THEME_EN}  ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["theme_en"] == THEME_EN
    too_long = _campaign_form(campaign, unit, theme_en="x" * 161)
    assert not too_long.is_valid() and "theme_en" in too_long.errors
    assert campaign_new_for_year(year=2023, region=campaign.region).theme_en == "Quality Month 2023"


def test_the_demo_campaign_has_an_english_theme():
    assert xiamen2022.CAMPAIGN["theme_en"] == THEME_EN
