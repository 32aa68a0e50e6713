import pytest
from django.test import Client

from qualitymonth.campaigns.models import Activity, Registration
from tests.factories import ActivityFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_the_endpoints(client, db):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert "/api/activities" in paths and "/api/activities/{activity_id}/registrations" in paths
    assert "/api/office/activities/{activity_id}/checkin" in paths


def test_activities_list_filters_and_paginates(client, activity, other_unit):
    ActivityFactory(
        campaign=activity.campaign, organiser=other_unit, kind="online", district=None, venue="线上"
    )
    ActivityFactory(campaign=activity.campaign, organiser=other_unit, status=Activity.Status.DRAFT)
    body = client.get("/api/activities").json()
    assert body["count"] == 2
    assert client.get("/api/activities", {"kind": "online"}).json()["count"] == 1
    assert (
        client.get("/api/activities", {"unit": activity.organiser.code}).json()["items"][0]["id"]
        == activity.pk
    )
    assert client.get("/api/activities", {"q": "计量"}).json()["count"] == 2
    assert client.get("/api/activities", {"kind": "underwater"}).status_code == 422
    assert client.get("/api/activities", {"date_from": "yesterday"}).status_code == 422


def test_activity_detail_and_unknown_ids(client, activity):
    body = client.get(f"/api/activities/{activity.pk}").json()
    assert body["title"] == activity.title and body["registration_state"] == "open"
    assert client.get("/api/activities/999999").status_code == 404


def test_campaign_detail_has_counts(client, activity):
    body = client.get(f"/api/campaigns/{activity.campaign.slug}").json()
    assert body["counts"]["total"] == 1 and len(body["focus_areas"]) == 2


def test_register_through_the_api(client, activity):
    response = client.post(
        f"/api/activities/{activity.pk}/registrations",
        {"name": "王小红", "mobile": "13800138000"},
        content_type="application/json",
    )
    assert response.status_code == 201
    ticket = response.json()
    assert ticket["status"] == "confirmed" and len(ticket["ticket_code"]) == 9
    again = client.post(
        f"/api/activities/{activity.pk}/registrations",
        {"name": "王小红", "mobile": "13800138000"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    bad = client.post(
        f"/api/activities/{activity.pk}/registrations",
        {"name": "王小红", "mobile": "110"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "mobile" in bad.json()["errors"]
    missing = client.post(
        f"/api/activities/{activity.pk}/registrations",
        {"name": "x"},
        content_type="application/json",
    )
    assert missing.status_code == 422
    garbage = client.post(
        f"/api/activities/{activity.pk}/registrations", "{not json", content_type="application/json"
    )
    assert garbage.status_code in (400, 422)


def test_ticket_and_cancel_through_the_api(client, activity):
    registration = RegistrationFactory(activity=activity)
    assert client.get(f"/api/tickets/{registration.token}").json()["status"] == "confirmed"
    assert client.post(f"/api/tickets/{registration.token}/cancel").json()["status"] == "cancelled"
    assert client.post(f"/api/tickets/{registration.token}/cancel").status_code == 409
    assert client.get("/api/tickets/unknown").status_code == 404


def test_office_checkin_needs_login_csrf_and_the_right_unit(activity, staff_user, other_staff_user):
    registration = RegistrationFactory(activity=activity)
    url = f"/api/office/activities/{activity.pk}/checkin"
    assert (
        Client()
        .post(url, {"code": registration.ticket_code}, content_type="application/json")
        .status_code
        == 401
    )

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff_user)
    assert (
        strict.post(
            url, {"code": registration.ticket_code}, content_type="application/json"
        ).status_code
        == 403
    )

    other = Client()
    other.force_login(other_staff_user)
    assert (
        other.post(
            url, {"code": registration.ticket_code}, content_type="application/json"
        ).status_code
        == 403
    )

    staff = Client()
    staff.force_login(staff_user)
    ok = staff.post(url, {"code": registration.display_code}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["name"] == registration.masked_name
    twice = staff.post(url, {"code": registration.ticket_code}, content_type="application/json")
    assert twice.status_code == 409 and twice.json()["code"] == "already_checked_in"
    unknown = staff.post(url, {"code": "ZZZZZZZZ"}, content_type="application/json")
    assert unknown.status_code == 400
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 1


def test_office_list_and_steps(staff_client, office_client, activity):
    activity.status = "draft"
    activity.save()
    items = staff_client.get("/api/office/activities").json()["items"]
    assert items[0]["available_steps"] == ["submit", "cancel"] or items[0]["available_steps"] == [
        "submit"
    ]
    assert (
        staff_client.post(
            f"/api/office/activities/{activity.pk}/steps/submit",
            {},
            content_type="application/json",
        ).json()["status"]
        == "submitted"
    )
    assert (
        staff_client.post(
            f"/api/office/activities/{activity.pk}/steps/approve",
            {},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        office_client.post(
            f"/api/office/activities/{activity.pk}/steps/return",
            {"reason": ""},
            content_type="application/json",
        ).status_code
        == 400
    )
    assert (
        office_client.post(
            f"/api/office/activities/{activity.pk}/steps/approve",
            {},
            content_type="application/json",
        ).json()["status"]
        == "approved"
    )
    assert (
        office_client.post(
            f"/api/office/activities/{activity.pk}/steps/explode",
            {},
            content_type="application/json",
        ).status_code
        == 400
    )
