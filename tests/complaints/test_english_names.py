"""Districts and goods classes in English on the public complaint pages."""

import pytest
from django.conf import settings
from django.urls import reverse

from qualitymonth.complaints.services import complaint_submit
from qualitymonth.core.models import Region
from tests.complaints.conftest import complaint_data


@pytest.fixture
def huli(region):
    district = Region.objects.get(code="350206")
    district.name_en = "Huli District"
    district.save()
    return district


@pytest.fixture
def board_group(region, unit, route, huli):
    route(unit.code, 0.9, category="household_appliances")
    for mobile in ("13900000001", "13900000002"):
        complaint_submit(data=complaint_data(complainant_mobile=mobile), region=region)


def test_board_in_english_names_the_district_and_goods_class_in_english(client, board_group):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("complaints:board")).content.decode()
    assert "Huli District" in html and "湖里区" not in html
    assert "Household appliances" in html


def test_board_in_chinese_names_the_district_in_chinese(client, board_group):
    html = client.get(reverse("complaints:board")).content.decode()
    assert "湖里区" in html and "Huli District" not in html


def test_complaint_form_offers_the_districts_in_the_readers_language(client, huli):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ">Huli District</option>" in client.get(reverse("complaints:new")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert ">湖里区</option>" in client.get(reverse("complaints:new")).content.decode()
