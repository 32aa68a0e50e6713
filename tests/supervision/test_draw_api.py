"""The draws through the API: the same services and checks as the pages; an object the caller
may not see is 404; the public results name no person."""

import datetime as dt
import json

import pytest

from qualitymonth.supervision.models import DrawnInspector, DrawnSubject, Plan, Task
from qualitymonth.supervision.services import draws as services
from tests.supervision import draw_helpers as h
from tests.supervision.conftest import login

pytestmark = pytest.mark.django_db
API = "/api/office/supervision"


def _post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_the_office_plans_makes_a_task_draws_records_and_publishes(
    campaign, office_client, office_user, sv_unit, inspectors, districts, client
):
    region = campaign.region
    h.canteens(region, districts, 10)
    h.check_item(region, "canteen-safety", max_share="30")
    response = _post(office_client, f"{API}/plans", {"year": 2022, "title": "年度计划"})
    assert response.status_code == 201, response.content
    plan_id = response.json()["id"]
    body = {
        "plan_id": plan_id,
        "title": "食堂抽查",
        "unit": sv_unit.code,
        "subject_kind": "canteen",
        "check_items": ["canteen-safety"],
        "districts": [d.code for d in districts],
        "share": "20",
        "starts_on": "2022-09-01",
        "ends_on": "2022-10-31",
    }
    response = _post(office_client, f"{API}/tasks", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["seed"] == "" and len(created["seed_digest"]) == 64
    number = created["number"]
    drawn = _post(office_client, f"{API}/tasks/{number}/draw")
    assert drawn.status_code == 200, drawn.content
    detail = drawn.json()
    assert detail["seed"] and detail["population"] == 10 and len(detail["drawn"]) == 2
    assert all(len(d["inspectors"]) == 2 for d in detail["drawn"])
    assert _post(office_client, f"{API}/tasks/{number}/draw").status_code == 409
    first = detail["drawn"][0]
    result = _post(
        office_client,
        f"{API}/drawn/{first['id']}/result",
        {"result": "no_problem", "on": "2022-09-15"},
    )
    assert result.status_code == 200 and result.json()["publish_due"]
    published = _post(office_client, f"{API}/tasks/{number}/publish", {})
    assert published.json() == {"published": 1, "status": "drawn"}
    listing = client.get("/api/supervision/results").json()
    assert listing["count"] == 1 and listing["items"][0]["number"] == number
    public = client.get(f"/api/supervision/results/{number}").json()
    assert [r["subject"] for r in public["results"]] == [first["subject"]]
    text = json.dumps(public, ensure_ascii=False)
    assert all(i.name not in text for i in inspectors)
    assert office_client.get(f"{API}/tasks?q={number}").json()["count"] == 1
    assert office_client.get(f"{API}/plans").json()["count"] == 1


def test_replacements_through_the_api(campaign, office_client, office_user, sv_unit, inspectors):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors, n_subjects=8, count=2)
    drawn = task.drawn.get(position=1)
    response = _post(office_client, f"{API}/drawn/{drawn.pk}/replace", {"reason": "已停业"})
    assert response.status_code == 201 and response.json()["replaces_id"] == drawn.pk
    assert (
        _post(office_client, f"{API}/drawn/{drawn.pk}/replace", {"reason": "again"}).status_code
        == 409
    )
    other = task.drawn.get(position=2)
    inspector = other.inspectors.first().inspector_id
    url = f"{API}/drawn/{other.pk}/inspectors/{inspector}/replace"
    response = _post(office_client, url, {"reason": "病假"})
    assert response.status_code == 201 and response.json()["inspector_id"] != inspector
    assert (
        _post(
            office_client, f"{API}/drawn/{other.pk}/inspectors/999999/replace", {"reason": "x"}
        ).status_code
        == 404
    )


def test_bad_input_is_refused_by_field_and_nothing_is_stored(
    campaign, office_client, office_user, sv_unit, districts
):
    plan = h.plan(campaign.region, office_user)
    h.check_item(campaign.region, "ci", max_share="5")
    body = {
        "plan_id": plan.pk,
        "title": "t",
        "unit": "nope",
        "subject_kind": "canteen",
        "check_items": ["ci"],
        "share": "10",
        "starts_on": "2022-09-01",
        "ends_on": "2022-10-01",
    }
    response = _post(office_client, f"{API}/tasks", body)
    assert response.status_code == 400 and "unit" in response.json()["errors"]
    response = _post(office_client, f"{API}/tasks", {**body, "unit": sv_unit.code})
    assert response.status_code == 400 and "share" in response.json()["errors"]
    response = _post(office_client, f"{API}/tasks", {**body, "unit": sv_unit.code, "share": None})
    assert response.status_code == 400 and "share" in response.json()["errors"]
    assert _post(office_client, f"{API}/plans", {"year": 1800, "title": "x"}).status_code == 422
    assert not Task.objects.exists() and Plan.objects.count() == 1


def test_forbidden_callers_get_403_or_404(
    campaign, office_user, sv_unit, inspectors, citizen_client, client, sv_other_unit
):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors)
    drawn = task.drawn.first()
    assert client.get(f"{API}/tasks").status_code == 401
    assert citizen_client.get(f"{API}/tasks").status_code == 403
    assert citizen_client.get(f"{API}/tasks/{task.number}").status_code == 404
    assert (
        _post(
            citizen_client,
            f"{API}/drawn/{drawn.pk}/result",
            {"result": "closed", "on": "2022-09-01"},
        ).status_code
        == 404
    )
    unit_staff = login(inspectors[0].user)
    assert unit_staff.get(f"{API}/tasks/{task.number}").status_code == 200
    assert _post(unit_staff, f"{API}/tasks/{task.number}/publish", {}).status_code == 403
    assert _post(unit_staff, f"{API}/drawn/{drawn.pk}/replace", {"reason": "x"}).status_code == 403
    assert _post(unit_staff, f"{API}/plans", {"year": 2023, "title": "x"}).status_code == 403
    assert client.get("/api/supervision/results/CC2022-00001").status_code == 404
    drawn.refresh_from_db()
    assert drawn.is_active and DrawnSubject.objects.count() == 3


def test_a_drawn_inspector_of_another_unit_records_a_result_without_an_inspection(
    campaign, office_user, sv_unit, inspectors, monkeypatch
):
    # A fixed seed: the same subjects and inspectors every run.
    monkeypatch.setattr(services.secrets, "token_hex", lambda n: "5e" * n)
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors, count=3)
    outsider = (
        DrawnInspector.objects.filter(drawn__task=task, inspector__unit__code="sei")
        .select_related("drawn", "inspector__user")
        .first()
    )
    drawn = outsider.drawn
    client = login(outsider.inspector.user)
    response = _post(
        client, f"{API}/drawn/{drawn.pk}/result", {"result": "refused", "on": "2022-09-02"}
    )
    assert response.status_code == 200, response.content
    assert (
        response.json()["publish_due"] == services.add_workdays(dt.date(2022, 9, 2), 20).isoformat()
    )
