"""The hazards' API: the list with its tabs and filters, one hazard, the reply (multipart), the
re-inspection, the extension and the enterprise's orders; the same refusals as the pages, and
"not found" for a hazard the caller may not see."""

import datetime as dt
import json

import pytest

from qualitymonth.supervision.models import Hazard, HazardReply
from qualitymonth.supervision.services import hazards as services
from tests.supervision import hazard_helpers as helpers
from tests.supervision.conftest import login
from tests.supervision.hazard_helpers import fake_upload, make_hazard, photo_upload

pytestmark = pytest.mark.django_db

# The hazard fixtures (hazard_helpers.py), visible to this module's tests.
hazard = helpers.hazard
other_enterprise_user = helpers.other_enterprise_user
stranger_inspector = helpers.stranger_inspector
today = helpers.today
unit_inspector = helpers.unit_inspector

S = Hazard.Status


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_list_gives_a_tab_with_its_clock(hazard, unit_inspector, sv_unit, elevator, today):
    late = make_hazard(sv_unit, elevator, deadline=today - dt.timedelta(days=1))
    client = login(unit_inspector)
    body = client.get("/api/inspect/hazards").json()
    assert body["count"] == 2
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id[late.pk]["overdue"] is True and by_id[hazard.pk]["overdue"] is False
    assert by_id[hazard.pk]["subject"]["name"] == hazard.subject.name
    overdue = client.get("/api/inspect/hazards?tab=overdue").json()
    assert [item["id"] for item in overdue["items"]] == [late.pk]
    kind = client.get("/api/inspect/hazards?kind=canteen").json()
    assert [item["id"] for item in kind["items"]] == [hazard.pk]
    assert client.get("/api/inspect/hazards?tab=rocket").status_code == 422


def test_the_list_is_refused_to_enterprises_and_citizens(hazard, enterprise_user, citizen_client):
    assert login(enterprise_user).get("/api/inspect/hazards").status_code == 403
    assert citizen_client.get("/api/inspect/hazards").status_code == 403


def test_one_hazard_for_the_unit_and_the_enterprise_and_not_for_others(
    hazard, unit_inspector, enterprise_user, other_enterprise_user, stranger_inspector
):
    body = login(unit_inspector).get(f"/api/inspect/hazards/{hazard.pk}").json()
    assert body["order_text"] == hazard.order_text and len(body["photos"]) == 1
    assert body["photos"][0]["url"].startswith(f"/inspect/hazards/{hazard.pk}/photos/")
    assert login(enterprise_user).get(f"/api/inspect/hazards/{hazard.pk}").status_code == 200
    for user in (other_enterprise_user, stranger_inspector):
        assert login(user).get(f"/api/inspect/hazards/{hazard.pk}").status_code == 404
    assert login(unit_inspector).get("/api/inspect/hazards/0").status_code == 404


def test_the_enterprise_replies_with_a_photo(hazard, enterprise_user):
    client = login(enterprise_user)
    response = client.post(
        f"/api/inspect/hazards/{hazard.pk}/replies",
        {"note": "已整改，附照片", "photo": photo_upload()},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["from_enterprise"] is True and body["photo_url"]
    hazard.refresh_from_db()
    assert hazard.status == S.ANSWERED
    assert client.get(body["photo_url"]).status_code == 200


def test_a_bad_reply_names_its_field(hazard, enterprise_user, other_enterprise_user):
    client = login(enterprise_user)
    url = f"/api/inspect/hazards/{hazard.pk}/replies"
    bad_photo = client.post(url, {"note": "已整改", "photo": fake_upload()})
    assert bad_photo.status_code == 400 and "photo" in bad_photo.json()["errors"]
    empty = client.post(url, {"note": "  "})
    assert empty.status_code == 400 and "note" in empty.json()["errors"]
    assert login(other_enterprise_user).post(url, {"note": "x"}).status_code == 404
    assert not HazardReply.objects.exists()


def test_reinspection_closes_and_a_second_one_conflicts(hazard, unit_inspector, today):
    client = login(unit_inspector)
    url = f"/api/inspect/hazards/{hazard.pk}/reinspection"
    no_note = _post(client, url, {"reinspected_on": today.isoformat(), "outcome": "close"})
    assert no_note.status_code == 400 and "note" in no_note.json()["errors"]
    body = {"reinspected_on": today.isoformat(), "outcome": "close", "note": "复查合格"}
    done = _post(client, url, body)
    assert done.status_code == 200 and done.json()["status"] == "closed"
    assert _post(client, url, body).status_code == 409


def test_reinspection_is_not_for_the_enterprise(hazard, enterprise_user, today):
    body = {"reinspected_on": today.isoformat(), "outcome": "close", "note": "n"}
    url = f"/api/inspect/hazards/{hazard.pk}/reinspection"
    assert _post(login(enterprise_user), url, body).status_code == 404


def test_the_extension_once(hazard, unit_inspector):
    client = login(unit_inspector)
    url = f"/api/inspect/hazards/{hazard.pk}/extend"
    new = hazard.deadline + dt.timedelta(days=5)
    response = _post(client, url, {"deadline": new.isoformat(), "reason": "等待配件"})
    assert response.status_code == 200
    assert response.json()["deadline"] == new.isoformat() and response.json()["extended"]
    again = _post(
        client, url, {"deadline": (new + dt.timedelta(days=1)).isoformat(), "reason": "r"}
    )
    assert again.status_code == 409
    bad = _post(client, url, {"deadline": "2026-02-30", "reason": "r"})
    assert bad.status_code == 422


def test_the_enterprise_lists_its_orders(
    hazard, enterprise_user, other_enterprise_user, sv_unit, elevator, today
):
    make_hazard(sv_unit, elevator, deadline=today)  # an elevator of no enterprise
    body = login(enterprise_user).get("/api/inspect/rectifications").json()
    assert [item["id"] for item in body["items"]] == [hazard.pk]
    assert body["items"][0]["replies_count"] == 0
    assert login(other_enterprise_user).get("/api/inspect/rectifications").json()["count"] == 0
    services.hazard_reinspect(
        hazard=hazard,
        reinspected_on=today,
        outcome="close",
        note="现场复查合格",
        acting_user=sv_unit.inspectors.first().user,
    )
    client = login(enterprise_user)
    assert client.get("/api/inspect/rectifications").json()["count"] == 0
    done = client.get("/api/inspect/rectifications?status=done").json()
    assert [item["id"] for item in done["items"]] == [hazard.pk]


def test_the_list_api_queries_do_not_grow_with_rows(
    hazard, office_client, sv_unit, canteen, today, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert office_client.get("/api/inspect/hazards").status_code == 200
    for _ in range(5):
        make_hazard(sv_unit, canteen, deadline=today + dt.timedelta(days=4))
    with django_assert_max_num_queries(len(first)):
        office_client.get("/api/inspect/hazards")
