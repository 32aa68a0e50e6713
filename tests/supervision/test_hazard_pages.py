"""The hazards' pages: the list's tabs, search and filters and its scope, one hazard's page for
the unit and for the enterprise, the enterprise's orders, the reply, the re-inspection and the
extension after their confirmation, the photos, and who is refused."""

import datetime as dt

import pytest

from qualitymonth.supervision.models import Hazard, HazardReply
from qualitymonth.supervision.services import hazards as services
from tests.supervision import hazard_helpers as helpers
from tests.supervision.conftest import login, make_canteen
from tests.supervision.hazard_helpers import make_hazard, photo_upload

pytestmark = pytest.mark.django_db

# The hazard fixtures (hazard_helpers.py), visible to this module's tests.
hazard = helpers.hazard
other_enterprise_user = helpers.other_enterprise_user
outbox = helpers.outbox
stranger_inspector = helpers.stranger_inspector
today = helpers.today
unit_inspector = helpers.unit_inspector

S = Hazard.Status


@pytest.fixture
def board(today, sv_unit, sv_other_unit, campaign, districts, canteen, elevator):
    """Hazards on every tab: open (a week left), due soon, overdue, answered, closed,
    escalated, and one of the other unit."""
    week = today + dt.timedelta(days=7)
    return {
        "open": make_hazard(sv_unit, canteen, deadline=week),
        "soon": make_hazard(sv_unit, elevator, deadline=today + dt.timedelta(days=2)),
        "late": make_hazard(sv_unit, canteen, deadline=today - dt.timedelta(days=1)),
        "answered": make_hazard(
            sv_unit, elevator, deadline=today - dt.timedelta(days=3), status=S.ANSWERED
        ),
        "closed": make_hazard(sv_unit, canteen, status=S.CLOSED, number="JTEST-CLOSED"),
        "escalated": make_hazard(sv_unit, elevator, status=S.ESCALATED),
        "other": make_hazard(
            sv_other_unit, make_canteen(campaign.region, districts[1], 9), deadline=week
        ),
    }


def _rows(response) -> set[int]:
    return {h.pk for h in response.context["page"].object_list}


def test_the_list_has_tabs_with_clocks_scoped_to_the_unit(board, unit_inspector):
    client = login(unit_inspector)
    response = client.get("/inspect/hazards/")
    assert response.status_code == 200
    b = board
    assert _rows(response) == {b["open"].pk, b["soon"].pk, b["late"].pk, b["answered"].pk}
    counts = {value: n for value, _label, n in response.context["tabs"]}
    assert counts == {"open": 4, "due_soon": 1, "overdue": 1, "closed": 1, "escalated": 1}
    assert _rows(client.get("/inspect/hazards/?tab=due_soon")) == {b["soon"].pk}
    assert _rows(client.get("/inspect/hazards/?tab=overdue")) == {b["late"].pk}
    assert _rows(client.get("/inspect/hazards/?tab=closed")) == {b["closed"].pk}
    assert _rows(client.get("/inspect/hazards/?tab=escalated")) == {b["escalated"].pk}
    assert b["other"].pk not in _rows(client.get("/inspect/hazards/?tab=open"))


def test_the_office_sees_every_unit(board, office_client):
    response = office_client.get("/inspect/hazards/")
    assert board["other"].pk in _rows(response) and board["open"].pk in _rows(response)


def test_search_and_filters(board, office_client, districts, sv_other_unit):
    b = board
    found = _rows(office_client.get("/inspect/hazards/?tab=closed&q=JTEST-CLOSED"))
    assert found == {b["closed"].pk}
    by_name = _rows(office_client.get("/inspect/hazards/?q=电梯"))
    assert by_name == {b["soon"].pk, b["answered"].pk}
    by_kind = _rows(office_client.get("/inspect/hazards/?kind=elevator"))
    assert by_kind == {b["soon"].pk, b["answered"].pk}
    by_district = _rows(office_client.get(f"/inspect/hazards/?district={districts[1].code}"))
    assert by_district == {b["soon"].pk, b["answered"].pk, b["other"].pk}
    by_unit = _rows(office_client.get(f"/inspect/hazards/?unit={sv_other_unit.pk}"))
    assert by_unit == {b["other"].pk}
    # A value that is no choice filters nothing and breaks nothing.
    for bad in ("unit=99999999999999999999999", "district=nowhere", "kind=rocket", "tab=x&page=-1"):
        assert office_client.get(f"/inspect/hazards/?{bad}").status_code == 200


