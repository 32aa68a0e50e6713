"""Input a real user (or a script) sends that must get a clear answer, never a 500."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qualitymonth.campaigns.models import Activity, Registration
from tests.factories import ActivityFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/tickets/%00/",
        "/calendar/?q=%00",
        "/api/activities?q=a%00b",
        "/api/campaigns/%00",
        "/office/?q=%00",
    ],
)
def test_nul_bytes_are_refused_with_400(client, activity, url):
    assert client.get(url).status_code == 400


def test_nul_in_json_and_forms_is_refused(client, activity):
    r = client.post(
        f"/api/activities/{activity.pk}/registrations",
        '{"name": "a\\u0000b", "mobile": "13800138000"}',
        content_type="application/json",
    )
    # A field error from the input schema (core/schemas.py), not a 500 from PostgreSQL.
    assert r.status_code == 422 and not Registration.objects.exists()
    r = client.post(
        reverse("campaigns:register", args=[activity.pk]),
        {"name": "a\x00b", "mobile": "13800138000"},
    )
    assert r.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "view=month&month=9999-12",
        "view=month&month=0001-01",
        "date_from=0001-01-01",
        "date_to=9999-12-31",
        "date_from=2022-02-30",
        "page=abc",
        "page=99999",
    ],
)
def test_calendar_survives_extreme_values(client, activity, query):
    assert client.get(f"/calendar/?{query}").status_code == 200


def test_api_refuses_dates_out_of_range(client, activity):
    assert client.get("/api/activities?date_from=0001-01-01").status_code == 422


def test_too_long_reasons_are_refused_not_crashed(office_client, activity):
    activity.status = Activity.Status.SUBMITTED
    activity.save()
    office_client.post(f"/office/activities/{activity.pk}/steps/return/", {"reason": "长" * 600})
    activity.refresh_from_db()
    assert activity.status == Activity.Status.SUBMITTED


def test_campaign_lines_too_long_and_dates_outside_the_year(office_client, campaign):
    response = office_client.post(
        "/office/campaigns/new/",
        {
            "year": 2024,
            "region": campaign.region.pk,
            "theme": "x",
            "starts_on": "2024-09-01",
            "ends_on": "2025-12-31",
            "lead_unit": campaign.lead_unit.pk,
            "focus_areas": "一",
            "domains": "领" * 40,
        },
    )
    assert response.status_code == 400 and {"ends_on", "domains"} <= set(
        response.context["form"].errors
    )


def test_citizen_login_lands_on_their_tickets_and_adopts_anonymous_ones(activity, citizen_user):
    client = Client()
    client.post(
        reverse("campaigns:register", args=[activity.pk]), {"name": "张三", "mobile": "13800138000"}
    )
    response = client.post(
        "/accounts/login/", {"username": "citizen", "password": "pw-12345678"}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("/tickets/")
    assert Registration.objects.get().user == citizen_user


def test_staff_login_lands_in_the_back_office(staff_user):
    response = Client().post(
        "/accounts/login/", {"username": "staff", "password": "pw-12345678"}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("/office/")


def test_check_in_only_around_the_activity(staff_client, campaign, unit):
    later = ActivityFactory(
        campaign=campaign,
        organiser=unit,
        starts_at=timezone.now() + dt.timedelta(days=5),
        ends_at=timezone.now() + dt.timedelta(days=5, hours=2),
    )
    registration = RegistrationFactory(activity=later)
    response = staff_client.post(
        f"/office/activities/{later.pk}/checkin/", {"code": registration.ticket_code}
    )
    assert response.status_code == 409
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_cancel_page_for_a_cancelled_ticket_says_so(client, activity):
    registration = RegistrationFactory(activity=activity, status=Registration.Status.CANCELLED)
    page = client.get(reverse("campaigns:ticket_cancel", args=[registration.token]))
    assert (
        page.context["can_cancel"] is False
        and "<form" not in page.content.decode().split("<main")[1].split("</main>")[0]
    )
