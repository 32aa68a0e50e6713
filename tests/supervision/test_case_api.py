"""The cases through the API: the same services and rights as the pages; a case another unit
may not see is 404; the public lists carry no personal data but a masked party."""

import json

import pytest

from qualitymonth.supervision.models import Case, Publicity, TypicalCase
from tests.supervision.case_helpers import decide, fixed_today, open_case, published_case
from tests.supervision.conftest import login

pytestmark = pytest.mark.django_db
BASE = "/api/office/supervision"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    fixed_today(monkeypatch)


@pytest.fixture
def worker(inspectors):
    return inspectors[0].user


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_a_case_is_registered_decided_and_published_through_the_api(
    sv_unit, worker, sv_manager, sv_enterprise
):
    client = login(worker)
    body = {
        "unit": sv_unit.code,
        "source": "referral",
        "party_kind": "enterprise",
        "enterprise_uscc": sv_enterprise.uscc,
        "facts": "经查，当事人使用过期食品原料。",
    }
    response = _post(client, f"{BASE}/cases", body)
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    assert response.json()["party_name"] == sv_enterprise.name
    decision = {
        "decisions": ["fine", "confiscate_goods"],
        "fine_amount": "30000",
        "decision_number": "厦市监罚〔2026〕88号",
        "decided_on": "2026-11-02",
        "decision_text": "没收过期原料并罚款三万元。",
    }
    response = _post(client, f"{BASE}/cases/{number}/decision", decision)
    assert response.status_code == 200, response.content
    assert response.json()["publicity"]["period"] == "3y"
    assert _post(client, f"{BASE}/publicity/{number}/publish", {}).status_code == 403
    response = _post(login(sv_manager), f"{BASE}/publicity/{number}/publish", {})
    assert response.status_code == 200 and response.json()["status"] == "published"
    public = json.loads(login(worker).get("/api/supervision/penalties").content)
    assert public["count"] == 1 and public["items"][0]["decision_number"] == "厦市监罚〔2026〕88号"


def test_bad_input_is_refused_by_field_and_nothing_is_stored(sv_unit, worker):
    client = login(worker)
    body = {"unit": sv_unit.code, "source": "nonsense", "party_kind": "person", "facts": " "}
    response = _post(client, f"{BASE}/cases", body)
    assert response.status_code == 400
    assert {"source", "party_name", "facts"} <= set(response.json()["errors"])
    assert not Case.objects.exists()


def test_another_unit_gets_404_and_a_citizen_403(sv_unit, worker, inspectors, citizen_user):
    case = open_case(sv_unit, worker)
    other = login(inspectors[2].user)  # an inspector of the other unit
    assert other.get(f"{BASE}/cases/{case.number}").status_code == 404
    assert other.get(f"{BASE}/cases").json()["count"] == 0
    response = _post(
        other,
        f"{BASE}/cases",
        {
            "unit": sv_unit.code,
            "source": "other",
            "party_kind": "enterprise",
            "party_name": "某公司",
            "facts": "事实",
        },
    )
    assert response.status_code == 400 and "unit" in response.json()["errors"]
    assert login(citizen_user).get(f"{BASE}/cases").status_code == 403


def test_a_state_conflict_is_409(sv_unit, worker):
    case = decide(open_case(sv_unit, worker), worker)
    body = {
        "decisions": ["warning"],
        "decision_number": "X-1",
        "decided_on": "2026-11-02",
        "decision_text": "警告",
    }
    response = _post(login(worker), f"{BASE}/cases/{case.number}/decision", body)
    assert response.status_code == 409


def test_early_removal_of_a_revoked_licence_is_refused(sv_unit, worker, sv_manager):
    case = published_case(sv_unit, worker, sv_manager, decisions=["licence_revocation"])
    body = {
        "why": "application",
        "reason": "申请",
        "carried_out": True,
        "harm_removed": True,
        "no_repeat": True,
        "not_listed": True,
    }
    response = _post(login(sv_manager), f"{BASE}/publicity/{case.number}/remove", body)
    assert response.status_code == 400 and response.json()["code"] == "not_allowed"
    assert Publicity.objects.get(case=case).status == "published"


def test_typical_case_flow_and_public_list_mask_a_person_party(
    sv_unit, worker, sv_manager, campaign
):
    case = open_case(
        sv_unit, worker, person="王大明", facts="王大明（电话13800001111）销售假冒白酒。"
    )
    decide(case, worker)
    from qualitymonth.supervision.services.publicity import publicity_publish

    publicity_publish(publicity=Publicity.objects.get(case=case), acting_user=sv_manager)
    client = login(worker)
    body = {
        "case_number": case.number,
        "campaign": campaign.slug,
        "domain": "product",
        "title": "销售假冒白酒案",
        "facts": "事实",
        "actions": "罚款",
        "warning": "警示",
    }
    response = _post(client, f"{BASE}/typical-cases", body)
    assert response.status_code == 201, response.content
    typical_id = response.json()["id"]
    assert _post(client, f"{BASE}/typical-cases/{typical_id}/submit", {}).status_code == 200
    assert _post(client, f"{BASE}/typical-cases/{typical_id}/approve", {}).status_code == 403
    response = _post(login(sv_manager), f"{BASE}/typical-cases/{typical_id}/approve", {})
    assert response.status_code == 200 and response.json()["status"] == "published"
    anonymous = pytest.importorskip("django.test").Client()
    listed = anonymous.get("/api/supervision/typical-cases?domain=product").json()
    assert [t["id"] for t in listed["items"]] == [typical_id]
    assert anonymous.get(f"/api/supervision/typical-cases/{typical_id}").status_code == 200
    penalties = json.dumps(anonymous.get("/api/supervision/penalties").json(), ensure_ascii=False)
    assert "王大明" not in penalties and "13800001111" not in penalties and "王*明" in penalties
    cases = client.get(f"{BASE}/cases").json()["items"]
    assert cases[0]["party_name"] == "王*明"
    assert TypicalCase.objects.get().status == "published"
