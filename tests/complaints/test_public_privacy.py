"""Public reads of complaints carry no personal data: the Open311 feed and the 关键小事 board."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from qualitymonth.complaints.models import Complaint, Open311Key, ProblemGroup
from qualitymonth.complaints.services import complaint_submit
from qualitymonth.core.privacy import MASK
from tests.complaints.conftest import complaint_data

pytestmark = pytest.mark.django_db
KEY = "test-open311-privacy-key"
HOME = "我叫张三丰，住思明区莲花路88号3号楼1201室"
FACTS = (
    f"{HOME}。电饭煲两次后无法加热，商家不退。请打138-0013-8000或+8613912345678，"
    "邮箱zhang.sanfeng@example.com，身份证350203199001011234。"
)
# Every piece of the above a public reader must not get back, in any spelling.
PERSONAL = [
    "张三丰",
    "88号",
    "1201",
    "138-0013-8000",
    "13800138000",
    "0013",
    "13912345678",
    "8613912345678",
    "zhang.sanfeng",
    "example.com",
    "350203199001011234",
    "24.4799",
    "118.0894",
]


@pytest.fixture
def api_key(db):
    key = Open311Key(name="city app")
    key.set_key(KEY)
    key.save()
    return key


def open311_post(client, **overrides):
    data = {
        "api_key": KEY,
        "service_code": "complaint",
        "first_name": "三丰",
        "last_name": "张",
        "phone": "13800138000",
        "description": FACTS,
        "address_string": "思明区莲花路88号3号楼1201室",
        "lat": "24.479912",
        "long": "118.089425",
        "attribute[complainant_address]": "思明区莲花路88号3号楼1201室",
        "attribute[respondent_name]": "鹭佳电器商行",
        "attribute[respondent_address]": "湖里区嘉禾路88号",
        "attribute[request]": "退货退款",
        "attribute[district]": "350203",
    }
    data.update(overrides)
    response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 200, response.content
    return response.json()[0]["service_request_id"]


def assert_nothing_personal(body: str) -> None:
    for personal in PERSONAL:
        assert personal not in body, personal


def test_open311_json_carries_no_personal_data_and_no_coordinates(client, region, route, api_key):
    number = open311_post(client)
    for url in ("/open311/v2/requests.json", f"/open311/v2/requests/{number}.json"):
        response = client.get(url)
        assert_nothing_personal(response.content.decode())
        [row] = response.json()
        assert row["lat"] is None and row["long"] is None
        # What the public may know stays: the problem, the road, the district.
        assert "电饭煲两次后无法加热" in row["description"] and MASK in row["description"]
        assert row["address"].startswith("思明区") and "莲花路" in row["address"]


def test_open311_xml_carries_no_personal_data_and_no_coordinates(client, region, route, api_key):
    number = open311_post(client)
    for url in ("/open311/v2/requests.xml", f"/open311/v2/requests/{number}.xml"):
        response = client.get(url)
        assert_nothing_personal(response.content.decode())
        request = ET.fromstring(response.content).find("request")
        assert not request.findtext("lat") and not request.findtext("long")
        assert "电饭煲两次后无法加热" in request.findtext("description")


def test_the_case_itself_keeps_what_was_typed_for_staff(client, region, route, api_key):
    number = open311_post(client)
    case = Complaint.objects.get(tracking_number=number)
    assert case.facts == FACTS and case.latitude is not None


def test_a_report_is_listed_without_its_facts_place_or_answer(
    client, region, unit, route, api_key, staff_user
):
    route(unit.code, 0.9)
    number = open311_post(
        client,
        service_code="report",
        description="鹭佳电器商行在莲花路88号后门仓库销售翻新电饭煲，我是店员李四。",
        address_string="莲花路88号后门仓库",
    )
    Complaint.objects.filter(tracking_number=number).update(final_answer="经查翻新电饭煲属实。")
    [row] = client.get(f"/open311/v2/requests/{number}.json").json()
    assert "翻新" not in row["description"] and "举报内容不公开" in row["description"]
    assert row["address"] == "思明区"
    assert row["status_notes"] == ""
    assert row["lat"] is None
    assert "翻新" not in client.get("/open311/v2/requests.xml").content.decode()


def test_office_answers_in_the_feed_are_scrubbed_too(client, region, route, api_key):
    number = open311_post(client)
    Complaint.objects.filter(tracking_number=number).update(
        final_answer="已电话联系13800138000，商家同意退款。"
    )
    [row] = client.get(f"/open311/v2/requests/{number}.json").json()
    assert "13800138000" not in row["status_notes"]
    assert "商家同意退款" in row["status_notes"]


def test_a_stored_control_character_does_not_break_the_xml_feed(client, region, route, api_key):
    number = open311_post(client)
    Complaint.objects.filter(tracking_number=number).update(
        facts="无法加热\x0b\x01\x1f，商家不退\ufffe", location="莲花路\x08口"
    )
    response = client.get("/open311/v2/requests.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # a parser refuses any of them
    assert root.findtext("request/description") == "无法加热，商家不退"
    assert root.findtext("request/address") == "思明区 莲花路口"


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2025-02-30T00:00:00"},
        {"start_date": "2025-09-01T24:00:00"},
        {"end_date": "2025-09-01T00:00:00+25:00"},
        {"start_date": "0001-01-01"},
        {"end_date": "9999-12-31T23:59:59-23:59"},
        {"start_date": "0001-01-01T00:00:00+23:59"},
        {"end_date": "9999-12-31"},
        {"start_date": "garbage"},
        {"start_date": "2025-13-01"},
        {"end_date": "2025-09-01" * 100},
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_impossible_dates_are_400_in_the_open311_error_shape(client, region, params, fmt):
    response = client.get(f"/open311/v2/requests.{fmt}", params)
    assert response.status_code == 400
    if fmt == "json":
        [error] = response.json()
        assert error["code"] == 400 and set(error) == {"code", "description"}
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors" and root.findtext("error/code") == "400"
        assert root.findtext("error/description")


def test_dates_with_an_offset_and_plain_days_still_filter(client, region, route, api_key):
    open311_post(client)
    # "+" arrives as a space when a client does not encode it.
    inside = client.get(
        "/open311/v2/requests.json?start_date=2000-01-01T00:00:00+08:00&end_date=2099-12-31"
    )
    assert inside.status_code == 200 and len(inside.json()) == 1
    before = client.get("/open311/v2/requests.json", {"end_date": "2000-01-01"})
    assert before.status_code == 200 and before.json() == []


def test_the_board_scrubs_the_offices_titles_and_notes(client, region, unit, route):
    route(unit.code, 0.9)
    for mobile in ("13900000001", "13900000002"):
        complaint_submit(data=complaint_data(complainant_mobile=mobile, facts=FACTS), region=region)
    ProblemGroup.objects.update(
        public_title="莲花路88号3号楼1201室住户反映电饭煲问题",
        action=ProblemGroup.Action.DONE,
        action_note="已电话13800138000回复我是张三丰的家属，商家已整改",
    )
    html = client.get(reverse("complaints:board")).content.decode()
    for personal in ("1201", "88号", "13800138000", "张三丰", "13900000001"):
        assert personal not in html, personal
    assert "莲花路" in html and "商家已整改" in html


def test_the_board_without_a_public_title_shows_category_and_nature(client, region, unit, route):
    route(unit.code, 0.9)
    for mobile in ("13900000001", "13900000002"):
        complaint_submit(data=complaint_data(complainant_mobile=mobile, facts=FACTS), region=region)
    html = client.get(reverse("complaints:board")).content.decode()
    assert "电饭煲两次后无法加热" not in html and "张三丰" not in html
    group = ProblemGroup.objects.get()
    assert str(group.get_category_display()) in html
