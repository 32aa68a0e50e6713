"""A quality steward's back-office home lists their enterprises' open needs, overdue ones first."""

import datetime as dt

import pytest
from django.test import Client

from qualitymonth.enterprises.models import Need
from qualitymonth.enterprises.services import needs as services
from tests.enterprises import test_needs
from tests.enterprises.conftest import make_enterprise
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

calibration = test_needs.calibration
member = test_needs.member


@pytest.fixture
def steward(enterprise):
    user = UserFactory(username="steward-home")
    MembershipFactory(user=user, unit=UnitFactory(region=enterprise.region), role="unit_staff")
    enterprise.steward = user
    enterprise.save(update_fields=["steward"])
    return user


def _file(enterprise, user, service_type, text):
    return services.need_file(
        enterprise=enterprise, service_type=service_type, description=text, acting_user=user
    )


def test_the_steward_sees_open_needs_overdue_first(
    enterprise, member, steward, calibration, django_assert_max_num_queries
):
    fresh = _file(enterprise, member, calibration, "新需求")
    late = _file(enterprise, member, calibration, "超期需求")
    Need.objects.filter(pk=late.pk).update(respond_by=dt.date(2020, 1, 2))
    closed = _file(enterprise, member, calibration, "已关闭")
    Need.objects.filter(pk=closed.pk).update(status=Need.Status.CLOSED)
    other = make_enterprise(enterprise.region, 7, name="不归我管的企业有限公司")

    client = Client()
    client.force_login(steward)
    with django_assert_max_num_queries(25):
        page = client.get("/office/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="steward-panel"' in html
    assert html.index(late.number) < html.index(fresh.number)
    assert closed.number not in html
    assert other.name not in html
    panel = page.context["panels"][0]["context"]
    assert (panel["open"], panel["overdue"], panel["enterprises"]) == (2, 1, 1)


def test_staff_who_steward_nothing_see_no_panel(office_client):
    page = office_client.get("/office/")
    assert 'id="steward-panel"' not in page.content.decode()
