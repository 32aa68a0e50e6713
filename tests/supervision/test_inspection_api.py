"""The inspection API: the same flow as the pages (start, answer, photo, hazard, representative,
two signatures), errors by field, 404 for what the caller may not see, the office's list and
checklists."""

import json

import pytest

from qualitymonth.supervision.models import Checklist, Hazard, Inspection
from tests.supervision.conftest import login
from tests.supervision.inspection_helpers import (  # noqa: F401 (fixtures)
    drawn_fixture,
    fixed_day_fixture,
    inspection_fixture,
    photo_upload,
)

pytestmark = pytest.mark.django_db


def _json(client, method, url, body=None):
    return getattr(client, method)(
        url, data=json.dumps(body or {}), content_type="application/json"
    )


def test_an_inspection_through_the_api_from_start_to_hazards(drawn, inspectors):
    first, second = login(inspectors[0].user), login(inspectors[2].user)
    mine = first.get("/api/inspect/mine").json()
    assert [d["id"] for d in mine["drawn"]] == [drawn.pk] and mine["in_progress"] == []
    started = _json(first, "post", "/api/inspect/inspections", {"drawn_id": drawn.pk})
    assert started.status_code == 201, started.content
    detail = started.json()
    number, items = detail["number"], detail["items"]
    assert detail["checklist"]["code"] == "canteen" and len(items) == 10
    base = f"/api/inspect/inspections/{number}"
    for item in items:
        verdict = "not_compliant" if item["order"] in (2, 7) else "compliant"
        answered = _json(first, "put", f"{base}/answers/{item['id']}", {"verdict": verdict})
        assert answered.status_code == 200 and answered.json()["verdict"] == verdict
    for item in (i for i in items if i["order"] in (2, 7)):
        added = first.post(
            f"{base}/photos", {"item_id": item["id"], "photo": photo_upload(gps=True)}
        )
        assert added.status_code == 201, added.content
        assert added.json()["latitude"] is None  # not the office
        hazard = _json(
            first,
            "post",
            f"{base}/hazards",
            {"item_id": item["id"], "description": "问题", "order_text": "整改"},
        )
        assert hazard.status_code == 200 and hazard.json()["deadline"] == "2026-09-30"
    signed = first.post(f"{base}/sign")
    assert (
        signed.status_code == 400 and "单位负责人" in signed.json()["detail"]
    )  # the representative
    rep = _json(first, "post", f"{base}/representative", {"name": "王园长"})
    assert rep.status_code == 200 and rep.json()["missing"] == []
    assert first.post(f"{base}/sign").status_code == 200
    assert first.post(f"{base}/sign").status_code == 409  # signed already
    done = second.post(f"{base}/sign").json()
    assert done["status"] == "signed" and done["result"] == "rectify"
    assert Hazard.objects.filter(inspection__number=number).count() == 2
    again = _json(first, "put", f"{base}/answers/{items[0]['id']}", {"verdict": "not_applicable"})
    assert again.status_code == 409


def test_bad_input_is_refused_by_field_and_others_get_404(
    inspection, inspectors, citizen_user, enterprise_user
):
    client = login(inspectors[0].user)
    base = f"/api/inspect/inspections/{inspection.number}"
    item = inspection.checklist.items.first()
    bad = _json(client, "put", f"{base}/answers/{item.pk}", {"verdict": "maybe"})
    assert bad.status_code == 400 and "verdict" in bad.json()["errors"]
    assert (
        _json(client, "put", f"{base}/answers/999999", {"verdict": "compliant"}).status_code == 404
    )
    hazard = _json(
        client,
        "post",
        f"{base}/hazards",
        {"item_id": item.pk, "description": "x", "order_text": "y"},
    )
    assert hazard.status_code == 409 and "item_id" in hazard.json()["errors"]
    photo = client.post(f"{base}/photos", {"item_id": item.pk})
    assert photo.status_code == 400 and "photo" in photo.json()["errors"]
    both = _json(client, "post", "/api/inspect/inspections", {})
    assert both.status_code == 400 and "drawn_id" in both.json()["errors"]
    for outsider in (inspectors[3].user, citizen_user, enterprise_user):
        assert login(outsider).get(base).status_code == 404
        response = _json(
            login(outsider), "put", f"{base}/answers/{item.pk}", {"verdict": "compliant"}
        )
        assert response.status_code == 404
    assert not inspection.answers.exists()


def test_the_office_lists_inspections_and_revises_a_checklist(
    campaign, inspection, office_user, inspectors, citizen_user
):
    office = login(office_user)
    listed = office.get("/api/office/supervision/inspections?status=in_progress").json()
    assert [i["number"] for i in listed["items"]] == [inspection.number]
    assert office.get("/api/office/supervision/inspections?status=nonsense").status_code == 400
    assert login(inspectors[3].user).get("/api/office/supervision/inspections").json()["count"] == 0
    assert login(citizen_user).get("/api/office/supervision/inspections").status_code == 403
    checklists = office.get("/api/office/supervision/checklists").json()
    assert {c["code"] for c in checklists} == {"canteen", "elevator", "sampling"}
    saved = _json(
        office,
        "post",
        "/api/office/supervision/checklists",
        {"code": "elevator", "items": [{"text": "轿厢照明完好"}, {"text": "层门关闭可靠"}]},
    )
    assert saved.status_code == 201 and saved.json()["version"] == 2
    assert [i["order"] for i in saved.json()["items"]] == [1, 2]
    new = _json(
        office,
        "post",
        "/api/office/supervision/checklists",
        {
            "code": "night-market",
            "title": "夜市检查表",
            "subject_kind": "enterprise",
            "items": [{"text": "摊位亮照经营"}],
        },
    )
    assert new.status_code == 201 and new.json()["version"] == 1
    empty = _json(
        office, "post", "/api/office/supervision/checklists", {"code": "canteen", "items": []}
    )
    assert empty.status_code == 400 and "items" in empty.json()["errors"]
    assert (
        _json(
            login(inspectors[0].user),
            "post",
            "/api/office/supervision/checklists",
            {"code": "canteen", "items": []},
        ).status_code
        == 403
    )
    assert Checklist.objects.filter(code="canteen").count() == 1
    assert Inspection.objects.get().checklist.version == 1
