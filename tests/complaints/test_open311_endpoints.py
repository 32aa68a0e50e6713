"""Open311 GeoReport v2 conformance: every endpoint in JSON and XML, and the error cases."""

import xml.etree.ElementTree as ET

import pytest

from qualitymonth.complaints.models import Complaint, Open311Key
from qualitymonth.complaints.services import complaint_step

pytestmark = pytest.mark.django_db
KEY = "test-open311-key"


@pytest.fixture
def api_key(db):
    key = Open311Key(name="city app")
    key.set_key(KEY)
    key.save()
    return key


def form(**overrides):
    data = {
        "api_key": KEY,
        "service_code": "complaint",
        "first_name": "小红",
        "last_name": "李",
        "phone": "13912345678",
        "email": "li@example.com",
        "description": "购买的电饭煲使用两次后无法加热，商家拒绝退换。",
        "address_string": "湖里区嘉禾路88号",
        "lat": "24.5120",
        "long": "118.1400",
        "attribute[complainant_address]": "思明区湖滨南路100号",
        "attribute[respondent_name]": "鹭佳电器商行",
        "attribute[respondent_address]": "湖里区嘉禾路88号",
        "attribute[request]": "退货退款",
        "attribute[district]": "350206",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def test_services_list_in_json_and_xml(client, region):
    services = client.get("/open311/v2/services.json").json()
    assert {s["service_code"] for s in services} == {"complaint", "report", "enquiry", "suggestion"}
    assert all(s["metadata"] is True and s["type"] == "realtime" for s in services)
    root = xml(client.get("/open311/v2/services.xml"))
    assert root.tag == "services"
    assert len(root.findall("service/service_code")) == 4


def test_service_definition_lists_attributes_with_the_citys_districts(client, region):
    definition = client.get("/open311/v2/services/complaint.json").json()
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert attributes["respondent_name"]["required"] is True
    assert attributes["respondent_uscc"]["required"] is False
    districts = {v["name"] for v in attributes["district"]["values"]}
    assert "湖里区" in districts
    root = xml(client.get("/open311/v2/services/enquiry.xml"))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/code") is not None
    missing = client.get("/open311/v2/services/praise.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404


def test_posting_a_request_files_a_case(client, region, unit, route, api_key):
    route(unit.code, 0.9)
    response = client.post("/open311/v2/requests.json", form())
    assert response.status_code == 200, response.content
    [answer] = response.json()
    case = Complaint.objects.get(tracking_number=answer["service_request_id"])
    assert case.channel == "open311"
    assert case.complainant_name == "李小红"
    assert case.district.name == "湖里区"
    assert str(case.latitude) == "24.512000"
    assert "Decision due" in answer["service_notice"]
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def test_posting_in_xml(client, region, route, api_key):
    root = xml(client.post("/open311/v2/requests.xml", form(service_code="enquiry")))
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text.isdigit()


@pytest.mark.parametrize(
    ("overrides", "status", "text"),
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"service_code": "praise"}, 400, "service_code"),
        ({"phone": "123"}, 400, "phone"),
        ({"attribute[respondent_name]": ""}, 400, "attribute[respondent_name]"),
        ({"description": ""}, 400, "description"),
        ({"lat": "north"}, 400, "lat"),
    ],
)
def test_posting_errors_in_the_standards_shape(
    client, region, route, api_key, overrides, status, text
):
    response = client.post("/open311/v2/requests.json", form(**overrides))
    assert response.status_code == status
    errors = response.json()
    assert all(set(e) == {"code", "description"} and e["code"] == status for e in errors)
    assert any(text in e["description"] for e in errors)
    assert not Complaint.objects.exists()


def test_a_revoked_key_is_refused_and_errors_come_in_xml_too(client, region, api_key):
    Open311Key.objects.update(is_active=False)
    root = xml(client.post("/open311/v2/requests.xml", form()))
    assert root.tag == "errors"
    assert root.find("error/code").text == "403"