def test_the_list_costs_the_same_queries_for_more_rows(
    board, office_client, django_assert_max_num_queries, sv_unit, canteen, today
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        office_client.get("/inspect/hazards/")
    for _ in range(5):
        make_hazard(sv_unit, canteen, deadline=today + dt.timedelta(days=4))
    with django_assert_max_num_queries(len(first)):
        office_client.get("/inspect/hazards/")


def test_enterprises_and_citizens_have_no_list(board, enterprise_user, citizen_client):
    assert login(enterprise_user).get("/inspect/hazards/").status_code == 403
    assert citizen_client.get("/inspect/hazards/").status_code == 403


def test_the_enterprise_sees_its_own_orders_only(board, enterprise_user, other_enterprise_user):
    response = login(enterprise_user).get("/inspect/hazards/mine/")
    assert response.status_code == 200
    b = board
    assert _rows(response) == {b["open"].pk, b["late"].pk}  # the canteen of its enterprise
    done = _rows(login(enterprise_user).get("/inspect/hazards/mine/?status=done"))
    assert done == {b["closed"].pk}
    assert _rows(login(other_enterprise_user).get("/inspect/hazards/mine/")) == set()
    other = login(other_enterprise_user)
    assert other.get(f"/inspect/hazards/{b['open'].pk}/").status_code == 404
    assert other.get(f"/inspect/hazards/{b['open'].pk}/reply/").status_code == 404


def test_one_hazard_page_shows_order_photos_and_steps(hazard, unit_inspector, enterprise_user):
    services.hazard_reply(
        hazard=hazard, note="已整改", photo=photo_upload(), acting_user=enterprise_user
    )
    response = login(unit_inspector).get(f"/inspect/hazards/{hazard.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert hazard.order_text in html and "已整改" in html
    assert response.context["can_reinspect"] and response.context["history"]
    photo = response.context["photos"][0]
    image = login(unit_inspector).get(f"/inspect/hazards/{hazard.pk}/photos/{photo.pk}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    reply = HazardReply.objects.get()
    own = login(enterprise_user).get(f"/inspect/hazards/{hazard.pk}/replies/{reply.pk}/photo/")
    assert own.status_code == 200 and own["Cache-Control"] == "private, no-store"
    page = login(enterprise_user).get(f"/inspect/hazards/{hazard.pk}/")
    assert page.status_code == 200 and not page.context["history"]
    assert not page.context["can_reinspect"] and not page.context["can_extend"]


def test_strangers_get_not_found(hazard, stranger_inspector, citizen_client, other_enterprise_user):
    for client in (login(stranger_inspector), citizen_client, login(other_enterprise_user)):
        assert client.get(f"/inspect/hazards/{hazard.pk}/").status_code == 404
        assert client.get(f"/inspect/hazards/{hazard.pk}/photos/1/").status_code == 404
        assert client.get(f"/inspect/hazards/{hazard.pk}/reinspect/").status_code == 404
    assert (
        login(stranger_inspector).get("/inspect/hazards/99999999999999999999/").status_code == 404
    )


def test_signed_out_people_are_sent_to_log_in(hazard, client):
    response = client.get(f"/inspect/hazards/{hazard.pk}/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_enterprise_replies_on_the_page(hazard, enterprise_user):
    client = login(enterprise_user)
    assert client.get(f"/inspect/hazards/{hazard.pk}/reply/").status_code == 200
    response = client.post(
        f"/inspect/hazards/{hazard.pk}/reply/", {"note": "已整改", "photo": photo_upload()}
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == S.ANSWERED and HazardReply.objects.get().photo


def test_a_bad_reply_on_the_page_shows_the_error(hazard, enterprise_user):
    from tests.supervision.hazard_helpers import fake_upload

    client = login(enterprise_user)
    response = client.post(
        f"/inspect/hazards/{hazard.pk}/reply/", {"note": "已整改", "photo": fake_upload()}
    )
    assert response.status_code == 400 and "photo" in response.context["form"].errors
    response = client.post(f"/inspect/hazards/{hazard.pk}/reply/", {"note": ""})
    assert response.status_code == 400 and "note" in response.context["form"].errors
    assert not HazardReply.objects.exists()


def test_reinspection_asks_for_confirmation_first(hazard, unit_inspector, today):
    client = login(unit_inspector)
    url = f"/inspect/hazards/{hazard.pk}/reinspect/"
    data = {"reinspected_on": today.isoformat(), "outcome": "close", "note": "现场复查合格"}
    preview = client.post(url, data)
    assert preview.status_code == 200 and preview.context["confirming"]
    hazard.refresh_from_db()
    assert hazard.status == S.OPEN
    done = client.post(url, {**data, "confirm": "yes"})
    assert done.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == S.CLOSED


def test_closing_an_unanswered_order_without_a_note_is_refused_on_the_page(
    hazard, unit_inspector, today
):
    client = login(unit_inspector)
    url = f"/inspect/hazards/{hazard.pk}/reinspect/"
    data = {"reinspected_on": today.isoformat(), "outcome": "close", "confirm": "yes"}
    response = client.post(url, data)
    assert response.status_code == 400 and "note" in response.context["form"].errors
    hazard.refresh_from_db()
    assert hazard.status == S.OPEN


def test_the_enterprise_cannot_reinspect_or_extend(hazard, enterprise_user, today):
    client = login(enterprise_user)
    data = {"reinspected_on": today.isoformat(), "outcome": "close", "note": "n", "confirm": "yes"}
    assert client.post(f"/inspect/hazards/{hazard.pk}/reinspect/", data).status_code == 404
    assert client.get(f"/inspect/hazards/{hazard.pk}/extend/").status_code == 404


def test_the_deadline_is_extended_after_confirmation_and_only_once(hazard, unit_inspector):
    client = login(unit_inspector)
    url = f"/inspect/hazards/{hazard.pk}/extend/"
    new = hazard.deadline + dt.timedelta(days=10)
    data = {"deadline": new.isoformat(), "reason": "配件需厂家供货"}
    assert client.post(url, data).context["confirming"]
    assert client.post(url, {**data, "confirm": "yes"}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.deadline == new
    page = client.get(f"/inspect/hazards/{hazard.pk}/")
    assert not page.context["can_extend"] and page.context["hazard"].extension_reason
    again = client.post(url, {"deadline": (new + dt.timedelta(days=3)).isoformat(), "reason": "r"})
    assert again.status_code == 400
    hazard.refresh_from_db()
    assert hazard.deadline == new
