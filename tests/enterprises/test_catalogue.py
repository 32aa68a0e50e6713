"""The one-stop service catalogue: its data file, the office's pages and services, the demo."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from qualitymonth.core.models import AuditEvent, Membership, Unit
from qualitymonth.enterprises.demo import loader, one_stop
from qualitymonth.enterprises.models import Need, Provider, ServiceType
from qualitymonth.enterprises.reference import load_services, read_services
from qualitymonth.enterprises.services import catalogue
from tests.factories import CampaignFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CATALOGUE = "/office/needs/catalogue/"
PROVIDERS = CATALOGUE + "providers/"


@pytest.fixture
def services(db):
    load_services()
    return {t.code: t for t in ServiceType.objects.all()}


@pytest.fixture
def institution(campaign, office_user, services):
    return catalogue.provider_create(
        acting_user=office_user,
        region=campaign.region,
        kind=Provider.Kind.INSTITUTION,
        data={"name": "测试市计量检定测试院", "specialties": "衡器、压力表"},
        service_types=[services["calibration"]],
    )


def _type_form(service_type: ServiceType, **changes) -> dict:
    data = {
        "name": service_type.name,
        "name_en": service_type.name_en,
        "description": service_type.description,
        "is_charged": "1" if service_type.is_charged else "0",
        "response_workdays": service_type.response_workdays,
        "completion_workdays": service_type.completion_workdays,
        "is_active": "on",
    }
    data.update(changes)
    return data


# --- the data file -----------------------------------------------------------------------------
def test_the_catalogue_file_loads_every_category_with_limits_from_1_to_60_working_days():
    rows = read_services()
    assert len({row["code"] for row in rows}) == len(rows)
    assert load_services() == len(rows)
    types = list(ServiceType.objects.all())
    assert {t.category for t in types} == set(ServiceType.Category.values)
    for t in types:
        assert t.name and t.name_en and t.description, t.code
        assert 1 <= t.response_workdays <= t.completion_workdays <= 60, t.code
    charged = {t.code for t in types if t.is_charged}
    assert {
        "verification",
        "calibration",
        "commissioned-testing",
        "system-certification",
    } <= charged
    assert not {"standard-lookup", "quality-diagnosis", "certification-advice"} & charged
    names = {t.name for t in types}
    assert {"计量器具检定", "计量器具校准", "标准查询", "委托检验", "质量诊断"} <= names


def test_loading_the_catalogue_again_keeps_what_the_office_changed(services):
    ServiceType.objects.filter(code="calibration").update(response_workdays=5, name="校准")
    assert load_services() == 0
    calibration = ServiceType.objects.get(code="calibration")
    assert (calibration.name, calibration.response_workdays) == ("校准", 5)


# --- the office's pages ------------------------------------------------------------------------
def test_the_office_sees_the_catalogue_by_category_with_providers(
    office_client, institution, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = office_client.get(CATALOGUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "计量器具校准" in html and "测试市计量检定测试院" in html and "品牌培育指导" in html


@pytest.mark.parametrize("path", [CATALOGUE, CATALOGUE + "types/calibration/", PROVIDERS])
def test_other_staff_and_citizens_may_not_open_the_catalogue(
    path, staff_client, citizen_client, services
):
    assert staff_client.get(path).status_code == 403
    assert citizen_client.get(path).status_code == 403
    assert Client().get(path).status_code == 302  # to the login page


def test_the_office_changes_a_service_types_terms_limits_and_providers(
    office_client, services, institution
):
    calibration = services["calibration"]
    calibration.providers.clear()
    data = _type_form(
        calibration,
        name="计量器具校准（上门）",
        is_charged="0",
        response_workdays=3,
        completion_workdays=12,
        is_active="",
        providers=[institution.pk],
    )
    response = office_client.post(CATALOGUE + "types/calibration/", data)
    assert response.status_code == 302
    calibration.refresh_from_db()
    assert calibration.name == "计量器具校准（上门）" and not calibration.is_charged
    assert (calibration.response_workdays, calibration.completion_workdays) == (3, 12)
    assert not calibration.is_active
    assert list(calibration.providers.all()) == [institution]
    event = AuditEvent.objects.get(event_type="catalogue.service_type_updated")
    assert event.actor.username == "office" and event.object_id == str(calibration.pk)
    assert set(event.detail["fields"]) >= {"name", "is_charged", "response_workdays"}
    assert event.detail["providers_added"] == [institution.pk]


def test_staff_may_not_change_a_service_type(staff_client, services):
    calibration = services["calibration"]
    data = _type_form(calibration, response_workdays=9)
    assert staff_client.post(CATALOGUE + "types/calibration/", data).status_code == 403
    calibration.refresh_from_db()
    assert calibration.response_workdays == 2
    assert not AuditEvent.objects.filter(event_type__startswith="catalogue.").exists()


@pytest.mark.parametrize("days", ["0", "61", "-1", "two"])
def test_a_limit_outside_1_to_60_working_days_is_refused_and_the_form_keeps_the_input(
    office_client, services, days
):
    calibration = services["calibration"]
    data = _type_form(calibration, name="新名称保留", response_workdays=days)
    response = office_client.post(CATALOGUE + "types/calibration/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "新名称保留" in html
    assert response.context["form"].errors["response_workdays"]
    calibration.refresh_from_db()
    assert calibration.name == "计量器具校准" and calibration.response_workdays == 2


def test_the_service_refuses_bad_limits_whatever_the_caller(office_user, services):
    calibration = services["calibration"]
    for data in (
        {"completion_workdays": 0},
        {"completion_workdays": 61},
        {"response_workdays": 8, "completion_workdays": 5},
    ):
        with pytest.raises(ValidationError) as refused:
            catalogue.service_type_update(
                acting_user=office_user, service_type=calibration, data=data
            )
        assert "completion_workdays" in refused.value.error_dict
    calibration.refresh_from_db()
    assert calibration.completion_workdays == 10


def test_an_office_changes_only_its_own_providers_of_a_type(office_user, services, institution):
    other_city = CampaignFactory(slug="elsewhere").region
    elsewhere = Provider.objects.create(
        region=other_city,
        kind=Provider.Kind.INSTITUTION,
        name="他市计量所",
        unit=Unit.objects.create(
            code="other-nqi", name="他市计量所", kind="nqi", region=other_city
        ),
    )
    calibration = services["calibration"]
    calibration.providers.add(elsewhere)
    catalogue.service_type_update(
        acting_user=office_user, service_type=calibration, data={"providers": []}
    )
    assert list(calibration.providers.all()) == [elsewhere]
    with pytest.raises(ValidationError):
        catalogue.service_type_update(
            acting_user=office_user, service_type=calibration, data={"providers": [elsewhere]}
        )


# --- providers ---------------------------------------------------------------------------------
def test_the_office_adds_an_institution_with_its_own_unit(office_client, campaign, services):
    response = office_client.post(
        PROVIDERS + "new/institution/",
        {
            "name": "测试市标准化研究院",
            "name_en": "Test City Institute of Standardization",
            "specialties": "标准查询",
            "is_active": "on",
            "service_types": [services["standard-lookup"].pk, services["standard-drafting"].pk],
        },
    )
    assert response.status_code == 302
    provider = Provider.objects.get(name="测试市标准化研究院")
    assert provider.kind == Provider.Kind.INSTITUTION and provider.user is None
    assert provider.unit.kind == Unit.Kind.NQI and provider.unit.name == provider.name
    assert provider.region == provider.unit.region == campaign.region
    assert {t.code for t in provider.service_types.all()} == {
        "standard-lookup",
        "standard-drafting",
    }
    assert AuditEvent.objects.filter(
        event_type="catalogue.provider_created", object_id=str(provider.pk)
    ).exists()


def test_the_office_adds_an_expert_by_an_existing_username(office_client, services):
    expert = UserFactory(username="quality-expert-1")
    response = office_client.post(
        PROVIDERS + "new/expert/",
        {
            "username": "quality-expert-1",
            "name": "测试专家",
            "is_active": "on",
            "service_types": [services["quality-diagnosis"].pk],
        },
    )
    assert response.status_code == 302
    provider = Provider.objects.get(name="测试专家")
    assert provider.kind == Provider.Kind.EXPERT and provider.user == expert
    assert provider.unit is None


def test_an_unknown_username_or_a_taken_name_is_refused_and_nothing_is_created(
    office_client, institution
):
    units = Unit.objects.count()
    response = office_client.post(
        PROVIDERS + "new/expert/", {"username": "nobody-here", "name": "无账号专家"}
    )
    assert response.status_code == 400
    assert "无账号专家" in response.content.decode()
    assert "username" in response.context["account"].errors
    response = office_client.post(PROVIDERS + "new/institution/", {"name": institution.name})
    assert response.status_code == 400 and "name" in response.context["form"].errors
    assert Provider.objects.count() == 1 and Unit.objects.count() == units


def test_staff_may_not_add_or_change_providers(staff_client, institution):
    response = staff_client.post(PROVIDERS + "new/institution/", {"name": "员工加的机构"})
    assert response.status_code == 403
    response = staff_client.post(PROVIDERS + f"{institution.pk}/", {"name": "改名"})
    assert response.status_code == 403
    assert not Provider.objects.filter(name__in=["员工加的机构", "改名"]).exists()


def test_renaming_an_institution_renames_its_unit_and_another_city_cannot_see_it(
    office_client, other_office_client, institution, services
):
    path = PROVIDERS + f"{institution.pk}/"
    assert other_office_client.get(path).status_code == 404
    response = office_client.post(
        path,
        {"name": "测试市计量测试院", "specialties": "衡器", "service_types": []},
    )
    assert response.status_code == 302
    institution.refresh_from_db()
    institution.unit.refresh_from_db()
    assert institution.unit.name == "测试市计量测试院" and not institution.is_active
    assert not institution.service_types.exists()


def test_the_provider_list_searches_and_filters_by_kind(
    office_client, office_user, institution, django_assert_max_num_queries
):
    UserFactory(username="expert-z")
    catalogue.provider_create(
        acting_user=office_user,
        region=institution.region,
        kind=Provider.Kind.EXPERT,
        data={"name": "测试专家乙", "specialties": "卓越绩效"},
        username="expert-z",
    )
    with django_assert_max_num_queries(10):
        response = office_client.get(PROVIDERS, {"kind": "expert"})
    assert [p.name for p in response.context["page"]] == ["测试专家乙"]
    response = office_client.get(PROVIDERS, {"q": "衡器"})
    assert [p.name for p in response.context["page"]] == [institution.name]


# --- the demo ----------------------------------------------------------------------------------
def test_the_demo_loads_twice_without_duplicates_with_needs_in_every_status(campaign, office_user):
    loader.load(campaign)
    counts = (Provider.objects.count(), Need.objects.count(), ServiceType.objects.count())
    loader.load(campaign)
    assert counts == (Provider.objects.count(), Need.objects.count(), ServiceType.objects.count())
    assert Provider.objects.filter(kind="institution").count() == 10
    assert Provider.objects.filter(kind="expert").count() == 15
    assert all("示例" in p.name for p in Provider.objects.all())
    assert Need.objects.count() == 40
    assert set(Need.objects.values_list("status", flat=True)) == set(Need.Status.values)


def test_the_demo_needs_dates_follow_their_status_and_some_are_overdue(campaign, office_user):
    from django.utils import timezone

    loader.load(campaign)
    today = timezone.localdate()
    overdue = 0
    for need in Need.objects.select_related("service_type"):
        assert need.submitted_at <= timezone.now() and need.respond_by >= need.submitted_at.date()
        if need.status == Need.Status.SUBMITTED:
            assert need.accepted_at is None and need.provider is None
            overdue += need.respond_by < today
        elif need.status != Need.Status.DECLINED:
            assert need.accepted_at and need.complete_by
        if need.status in (Need.Status.DISPATCHED, Need.Status.IN_SERVICE):
            assert need.provider and need.dispatched_at
            overdue += need.complete_by < today
        if need.status == Need.Status.IN_SERVICE:
            assert need.visits.exists()
        if need.status in (Need.Status.DELIVERED, Need.Status.CLOSED):
            assert need.deliverables.exists() and need.delivered_at
        if need.status == Need.Status.CLOSED:
            assert need.rating and need.closed_at
        if need.status == Need.Status.DECLINED:
            assert need.decline_reason
        if need.service_type.is_charged and need.status in ("delivered", "closed"):
            assert need.fee_standard is not None and need.fee_charged is not None
    assert overdue >= 3


def test_the_demo_provider_account_is_staff_of_the_example_metrology_institute(
    campaign, office_user
):
    from qualitymonth.campaigns.demo.loader import DEMO_PASSWORD

    loader.load(campaign)
    membership = Membership.objects.select_related("user", "unit").get(
        user__username=one_stop.PROVIDER_ACCOUNT
    )
    assert membership.user.check_password(DEMO_PASSWORD)
    assert membership.unit.provider.name == "示例市计量检定测试院"
    assert membership.unit.kind == Unit.Kind.NQI
    experts = Provider.objects.filter(kind="expert").select_related("user")
    assert all(p.user.check_password(DEMO_PASSWORD) for p in experts[:2])
    assert Need.objects.filter(provider=membership.unit.provider).exists()


def test_an_office_of_another_city_is_refused_by_the_service(office_user, institution):
    other = MembershipFactory(
        unit=CampaignFactory(slug="far").lead_unit, role=Membership.Role.CAMPAIGN_OFFICE
    ).user
    from qualitymonth.core.permissions import PermissionDenied

    with pytest.raises(PermissionDenied):
        catalogue.provider_update(acting_user=other, provider=institution, data={"name": "x"})