def test_listing_requests_by_id_status_and_date_without_personal_data(
    client, region, unit, route, api_key, staff_user
):
    route(unit.code, 0.9)
    first = client.post("/open311/v2/requests.json", form()).json()[0]["service_request_id"]
    second = client.post(
        "/open311/v2/requests.json", form(phone="13700001111", service_code="enquiry")
    ).json()[0]["service_request_id"]
    case = Complaint.objects.get(tracking_number=second)
    complaint_step(complaint=case, step="answer", acting_user=staff_user, message="已答复您的咨询")
    rows = client.get("/open311/v2/requests.json").json()
    assert {r["service_request_id"] for r in rows} == {first, second}
    by_id = {r["service_request_id"]: r for r in rows}
    assert by_id[first]["status"] == "open" and by_id[second]["status"] == "closed"
    assert by_id[second]["status_notes"] == "已答复您的咨询"
    assert by_id[first]["agency_responsible"] == unit.name
    # The map point posted (often the citizen's home) is not published; the district is.
    assert by_id[first]["lat"] is None and by_id[first]["long"] is None
    assert by_id[first]["address"].startswith("湖里区")
    body = client.get("/open311/v2/requests.json").content.decode()
    for personal in ("13912345678", "李小红", "湖滨南路", "li@example.com"):
        assert personal not in body
    assert [
        r["service_request_id"]
        for r in client.get("/open311/v2/requests.json", {"status": "closed"}).json()
    ] == [second]
    assert [
        r["service_request_id"]
        for r in client.get("/open311/v2/requests.json", {"service_code": "complaint"}).json()
    ] == [first]
    assert (
        client.get(
            "/open311/v2/requests.json",
            {"start_date": "2000-01-01T00:00:00Z", "end_date": "2000-02-01T00:00:00Z"},
        ).json()
        == []
    )
    picked = client.get("/open311/v2/requests.json", {"service_request_id": f"{first},nope"}).json()
    assert [r["service_request_id"] for r in picked] == [first]
    root = xml(client.get("/open311/v2/requests.xml"))
    assert len(root.findall("request")) == 2


@pytest.mark.parametrize(
    "params",
    [{"start_date": "yesterday"}, {"status": "pending"}, {"service_code": "praise"},
     {"start_date": "2025-02-01", "end_date": "2025-01-01"},
     {"start_date": "2025-02-30T00:00:00"}, {"end_date": "2025-09-01T24:00:00"},
     {"end_date": "2025-09-01T00:00:00+25:00"}, {"start_date": "0001-01-01"},
     {"end_date": "9999-12-31T23:59:59-23:59"}],
)  # fmt: skip
def test_bad_filters_are_400_errors(client, region, params):
    response = client.get("/open311/v2/requests.json", params)
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    root = xml(client.get("/open311/v2/requests.xml", params))
    assert root.tag == "errors" and root.find("error/code").text == "400"


def test_one_request_by_id(client, region, route, api_key):
    number = client.post("/open311/v2/requests.json", form()).json()[0]["service_request_id"]
    [row] = client.get(f"/open311/v2/requests/{number}.json").json()
    assert row["service_request_id"] == number and row["service_code"] == "complaint"
    assert row["requested_datetime"].endswith("+08:00")
    root = xml(client.get(f"/open311/v2/requests/{number}.xml"))
    assert root.find("request/service_request_id").text == number
    missing = client.get("/open311/v2/requests/000.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def test_posting_is_rate_limited_per_key(client, region, route, api_key, monkeypatch):
    monkeypatch.setattr("qualitymonth.complaints.open311.POST_LIMIT", (1, 60))
    assert client.post("/open311/v2/requests.json", form()).status_code == 200
    response = client.post("/open311/v2/requests.json", form(phone="13700001111"))
    assert response.status_code == 429
    assert response.json()[0]["code"] == 429


def test_other_methods_are_refused(client, region):
    assert client.delete("/open311/v2/requests.json").status_code == 405
    assert client.post("/open311/v2/services.json").status_code == 405


def test_numbers_in_the_facts_are_masked_in_public_reads(client, region, route, api_key):
    facts = "商家电话是13700001111，他让我打这个号码，购买的电饭煲两次后无法加热。"
    client.post("/open311/v2/requests.json", form(description=facts))
    body = client.get("/open311/v2/requests.json").content.decode()
    assert "13700001111" not in body and "1111" not in body
    assert "[已隐去]" in body and "无法加热" in body
