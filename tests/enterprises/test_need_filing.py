"""Who files a need besides the enterprise (its steward, the office from a phone call), and what a
need carries beyond its description: the products concerned and the dates that suit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qualitymonth.core.audit import AuditEvent
from qualitymonth.core.models import Membership
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.enterprises.models import Need
from qualitymonth.enterprises.services import needs as services
from tests.enterprises import test_needs
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

# The one-stop flow's fixtures (test_needs.py).
calibration = test_needs.calibration
member = test_needs.member
other_enterprise = test_needs.other_enterprise
login = test_needs.login


@pytest.fixture
def steward(enterprise):
    user = UserFactory(username="steward-one")
    MembershipFactory(
        user=user, unit=UnitFactory(region=enterprise.region), role=Membership.Role.UNIT_STAFF
    )
    enterprise.steward = user
    enterprise.save(update_fields=["steward"])
    return user


def test_the_steward_files_on_the_enterprise_s_behalf(enterprise, steward, calibration):
    need = services.need_file(
        enterprise=enterprise, service_type=calibration, description="电话反映", acting_user=steward
    )
    assert need.filed_by == steward
    event = AuditEvent.objects.get(event_type="need.filed", object_id=str(need.pk))
    assert event.actor == steward


def test_the_office_files_from_a_phone_call(enterprise, office_user, calibration):
    need = services.need_file(
        enterprise=enterprise, service_type=calibration, description="来电", acting_user=office_user
    )
    assert need.status == Need.Status.SUBMITTED


def test_a_steward_of_another_enterprise_and_another_city_s_office_may_not(
    enterprise, other_enterprise, steward, other_office_client, calibration
):
    other_enterprise.steward = steward
    other_enterprise.save(update_fields=["steward"])
    enterprise.steward = None
    enterprise.save(update_fields=["steward"])
    for stranger in (steward, other_office_client.user):
        with pytest.raises(PermissionDenied):
            services.need_file(
                enterprise=enterprise,
                service_type=calibration,
                description="x",
                acting_user=stranger,
            )


def test_products_and_wished_dates_are_kept(enterprise, member, calibration):
    today = timezone.localdate()
    need = services.need_file(
        enterprise=enterprise,
        service_type=calibration,
        description="校准",
        products="电子台秤 20 台",
        wished_from=today + dt.timedelta(days=3),
        wished_until=today + dt.timedelta(days=10),
        acting_user=member,
    )
    need.refresh_from_db()
    assert need.products == "电子台秤 20 台"
    assert (need.wished_until - need.wished_from).days == 7


@pytest.mark.parametrize(
    "start,end,field",
    [(10, 3, "wished_until"), (-10, -5, "wished_until")],
    ids=["until-before-from", "already-past"],
)
def test_wished_dates_out_of_order_or_past_are_refused(
    enterprise, member, calibration, start, end, field
):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        services.need_file(
            enterprise=enterprise,
            service_type=calibration,
            description="校准",
            wished_from=today + dt.timedelta(days=start),
            wished_until=today + dt.timedelta(days=end),
            acting_user=member,
        )
    assert field in caught.value.message_dict
    assert not Need.objects.exists()


def test_the_office_files_on_the_page_from_the_enterprise(enterprise, office_client, calibration):
    url = f"/services/new/?enterprise={enterprise.pk}"
    page = office_client.get(url)
    assert page.status_code == 200 and enterprise.name in page.content.decode()
    response = office_client.post(
        url,
        {
            "enterprise": enterprise.pk,
            "service_type": calibration.pk,
            "description": "来电：电子秤需要校准",
            "products": "电子秤",
        },
    )
    need = Need.objects.get()
    assert response.status_code == 302 and need.products == "电子秤"


def test_the_office_without_an_enterprise_is_sent_to_the_registry(office_client):
    response = office_client.get("/services/new/")
    assert response.status_code == 302 and response.url == "/office/enterprises/"


def test_a_member_cannot_reach_another_enterprise_through_the_address(
    member, other_enterprise, calibration
):
    client = login(member)
    page = client.get(f"/services/new/?enterprise={other_enterprise.pk}")
    assert other_enterprise.name not in page.content.decode()
    response = client.post(
        f"/services/new/?enterprise={other_enterprise.pk}",
        {"enterprise": other_enterprise.pk, "service_type": calibration.pk, "description": "x"},
    )
    assert response.status_code == 400 and not Need.objects.exists()


def test_the_api_takes_products_and_dates(enterprise, member, calibration):
    today = timezone.localdate()
    response = login(member).post(
        "/api/needs",
        {
            "enterprise_id": enterprise.pk,
            "service_type": calibration.code,
            "description": "校准",
            "products": "台秤",
            "wished_from": str(today),
            "wished_until": str(today - dt.timedelta(days=1)),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "wished_until" in response.content.decode()
    assert not Need.objects.exists()


def test_the_suggestions_answer_the_office_and_no_one_else(
    enterprise, member, office_client, other_office_client, calibration
):
    need = services.need_file(
        enterprise=enterprise, service_type=calibration, description="校准", acting_user=member
    )
    url = f"/api/office/needs/{need.number}/suggestions"
    assert office_client.get(url).status_code == 200
    assert login(member).get(url).status_code == 403  # sees the need, may not dispatch it
    assert other_office_client.get(url).status_code == 404
    assert office_client.get("/api/office/needs/N2099010199999/suggestions").status_code == 404


def test_the_completion_clock_starts_on_the_wished_day_when_it_is_later(
    enterprise, member, office_user, calibration
):
    from qualitymonth.core.workdays import add_workdays

    today = timezone.localdate()
    later = today + dt.timedelta(days=30)
    need = services.need_file(
        enterprise=enterprise,
        service_type=calibration,
        description="校准",
        wished_from=later,
        acting_user=member,
    )
    accepted = services.need_accept(need=need, acting_user=office_user)
    assert accepted.complete_by == add_workdays(later, calibration.completion_workdays)
    plain = services.need_file(
        enterprise=enterprise, service_type=calibration, description="校准", acting_user=member
    )
    accepted = services.need_accept(need=plain, acting_user=office_user)
    assert accepted.complete_by == add_workdays(today, calibration.completion_workdays)
