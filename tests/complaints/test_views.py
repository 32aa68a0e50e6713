import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from qualitymonth.complaints.models import Complaint, ProblemGroup
from qualitymonth.complaints.services import complaint_step, complaint_submit
from qualitymonth.core.models import AuditEvent
from tests.complaints.conftest import complaint_data, png_upload

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "complaint",
    "complainant_name": "李小红",
    "complainant_mobile": "139 1234 5678",
    "complainant_address": "思明区湖滨南路100号",
    "respondent_name": "鹭佳电器商行",
    "respondent_address": "湖里区嘉禾路88号",
    "request": "退货退款",
    "facts": "购买的电饭煲使用两次后无法加热，商家拒绝退换。",
    "district": "350206",
    "amount": "399",
}


def test_the_public_form_files_a_case_and_shows_the_tracking_number(client, region, unit, route):
    route(unit.code, 0.9)
    page = client.get(reverse("complaints:new"))
    assert page.status_code == 200
    assert "湖里区" in page.content.decode()
    response = client.post(reverse("complaints:new"), {**FORM, "attachments": [png_upload()]})
    case = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:submitted", args=[case.tracking_number])
    page = client.get(response["Location"])
    assert case.tracking_number in page.content.decode()
    assert case.attachments.count() == 1
    assert case.district.name == "湖里区"


def test_bad_input_keeps_everything_typed_and_names_the_field(client, region, route):
    response = client.post(reverse("complaints:new"), {**FORM, "complainant_mobile": "12"})
    html = response.content.decode()
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert "购买的电饭煲使用两次后无法加热" in html
    assert "鹭佳电器商行" in html
    assert "has-error" in html
    assert "手机号" in html or "mobile" in html


def test_similar_open_cases_are_suggested_while_typing(client, case):
    response = client.get(
        reverse("complaints:similar"), {"respondent_name": "厦门市湖里区鹭佳电器商行"}
    )
    html = response.content.decode()
    assert f"join={case.tracking_number}" in html
    assert "李" not in html  # no complainant's name
    assert (
        client.get(reverse("complaints:similar"), {"respondent_name": "无关商店"}).content.strip()
        == b""
    )


def test_the_complainant_follows_the_case_with_the_last_four_digits(case, staff_user):
    complaint_step(complaint=case, step="accept", acting_user=staff_user)
    browser = Client()
    wrong = browser.post(
        reverse("complaints:track"),
        {"tracking_number": case.tracking_number, "mobile_last4": "0000"},
    )
    assert wrong.status_code == 200
    assert browser.get(reverse("complaints:case", args=[case.tracking_number])).status_code == 302
    right = browser.post(
        reverse("complaints:track"),
        {"tracking_number": case.tracking_number, "mobile_last4": "5678"},
    )
    assert right.status_code == 302
    page = browser.get(right["Location"]).content.decode()
    assert case.tracking_number in page
    assert "13912345678" not in page
    assert "139****5678" in page


def test_the_complainant_rates_the_answer(case, staff_user):
    for step in ("accept", "mediate"):
        complaint_step(complaint=case, step=step, acting_user=staff_user)
    complaint_step(complaint=case, step="agree", acting_user=staff_user, message="商家同意退款")
    browser = Client()
    browser.post(
        reverse("complaints:track"),
        {"tracking_number": case.tracking_number, "mobile_last4": "5678"},
    )
    page = browser.get(reverse("complaints:case", args=[case.tracking_number])).content.decode()
    assert "商家同意退款" in page
    bad = browser.post(reverse("complaints:rate", args=[case.tracking_number]), {"score": "9"})
    assert bad.status_code == 400
    good = browser.post(reverse("complaints:rate", args=[case.tracking_number]), {"score": "5"})
    assert good.status_code == 302
    case.refresh_from_db()
    assert case.satisfaction == 5


def test_a_stranger_cannot_rate_or_see_a_case(case):
    stranger = Client()
    assert (
        stranger.post(
            reverse("complaints:rate", args=[case.tracking_number]), {"score": "1"}
        ).status_code
        == 404
    )


def test_the_public_board_shows_problems_without_personal_data(client, region, unit, route):
    route(unit.code, 0.9)
    for mobile in ("13900000001", "13900000002", "13900000003"):
        complaint_submit(data=complaint_data(complainant_mobile=mobile), region=region)
    html = client.get(reverse("complaints:board")).content.decode()
    assert "李小红" not in html and "李*红" not in html
    assert "1390000" not in html
    assert "鹭佳" not in html  # the business only through the office's public title
    ProblemGroup.objects.update(public_title="电饭煲质量问题集中投诉")
    assert "电饭煲质量问题集中投诉" in client.get(reverse("complaints:board")).content.decode()


