"""The directory of inspectors: adding an existing account (which gets the unit's inspector
role), changing, deactivating after a confirmation, and the links they declare to subjects."""

import json

import pytest
from django.core.exceptions import ValidationError

from qualitymonth.core.models import AuditEvent, Membership
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.supervision.models import ConflictLink, Inspector
from qualitymonth.supervision.services import directories as services
from tests.factories import UserFactory
from tests.supervision.conftest import login

pytestmark = pytest.mark.django_db


def _data(districts=(), **extra):
    return {
        "name": "李检查",
        "certificate_number": "ZF-TEST-9",
        "qualifications": "特种设备检验员",
        "kinds": ["elevator", "canteen"],
        "districts": list(districts),
        **extra,
    }


def test_office_adds_an_account_as_inspector_of_a_unit(sv_unit, districts, office_user):
    person = UserFactory(username="li-jiancha")
    inspector = services.inspector_create(
        unit=sv_unit, username="li-jiancha", data=_data(districts[:1]), acting_user=office_user
    )
    assert inspector.user == person and inspector.kinds == ["canteen", "elevator"]
    assert list(inspector.districts.all()) == districts[:1]
    assert Membership.objects.filter(
        user=person, unit=sv_unit, role=Membership.Role.INSPECTOR
    ).exists()
    assert AuditEvent.objects.filter(event_type="supervision.directory.inspector_created").exists()


def test_an_unknown_account_a_second_entry_and_bad_kinds_are_refused(
    sv_unit, inspectors, office_user
):
    with pytest.raises(ValidationError) as caught:
        services.inspector_create(
            unit=sv_unit, username="nobody", data=_data(), acting_user=office_user
        )
    assert "username" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        services.inspector_create(
            unit=sv_unit, username="insp-a", data=_data(), acting_user=office_user
        )
    assert caught.value.error_dict["username"][0].code == "duplicate"
    UserFactory(username="new-one")
    with pytest.raises(ValidationError) as caught:
        services.inspector_create(
            unit=sv_unit,
            username="new-one",
            data=_data(kinds=["airplane"], name=""),
            acting_user=office_user,
        )
    assert {"kinds", "name"} <= set(caught.value.error_dict)
    assert Inspector.objects.count() == 4


def test_units_may_not_add_or_change_inspectors(sv_unit, inspectors, sv_manager, citizen_user):
    UserFactory(username="new-two")
    for user in (sv_manager, inspectors[0].user, citizen_user):
        with pytest.raises(PermissionDenied):
            services.inspector_create(
                unit=sv_unit, username="new-two", data=_data(), acting_user=user
            )
        with pytest.raises(PermissionDenied):
            services.inspector_set_active(inspector=inspectors[1], active=False, acting_user=user)


def test_deactivating_keeps_the_account_and_can_be_undone(inspectors, office_user):
    inspector = services.inspector_set_active(
        inspector=inspectors[0], active=False, acting_user=office_user
    )
    assert not inspector.is_active
    assert inspector.user.memberships.filter(role=Membership.Role.INSPECTOR).exists()
    with pytest.raises(ValidationError):
        services.inspector_set_active(inspector=inspector, active=False, acting_user=office_user)
    assert services.inspector_set_active(
        inspector=inspector, active=True, acting_user=office_user
    ).is_active


def test_links_are_declared_once_listed_and_removed_each_audited(
    inspectors, canteen, elevator, office_user
):
    link = services.link_declare(
        inspector=inspectors[0],
        subject=canteen,
        reason="relative",
        note="配偶在该校任职",
        acting_user=office_user,
    )
    with pytest.raises(ValidationError) as caught:
        services.link_declare(
            inspector=inspectors[0], subject=canteen, reason="other", acting_user=office_user
        )
    assert caught.value.error_dict["subject"][0].code == "duplicate"
    with pytest.raises(ValidationError) as caught:
        services.link_declare(
            inspector=inspectors[0], subject=elevator, reason="because", acting_user=office_user
        )
    assert "reason" in caught.value.error_dict
    services.link_remove(link=link, acting_user=office_user)
    assert not ConflictLink.objects.exists()
    events = AuditEvent.objects.filter(event_type__startswith="supervision.directory.link_")
    assert sorted(e.event_type for e in events) == [
        "supervision.directory.link_declared",
        "supervision.directory.link_removed",
    ]


