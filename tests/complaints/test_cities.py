"""Several cities on one deployment: a case filed from a city's site goes to that city, and each
city's office works on its own city's districts and hot spots."""

import json

import pytest
from django.urls import reverse

from qualitymonth.campaigns.selectors import CITY_COOKIE, current_campaign
from qualitymonth.complaints import selectors
from qualitymonth.complaints.models import Complaint
from qualitymonth.complaints.services import complaint_submit
from qualitymonth.core.models import Membership
from tests.complaints.conftest import complaint_data
from tests.factories import (
    CITY_B,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


FORM = {
    "kind": "complaint",
    "complainant_name": "李小红",
    "complainant_mobile": "13912345678",
    "complainant_address": "乙测试区某路1号",
    "respondent_name": "乙市示例电器商行",
    "respondent_address": "乙测试区某路2号",
    "request": "退货退款",
    "facts": "购买的电饭煲使用两次后无法加热，商家拒绝退换。",
    "district": "990201",
    "amount": "399",
}


def _office(client, campaign, username, role=Membership.Role.CAMPAIGN_OFFICE):
    user = MembershipFactory(
        unit=campaign.lead_unit, role=role, user=UserFactory(username=username)
    ).user
    client.force_login(user)
    return client


# --- the public site ----------------------------------------------------------------------------
def test_a_case_filed_from_the_chosen_city_goes_to_that_city(client, city_a, city_b, route):
    assert current_campaign() == city_a  # the site-wide one is the other city's
    client.cookies[CITY_COOKIE] = CITY_B
    page = client.get(reverse("complaints:new"))
    assert page.status_code == 200 and "乙测试区" in page.content.decode()
    assert client.get(reverse("complaints:home")).context["region"] == city_b.region
    response = client.post(reverse("complaints:new"), FORM)
    assert response.status_code == 302
    case = Complaint.objects.get()
    assert case.region == city_b.region and case.district.name == "乙测试区"


def test_another_citys_district_is_refused(client, city_a, city_b, route):
    client.cookies[CITY_COOKIE] = CITY_B
    response = client.post(reverse("complaints:new"), {**FORM, "district": "350206"})
    assert response.status_code == 200 and "district" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_a_case_filed_through_the_api_at_a_citys_address_goes_to_that_city(
    client, settings, city_a, city_b, route
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "b.example.org"]
    settings.QM_CITY_HOSTS = {"b.example.org": CITY_B}
    body = {**FORM, "district": "乙测试区"}
    response = client.post(
        "/api/complaints",
        json.dumps(body),
        content_type="application/json",
        HTTP_HOST="b.example.org",
    )
    assert response.status_code == 201, response.content
    assert Complaint.objects.get().region == city_b.region


@pytest.mark.parametrize("cookie", ["990900", "<script>"])
def test_an_unknown_or_forged_city_files_with_the_site_wide_city(
    client, city_a, city_b, route, cookie
):
    client.cookies[CITY_COOKIE] = cookie
    body = {**FORM, "district": "湖里区"}
    response = client.post("/api/complaints", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Complaint.objects.get().region == city_a.region


def test_the_selector_takes_the_campaign_it_is_given(city_a, city_b):
    assert selectors.intake_region(city_b) == city_b.region
    assert selectors.intake_region() == city_a.region


# --- the back office ----------------------------------------------------------------------------
def test_a_second_citys_office_filters_by_its_own_districts(client, city_a, city_b):
    office = _office(client, city_b, "b-office")
    response = office.get(reverse("office_complaints:cases"))
    assert response.status_code == 200
    districts = dict(response.context["form"].fields["district"].choices)
    assert "990201" in districts and "350206" not in districts


def test_a_second_citys_office_sees_its_own_hot_spots(client, city_a, city_b, route):
    for region, respondent in ((city_a.region, "甲市某商行"), (city_b.region, "乙市某商行")):
        for _ in range(2):
            complaint_submit(
                data=complaint_data(respondent_name=respondent, district=""), region=region
            )
    response = _office(client, city_b, "b-office").get(reverse("office_complaints:hotspots"))
    assert response.status_code == 200
    groups = [group for group, _outcome in response.context["rows"]]
    assert groups and {group.region for group in groups} == {city_b.region}


def test_a_second_citys_unit_staff_have_no_hot_spots(client, city_a, city_b):
    staff = _office(client, city_b, "b-staff", role=Membership.Role.UNIT_STAFF)
    assert staff.get(reverse("office_complaints:hotspots")).status_code == 403