def test_office_lists_need_a_login(client):
    response = client.get(reverse("office_complaints:cases"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_unit_staff_see_their_cases_masked(staff_client, case):
    html = staff_client.get(reverse("office_complaints:cases")).content.decode()
    assert case.tracking_number in html
    detail = staff_client.get(reverse("office_complaints:case", args=[case.tracking_number]))
    html = detail.content.decode()
    assert "139****5678" in html and "13912345678" not in html


def test_showing_personal_data_is_audited(staff_client, staff_user, case):
    response = staff_client.post(reverse("office_complaints:personal", args=[case.tracking_number]))
    assert "13912345678" in response.content.decode()
    assert AuditEvent.objects.filter(
        event_type="complaint.personal_data", actor=staff_user, outcome="success"
    ).exists()


def test_another_unit_cannot_reach_the_case_by_url(other_staff_client, case):
    for name in ("case", "personal", "step", "move"):
        url = reverse(f"office_complaints:{name}", args=[case.tracking_number])
        response = (
            other_staff_client.post(url, {"step": "accept"})
            if name != "case"
            else other_staff_client.get(url)
        )
        assert response.status_code == 404, name
    listing = other_staff_client.get(reverse("office_complaints:cases")).content.decode()
    assert case.tracking_number not in listing


def test_a_citizen_has_no_back_office(citizen_client, case):
    assert citizen_client.get(reverse("office_complaints:cases")).status_code == 403


def test_the_handler_takes_a_step_from_the_case_page(staff_client, case):
    response = staff_client.post(
        reverse("office_complaints:step", args=[case.tracking_number]),
        {"step": "accept", "message": ""},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Complaint.Status.ACCEPTED


def test_a_refused_step_is_shown_not_a_500(staff_client, case):
    response = staff_client.post(
        reverse("office_complaints:step", args=[case.tracking_number]),
        {"step": "agree", "message": "x"},
    )
    assert response.status_code == 400
    assert "not possible now" in response.content.decode() or "不能" in response.content.decode()


def test_triage_and_hotspots_are_for_the_office(staff_client, office_client, case):
    assert staff_client.get(reverse("office_complaints:triage")).status_code == 403
    assert staff_client.get(reverse("office_complaints:hotspots")).status_code == 403
    assert office_client.get(reverse("office_complaints:triage")).status_code == 200
    assert office_client.get(reverse("office_complaints:hotspots")).status_code == 200


def test_the_office_records_what_was_done_about_a_hotspot(office_client, case):
    group = case.group
    empty = office_client.post(
        reverse("office_complaints:hotspot_action", args=[group.pk]), {"action": "done"}
    )
    assert empty.status_code == 302
    group.refresh_from_db()
    assert group.action == "none"  # refused: nothing said about what was done
    office_client.post(
        reverse("office_complaints:hotspot_action", args=[group.pk]),
        {"action": "done", "note": "已约谈商家，完成整改", "public_title": "电饭煲售后问题"},
    )
    group.refresh_from_db()
    assert group.action == "done" and group.public_title == "电饭煲售后问题"
    assert AuditEvent.objects.filter(event_type="hotspot.action").exists()


def test_export_leaves_personal_data_out_unless_asked_and_allowed(staff_client, case):
    plain = staff_client.get(reverse("office_complaints:export"))
    rows = list(load_workbook(io.BytesIO(plain.content)).active.values)
    assert rows[1][0] == case.tracking_number
    assert "139****5678" in rows[1] and "13912345678" not in rows[1]
    full = staff_client.get(reverse("office_complaints:export") + "?personal=1")
    rows = list(load_workbook(io.BytesIO(full.content)).active.values)
    assert "13912345678" in rows[1]
    assert AuditEvent.objects.filter(event_type="complaint.export").count() == 2


def test_lists_take_a_fixed_number_of_queries(
    staff_client, region, unit, route, django_assert_max_num_queries
):
    route(unit.code, 0.9)
    for n in range(12):
        complaint_submit(data=complaint_data(complainant_mobile=f"1390000{n:04d}"), region=region)
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("office_complaints:cases"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        "?due=soon",
        "?due=overdue",
        "?status=open",
        "?q=鹭佳",
        "?q=2022",
        "?page=999",
        "?status=bogus&kind=x",
    ],
)
def test_filters_never_fail(staff_client, case, params):
    assert staff_client.get(reverse("office_complaints:cases") + params).status_code == 200


def test_attachments_open_only_for_the_handlers_in_a_sandbox(
    staff_client, other_staff_client, region, unit, route
):
    route(unit.code, 0.9)
    case = complaint_submit(data=complaint_data(attachments=[png_upload()]), region=region)
    item = case.attachments.get()
    url = reverse("office_complaints:attachment", args=[case.tracking_number, item.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert other_staff_client.get(url).status_code == 404
    assert AuditEvent.objects.filter(event_type="complaint.attachment_viewed").count() == 1


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_script_typed_into_any_field_is_shown_as_text(staff_client, region, unit, route):
    route(unit.code, 0.9)
    case = complaint_submit(
        data=complaint_data(
            respondent_name=XSS[:200],
            facts=f"商品有问题 {XSS}",
            request=XSS,
            product_or_service=XSS[:120],
            location=XSS[:200],
        ),
        region=region,
    )
    html = staff_client.get(reverse("office_complaints:case", args=[case.tracking_number]))
    body = html.content.decode()
    assert "<script>alert" not in body and "onerror=alert(1)>" not in body
    assert "&lt;script&gt;" in body


def test_nul_bytes_and_huge_input_are_refused_cleanly(client, region, route):
    response = client.post(reverse("complaints:new"), {**FORM, "facts": "坏了\x00"})
    # The form names the field and keeps everything typed (core/forms.py).
    assert response.status_code == 200
    assert "U+0000" in response.content.decode() and "鹭佳电器商行" in response.content.decode()
    response = client.post(reverse("complaints:new"), {**FORM, "facts": "很" * 20000})
    assert response.status_code == 200
    assert "5000" in response.content.decode()
    assert not Complaint.objects.exists()