# --- pages ---------------------------------------------------------------------------------------
def test_inspector_list_filters_and_unit_members_may_read_it(
    inspectors, sv_other_unit, office_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        page = office_client.get("/office/supervision/inspectors/")
    assert page.status_code == 200 and page.context["page"].paginator.count == 4
    filtered = office_client.get("/office/supervision/inspectors/", {"unit": sv_other_unit.pk})
    assert {i.name for i in filtered.context["page"]} == {"检查员insp-c", "检查员insp-d"}
    reader = login(inspectors[0].user)
    assert reader.get("/office/supervision/inspectors/").status_code == 200
    assert reader.get("/office/supervision/inspectors/new/").status_code == 403


def test_new_inspector_page_takes_a_username(sv_unit, districts, office_client):
    UserFactory(username="zhang-jiancha")
    data = {
        "unit": sv_unit.pk,
        "username": "zhang-jiancha",
        "name": "张检查",
        "certificate_number": "ZF-1",
        "kinds": ["canteen"],
        "districts": [districts[0].pk],
    }
    bad = office_client.post("/office/supervision/inspectors/new/", {**data, "username": "nobody"})
    assert bad.status_code == 400 and "username" in bad.context["form"].errors
    response = office_client.post("/office/supervision/inspectors/new/", data)
    inspector = Inspector.objects.get(name="张检查")
    assert response.status_code == 302 and response.url.endswith(f"/{inspector.pk}/")


def test_deactivate_and_link_pages_confirm_before_they_change(inspectors, canteen, office_client):
    inspector = inspectors[1]
    assert (
        office_client.get(f"/office/supervision/inspectors/{inspector.pk}/active/").status_code
        == 200
    )
    inspector.refresh_from_db()
    assert inspector.is_active
    office_client.post(f"/office/supervision/inspectors/{inspector.pk}/active/")
    inspector.refresh_from_db()
    assert not inspector.is_active
    response = office_client.post(
        f"/office/supervision/inspectors/{inspector.pk}/links/new/",
        {"subject": canteen.canteen.licence_number, "reason": "former_employee"},
    )
    assert response.status_code == 302
    link = ConflictLink.objects.get()
    detail = office_client.get(f"/office/supervision/inspectors/{inspector.pk}/")
    assert list(detail.context["links"]) == [link]
    remove = f"/office/supervision/inspectors/{inspector.pk}/links/{link.pk}/remove/"
    assert office_client.get(remove).status_code == 200 and ConflictLink.objects.exists()
    office_client.post(remove)
    assert not ConflictLink.objects.exists()
    unknown = office_client.post(
        f"/office/supervision/inspectors/{inspector.pk}/links/new/",
        {"subject": "NOPE", "reason": "other"},
    )
    assert unknown.status_code == 400 and "subject" in unknown.context["form"].errors


# --- API -----------------------------------------------------------------------------------------
API = "/api/office/supervision/inspectors"


def test_api_lists_creates_and_links(sv_unit, inspectors, districts, canteen, office_client):
    assert office_client.get(API, {"kind": "canteen"}).json()["count"] == 4
    UserFactory(username="wang-jiancha")
    body = {
        "unit": sv_unit.code,
        "username": "wang-jiancha",
        "name": "王检查",
        "certificate_number": "ZF-2",
        "kinds": ["elevator"],
        "districts": [districts[1].code],
    }
    created = office_client.post(API, json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["districts"] == [districts[1].code]
    inspector_id = created.json()["id"]
    link = office_client.post(
        f"{API}/{inspector_id}/links",
        json.dumps({"subject_id": canteen.pk, "reason": "consultant"}),
        content_type="application/json",
    )
    assert link.status_code == 201 and link.json()["subject_id"] == canteen.pk
    missing = office_client.post(
        f"{API}/{inspector_id}/links",
        json.dumps({"subject_id": 987654321, "reason": "consultant"}),
        content_type="application/json",
    )
    assert missing.status_code == 400 and "subject_id" in missing.json()["errors"]
    assert office_client.get(f"{API}/{inspector_id}/links").json()["count"] == 1


def test_api_refuses_units_and_hides_unknown_inspectors(inspectors, sv_manager, citizen_user):
    manager = login(sv_manager)
    assert manager.get(API).status_code == 200
    body = {
        "unit": "amr",
        "username": "insp-a",
        "name": "x",
        "certificate_number": "y",
        "kinds": [],
    }
    assert manager.post(API, json.dumps(body), content_type="application/json").status_code == 403
    assert login(citizen_user).get(f"{API}/{inspectors[0].pk}/links").status_code == 404
    assert manager.get(f"{API}/987654321/links").status_code == 404
