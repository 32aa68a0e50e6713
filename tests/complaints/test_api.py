import json

import pytest
from django.test import Client

from qualitymonth.complaints.models import Complaint
from qualitymonth.core.models import AuditEvent
from tests.complaints.conftest import pdf_upload, png_upload

pytestmark = pytest.mark.django_db

BODY = {
    "kind": "complaint",
    "complainant_name": "李小红",
    "complainant_mobile": "13912345678",
    "complainant_address": "思明区湖滨南路100号",
    "respondent_name": "鹭佳电器商行",
    "respondent_address": "湖里区嘉禾路88号",
    "request": "退货退款",
    "facts": "购买的电饭煲使用两次后无法加热，商家拒绝退换。",
    "district": "湖里区",
    "amount": "399.00",
}


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_filing_through_the_api(client, region, unit, route):
    route(unit.code, 0.9)
    response = post(client, "/api/complaints", BODY)
    assert response.status_code == 201, response.content
    data = response.json()
    case = Complaint.objects.get()
    assert data["tracking_number"] == case.tracking_number
    assert data["status"] == "triaged" and data["unit"] == unit.name
    assert data["complainant"] == "李*红 139****5678"
    assert case.channel == "api"


def test_api_errors_name_the_fields(client, region, route):
    response = post(client, "/api/complaints", {**BODY, "complainant_mobile": "1", "facts": ""})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"complainant_mobile", "facts"}
    assert post(client, "/api/complaints", {"kind": 5}).status_code in (400, 422)


def test_files_are_attached_within_the_hour_by_the_complainant(client, region, unit, route):
    route(unit.code, 0.9)
    number = post(client, "/api/complaints", BODY).json()["tracking_number"]
    url = "/api/complaints/attachments"
    proof = {"tracking_number": number, "mobile_last4": "5678"}
    response = client.post(url, {**proof, "files": [png_upload(), pdf_upload()]})
    assert response.status_code == 201, response.content
    assert response.json() == ["photo.png", "receipt.pdf"]
    wrong = client.post(url, {**proof, "mobile_last4": "0000", "files": [png_upload()]})
    assert wrong.status_code == 404
    too_many = client.post(url, {**proof, "files": [png_upload(f"{n}.png") for n in range(4)]})
    assert too_many.status_code == 400


def test_tracking_and_rating_through_the_api(client, case, staff_user):
    from qualitymonth.complaints.services import complaint_step

    proof = {"tracking_number": case.tracking_number, "mobile_last4": "5678"}
    response = post(client, "/api/complaints/track", proof)
    assert response.status_code == 200
    assert [e["step"] for e in response.json()["events"]] == ["received", "routed"]
    assert "13912345678" not in response.content.decode()
    wrong = post(client, "/api/complaints/track", {**proof, "mobile_last4": "1111"})
    assert wrong.status_code == 404
    for step in ("accept", "mediate"):
        complaint_step(complaint=case, step=step, acting_user=staff_user)
    complaint_step(complaint=case, step="agree", acting_user=staff_user, message="已退款")
    body = {"tracking_number": case.tracking_number, "mobile_last4": "5678", "score": 4}
    assert post(client, "/api/complaints/rate", body).json()["satisfaction"] == 4
    assert post(client, "/api/complaints/rate", body).status_code == 409


def test_office_api_is_scoped_to_the_unit(staff_client, other_staff_client, case):
    mine = staff_client.get("/api/office/complaints").json()
    assert [row["tracking_number"] for row in mine["items"]] == [case.tracking_number]
    assert other_staff_client.get("/api/office/complaints").json()["items"] == []
    url = f"/api/office/complaints/{case.tracking_number}"
    assert other_staff_client.get(url).status_code == 404
    assert post(other_staff_client, f"{url}/steps/accept", {}).status_code == 404
    assert post(other_staff_client, f"{url}/personal", {}).status_code == 404
    detail = staff_client.get(url).json()
    assert detail["complainant_mobile"] == "139****5678"
    assert detail["available_steps"] == ["accept", "not_accept"]


def test_office_api_takes_steps_and_reveals_personal_data_with_an_audit(staff_client, case):
    url = f"/api/office/complaints/{case.tracking_number}"
    assert post(staff_client, f"{url}/steps/accept", {}).json()["status"] == "accepted"
    conflict = post(staff_client, f"{url}/steps/accept", {})
    assert conflict.status_code == 409
    personal = post(staff_client, f"{url}/personal", {}).json()
    assert personal["mobile"] == "13912345678"
    assert AuditEvent.objects.filter(event_type="complaint.personal_data").count() == 1


def test_the_office_api_needs_a_login(case):
    assert Client().get("/api/office/complaints").status_code == 401


def test_similar_cases_through_the_api(client, case):
    rows = client.get("/api/complaints/similar", {"respondent_name": "鹭佳电器商行"}).json()
    assert [r["tracking_number"] for r in rows] == [case.tracking_number]
