"""The case pages: the register with its filters, registering from a complaint, deciding,
revising after a confirmation, the publicity lists and the public pages."""

import pytest
from django.test import Client

from qualitymonth.core.models import AuditEvent
from qualitymonth.supervision.models import Case, Publicity
from tests.supervision.case_helpers import decide, fixed_today, open_case, published_case
from tests.supervision.conftest import login

pytestmark = pytest.mark.django_db
OFFICE = "/office/supervision/cases/"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    fixed_today(monkeypatch)


@pytest.fixture
def worker(inspectors):
    return inspectors[0].user


def test_the_register_lists_searches_and_masks_people(
    sv_unit, worker, django_assert_max_num_queries
):
    open_case(sv_unit, worker, person="王大明")
    open_case(sv_unit, worker, party_name="厦门市鹭岛电器商行")
    client = login(worker)
    with django_assert_max_num_queries(12):
        page = client.get(OFFICE)
    body = page.content.decode()
    assert page.status_code == 200 and "王*明" in body and "王大明" not in body
    found = client.get(OFFICE, {"q": "鹭岛", "status": "investigating"}).content.decode()
    assert "鹭岛电器" in found and "王*明" not in found
    assert client.get(OFFICE, {"date_from": "not a date"}).status_code == 200


def test_a_citizen_is_refused_and_another_unit_sees_nothing(
    sv_unit, worker, inspectors, citizen_user
):
    case = open_case(sv_unit, worker)
    assert login(citizen_user).get(OFFICE).status_code == 403
    other = login(inspectors[2].user)
    assert other.get(f"{OFFICE}{case.number}/").status_code == 404
    assert case.number not in other.get(OFFICE).content.decode()


def test_the_case_page_shows_a_person_unmasked_to_its_unit_and_records_it(sv_unit, worker):
    case = open_case(sv_unit, worker, person="王大明")
    page = login(worker).get(f"{OFFICE}{case.number}/")
    assert "王大明" in page.content.decode()
    assert AuditEvent.objects.filter(event_type="supervision.case.party_viewed").count() == 1


def test_a_case_opened_from_a_complaint_is_prefilled_and_linked(
    sv_unit, office_user, campaign, monkeypatch
):
    from qualitymonth.complaints.services import CaseInput, complaint_submit

    monkeypatch.setattr(
        "qualitymonth.complaints.routing.router.classify", lambda text: {}, raising=False
    )
    complaint = complaint_submit(
        data=CaseInput(
            kind="report",
            complainant_name="李小红",
            complainant_mobile="13912345678",
            respondent_name="厦门市某某食品店",
            facts="该店于九月一日销售已过保质期的面包。",
        ),
        region=campaign.region,
    )
    client = login(office_user)
    page = client.get(f"{OFFICE}new/", {"complaint": complaint.tracking_number})
    form = page.context["form"]
    assert (
        form.initial["source"] == "complaint" and form.initial["party_name"] == "厦门市某某食品店"
    )
    data = {
        "unit": sv_unit.pk,
        "source": "complaint",
        "procedure": "ordinary",
        "party_kind": "enterprise",
        "party_name": "厦门市某某食品店",
        "facts": "该店销售过期面包。",
        "complaint": complaint.tracking_number,
    }
    response = client.post(f"{OFFICE}new/", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.complaint == complaint
    office_page = client.get(f"/office/complaints/{complaint.tracking_number}/")
    assert office_page.status_code == 200
    assert case.number in office_page.content.decode()


def test_bad_input_on_the_register_form_stores_nothing(sv_unit, worker):
    data = {
        "unit": sv_unit.pk,
        "source": "x",
        "procedure": "ordinary",
        "party_kind": "person",
        "facts": "",
    }
    response = login(worker).post(f"{OFFICE}new/", data)
    assert response.status_code == 400
    assert {"source", "facts"} <= set(response.context["form"].errors)
    assert not Case.objects.exists()


def test_deciding_then_revoking_after_a_confirmation(sv_unit, worker, sv_manager):
    case = open_case(sv_unit, worker)
    client = login(worker)
    decision = {
        "decisions": ["fine"],
        "fine_amount": "8000",
        "decision_number": "厦市监罚〔2026〕7号",
        "decided_on": "2026-11-02",
        "decision_text": "罚款8000元。",
    }
    assert client.post(f"{OFFICE}{case.number}/decision/", decision).status_code == 302
    assert Publicity.objects.get(case=case).period == "3m"
    change = {"change": "revoke", "changed_on": "2026-11-10", "reason": "复议撤销"}
    first = client.post(f"{OFFICE}{case.number}/change/", change)
    assert first.status_code == 200 and first.context["confirm"]
    case.refresh_from_db()
    assert case.status == "decided"
    second = client.post(f"{OFFICE}{case.number}/change/", {**change, "confirmed": "yes"})
    assert second.status_code == 302
    case.refresh_from_db()
    assert case.status == "revoked"


def test_the_publicity_tabs_and_publishing_after_confirmation(sv_unit, worker, sv_manager):
    late = decide(open_case(sv_unit, worker), worker, on=__import__("datetime").date(2026, 9, 1))
    client = login(sv_manager)
    overdue = client.get(f"{OFFICE}publicity/", {"tab": "overdue"})
    assert late.number in overdue.content.decode()
    assert client.get(f"{OFFICE}publicity/", {"tab": "nonsense"}).status_code == 200
    url = f"{OFFICE}publicity/{late.number}/publish/"
    assert client.get(url).status_code == 200
    assert Publicity.objects.get(case=late).status == "due"
    assert client.post(url).status_code == 302
    assert Publicity.objects.get(case=late).status == "published"
    assert login(worker).post(url).status_code == 403


def test_public_pages_show_published_records_without_personal_data(sv_unit, worker, sv_manager):
    published_case(sv_unit, worker, sv_manager)
    case = open_case(
        sv_unit, worker, person="王大明", facts="王大明向消费者李四（电话13800001111）售假。"
    )
    decide(case, worker)
    anonymous = Client()
    page = anonymous.get("/supervision/penalties/")
    body = page.content.decode()
    assert page.status_code == 200 and "罚款" in body
    assert "王大明" not in body and "13800001111" not in body
    assert (
        anonymous.get("/supervision/penalties/", {"page": "99999999999999999999"}).status_code
        == 200
    )
    assert anonymous.get("/supervision/typical-cases/").status_code == 200
    assert anonymous.get("/supervision/typical-cases/999/").status_code == 404
