"""The steward through the API, and the registry export's ceiling."""

import pytest

from qualitymonth.core.audit import AuditEvent
from qualitymonth.enterprises.services import imports
from tests.enterprises.conftest import make_enterprise
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(campaign):
    user = UserFactory(username="unit-staff-steward")
    MembershipFactory(user=user, unit=UnitFactory(region=campaign.region), role="unit_staff")
    return user


def _put(client, enterprise, steward):
    return client.put(
        f"/api/office/enterprises/{enterprise.pk}/steward",
        {"steward": steward},
        content_type="application/json",
    )


def test_the_office_sets_and_clears_the_steward_through_the_api(office_client, enterprise, staff):
    response = _put(office_client, enterprise, staff.username)
    assert response.status_code == 200 and response.json()["steward"] == staff.username
    enterprise.refresh_from_db()
    assert enterprise.steward == staff
    assert AuditEvent.objects.filter(event_type="enterprise.steward").exists()
    assert _put(office_client, enterprise, None).json()["steward"] is None


def test_a_steward_from_outside_the_region_is_refused_by_name(office_client, enterprise):
    outsider = UserFactory(username="no-unit-here")
    response = _put(office_client, enterprise, outsider.username)
    assert response.status_code == 400 and "steward" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.steward is None


def test_others_may_not_set_a_steward(
    client, citizen_client, other_office_client, enterprise, staff
):
    assert _put(client, enterprise, staff.username).status_code == 401
    assert _put(citizen_client, enterprise, staff.username).status_code == 403
    assert _put(other_office_client, enterprise, staff.username).status_code == 404


def test_an_export_over_the_ceiling_asks_for_a_narrower_filter(
    monkeypatch, office_client, campaign
):
    for n in range(3):
        make_enterprise(campaign.region, 100 + n)
    monkeypatch.setattr(imports, "EXPORT_MAX_ROWS", 2)
    response = office_client.get("/office/enterprises/export/?q=测试")
    assert response.status_code == 302 and response.url.startswith("/office/enterprises/?")
    page = office_client.get(response.url)
    assert "Narrow the filter" in page.content.decode() or "缩小" in page.content.decode()
    monkeypatch.setattr(imports, "EXPORT_MAX_ROWS", 3)
    response = office_client.get("/office/enterprises/export/")
    assert response.status_code == 200
