"""Roles granted, changed or taken away through the inline rows on a unit's admin page leave an
audit row of ours, like every other admin change."""

import pytest
from django.test import Client

from qualitymonth.core.models import AuditEvent, Membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _unit_form(unit, rows):
    """The unit's change form with the given membership rows (dicts of id/user/role/DELETE)."""
    data = {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "region": unit.region_id,
        "is_active": "on",
        "memberships-TOTAL_FORMS": len(rows),
        "memberships-INITIAL_FORMS": sum(1 for row in rows if row.get("id")),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"memberships-{index}-{key}"] = value
        data[f"memberships-{index}-unit"] = unit.pk
    return data


def _post(client, unit, rows):
    response = client.post(f"/admin/core/unit/{unit.pk}/change/", _unit_form(unit, rows))
    assert response.status_code == 302, response.content.decode()[:2000]


def test_granting_a_role_inline_is_audited(admin_client, unit):
    person = UserFactory(username="new-staff")
    _post(admin_client, unit, [{"id": "", "user": person.pk, "role": "unit_manager"}])
    membership = Membership.objects.get(user=person, unit=unit)
    row = AuditEvent.objects.get(event_type="admin.add", object_type="core.membership")
    assert row.object_id == str(membership.pk)
    assert row.actor.username == "root"
    assert row.detail["parent_id"] == unit.pk


def test_changing_a_role_inline_is_audited(admin_client, unit):
    membership = MembershipFactory(unit=unit, role=Membership.Role.UNIT_STAFF)
    _post(
        admin_client,
        unit,
        [{"id": membership.pk, "user": membership.user_id, "role": "campaign_office"}],
    )
    row = AuditEvent.objects.get(event_type="admin.change", object_type="core.membership")
    assert row.object_id == str(membership.pk)
    assert row.detail["fields"] == ["role"]


def test_taking_a_role_away_inline_is_audited(admin_client, unit):
    membership = MembershipFactory(unit=unit, role=Membership.Role.UNIT_STAFF)
    pk = membership.pk
    _post(
        admin_client,
        unit,
        [{"id": pk, "user": membership.user_id, "role": "unit_staff", "DELETE": "on"}],
    )
    assert not Membership.objects.filter(pk=pk).exists()
    row = AuditEvent.objects.get(event_type="admin.delete", object_type="core.membership")
    assert row.object_id == str(pk)


def test_an_unchanged_inline_row_writes_no_row(admin_client, unit):
    membership = MembershipFactory(unit=unit, role=Membership.Role.UNIT_STAFF)
    _post(
        admin_client,
        unit,
        [{"id": membership.pk, "user": membership.user_id, "role": "unit_staff"}],
    )
    assert not AuditEvent.objects.filter(object_type="core.membership").exists()
