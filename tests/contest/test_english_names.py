"""Contest categories in English: the public pages and API, and the office's set-up."""

import json

from django.conf import settings
from django.urls import reverse

from qualitymonth.contest.models import Contest
from tests.contest.test_office_api import setup_body
from tests.factories import UserFactory


def _name_public_category(contest):
    contest.categories.filter(code="public").update(name_en="Public service")


def test_contest_page_and_api_show_the_category_in_english(client, contest):
    _name_public_category(contest)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("contest:detail", args=[contest.slug])).content.decode()
    assert ">Public service</option>" in html and "公益宣传类" not in html
    categories = client.get(f"/api/contests/{contest.slug}").json()["categories"]
    assert {"code": "public", "name": "Public service"} in categories


def test_contest_page_and_api_show_the_category_in_chinese_by_default(client, contest):
    _name_public_category(contest)
    html = client.get(reverse("contest:detail", args=[contest.slug])).content.decode()
    assert ">公益宣传类</option>" in html and "Public service" not in html
    categories = client.get(f"/api/contests/{contest.slug}").json()["categories"]
    assert {"code": "public", "name": "公益宣传类"} in categories


def test_the_entry_form_offers_the_categories_in_english(citizen_client, contest):
    _name_public_category(contest)
    citizen_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = citizen_client.get(reverse("contest:submit", args=[contest.slug])).content.decode()
    assert ">Public service</option>" in html


def test_the_office_names_a_category_in_english_in_the_set_up(office_client, campaign):
    UserFactory(username="judge0")
    body = setup_body(
        campaign=campaign.slug,
        slug="video-2023",
        categories=[{"code": "public", "name": "公益宣传类", "name_en": "Public service"}],
    )
    response = office_client.post(
        "/api/office/contests", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    category = Contest.objects.get(slug="video-2023").categories.get()
    assert category.name_en == "Public service"
    page = office_client.get(reverse("contest_office:settings", args=["video-2023"]))
    assert 'value="Public service"' in page.content.decode()


def test_an_overlong_english_category_name_is_refused(office_client, campaign):
    UserFactory(username="judge0")
    body = setup_body(
        campaign=campaign.slug,
        slug="video-2023",
        categories=[{"code": "public", "name": "公益宣传类", "name_en": "x" * 101}],
    )
    response = office_client.post(
        "/api/office/contests", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
