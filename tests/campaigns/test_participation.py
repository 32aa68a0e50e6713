"""Associations and enterprises that join a campaign: applying, the office's decision, the unit
they become and its activities, the public page and the API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from qualitymonth.campaigns import participation_selectors as selectors
from qualitymonth.campaigns.models import Activity, Participation
from qualitymonth.campaigns.services import activities as activity_services
from qualitymonth.campaigns.services import participation as services
from qualitymonth.core.models import AuditEvent, Membership, Unit
from qualitymonth.core.notify import ConsoleBackend
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.core.validators import uscc_check_character
from tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

MOBILE = "13912340000"


def code(n: int, authority: str = "5") -> str:
    """A test code outside anything real: division 999999 (unused by GB/T 2260)."""
    body = f"{authority}1999999{n:09d}"
    return body + uscc_check_character(body)


def _data(campaign, n: int = 1, **overrides) -> dict:
    data = {
        "kind": "association",
        "name": f"测试质量协会{n}",
        "uscc": code(n),
        "district": campaign.region.children.first(),
        "contact_name": "陈晓明",
        "contact_mobile": MOBILE,
        "plan": "九月举办两场质量管理培训。",
    }
    data.update(overrides)
    return data


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def applicant(db):
    return UserFactory(username="applicant")


@pytest.fixture
def applicant_client(applicant):
    return _client(applicant)


@pytest.fixture
def application(campaign, applicant):
    return services.participation_apply(campaign=campaign, acting_user=applicant, **_data(campaign))


@pytest.fixture
def other_city_office(db):
    other = CampaignFactory()
    return MembershipFactory(
        unit=other.lead_unit,
        role=Membership.Role.CAMPAIGN_OFFICE,
        user=UserFactory(username="other-office"),
    ).user


def _fresh(user):
    """The policy keeps a user's memberships on the object: read them again after a change."""
    return type(user).objects.get(pk=user.pk)


# --- applying ------------------------------------------------------------------------------------
def test_apply_stores_a_pending_application_and_audits(application, applicant):
    assert application.status == Participation.Status.PENDING
    assert application.applicant == applicant
    assert application.contact_mobile == MOBILE
    assert AuditEvent.objects.filter(event_type="participation.apply").count() == 1


def test_apply_accepts_an_enterprise_code_starting_with_9(campaign, applicant):
    p = services.participation_apply(
        campaign=campaign,
        acting_user=applicant,
        **_data(campaign, kind="enterprise", name="测试精密有限公司", uscc=code(2, "9")),
    )
    assert p.kind == "enterprise"


@pytest.mark.parametrize(
    "uscc, kind",
    [
        ("513502001234567890", "association"),  # check character wrong
        ("ABC", "association"),
        (code(3, "9"), "association"),  # an enterprise's code for an association
        (code(3, "5"), "enterprise"),
    ],
)
def test_apply_refuses_a_bad_code_and_saves_nothing(campaign, applicant, uscc, kind):
    with pytest.raises(ValidationError) as error:
        services.participation_apply(
            campaign=campaign, acting_user=applicant, **_data(campaign, uscc=uscc, kind=kind)
        )
    assert "uscc" in error.value.error_dict
    assert not Participation.objects.exists()


def test_a_second_live_application_for_a_code_is_refused(application, campaign):
    with pytest.raises(ValidationError) as error:
        services.participation_apply(
            campaign=campaign, acting_user=UserFactory(username="someone"), **_data(campaign)
        )
    assert error.value.error_dict["uscc"][0].code == "duplicate"
    assert "already applied" in error.value.messages[0]


def test_after_a_decline_the_organisation_may_apply_again(application, campaign, office_user):
    services.participation_decline(
        participation=application, reason="材料不全", acting_user=office_user
    )
    again = services.participation_apply(
        campaign=campaign, acting_user=application.applicant, **_data(campaign)
    )
    assert again.status == Participation.Status.PENDING


def test_an_ended_campaign_takes_no_applications(campaign, applicant):
    campaign.starts_on = dt.date(2020, 9, 1)
    campaign.ends_on = dt.date(2020, 9, 30)
    campaign.save()
    with pytest.raises(ValidationError) as error:
        services.participation_apply(campaign=campaign, acting_user=applicant, **_data(campaign))
    assert error.value.code == "closed"


def test_anonymous_cannot_apply(campaign):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.participation_apply(
            campaign=campaign, acting_user=AnonymousUser(), **_data(campaign)
        )


def test_join_page_sends_anonymous_to_login(client, campaign):
    response = client.get(f"/campaigns/{campaign.slug}/join/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_join_page_applies_and_lists_my_applications_masked(applicant_client, campaign):
    url = f"/campaigns/{campaign.slug}/join/"
    form = {
        **_data(campaign),
        "district": campaign.region.children.first().pk,
        "contact_mobile": "139 1234 0000",
    }
    response = applicant_client.post(url, form)
    assert response.status_code == 302
    page = applicant_client.get(url).content.decode()
    assert "测试质量协会1" in page and "139****0000" in page
    assert MOBILE not in page and "陈晓明" not in page


def test_join_page_shows_a_bad_code_on_its_field(applicant_client, campaign):
    form = {**_data(campaign, uscc=code(4, "9")), "district": ""}
    response = applicant_client.post(f"/campaigns/{campaign.slug}/join/", form)
    assert response.status_code == 400
    assert "uscc" in response.context["form"].errors
    assert not Participation.objects.exists()


def test_withdraw_asks_first_then_closes_the_application(applicant_client, application, campaign):
    url = f"/campaigns/{campaign.slug}/join/{application.pk}/withdraw/"
    assert applicant_client.get(url).status_code == 200
    application.refresh_from_db()
    assert application.status == "pending"
    assert applicant_client.post(url).status_code == 302
    application.refresh_from_db()
    assert application.status == Participation.Status.WITHDRAWN


def test_nobody_else_withdraws_an_application(application, campaign, citizen_client):
    url = f"/campaigns/{campaign.slug}/join/{application.pk}/withdraw/"
    assert citizen_client.post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.participation_withdraw(
            participation=application, acting_user=UserFactory(username="x")
        )


# --- the office's decision ---------------------------------------------------------------------
def test_accept_makes_the_unit_and_its_manager(
    application, office_user, django_capture_on_commit_callbacks
):
    ConsoleBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.participation_accept(participation=application, acting_user=office_user)
    unit = accepted.unit
    assert accepted.status == Participation.Status.ACCEPTED and accepted.decided_by == office_user
    assert unit.kind == Unit.Kind.ASSOCIATION and unit.region == application.campaign.region
    assert unit.name == "测试质量协会1" and unit.code == services.unit_code_for(application.uscc)
    assert Membership.objects.filter(
        user=application.applicant, unit=unit, role=Membership.Role.UNIT_MANAGER
    ).exists()
    assert [n.mobile for n in ConsoleBackend.outbox if "测试质量协会1" in n.text] == [MOBILE]
    assert AuditEvent.objects.filter(event_type="participation.accept").exists()


def test_accept_refuses_a_name_another_unit_holds(application, office_user, campaign):
    UnitFactory(region=campaign.region, name="测试质量协会1", code="someone-else")
    with pytest.raises(ValidationError) as error:
        services.participation_accept(participation=application, acting_user=office_user)
    assert error.value.code == "name_taken"
    application.refresh_from_db()
    assert application.status == "pending" and application.unit is None


def test_accept_reuses_the_organisations_own_unit(application, office_user, campaign):
    own = UnitFactory(
        region=campaign.region,
        name="测试质量协会1",
        code=services.unit_code_for(application.uscc),
        kind=Unit.Kind.ASSOCIATION,
    )
    accepted = services.participation_accept(participation=application, acting_user=office_user)
    assert accepted.unit == own and Unit.objects.filter(name="测试质量协会1").count() == 1


def test_a_decided_application_cannot_be_decided_again(application, office_user):
    services.participation_accept(participation=application, acting_user=office_user)
    with pytest.raises(ValidationError) as error:
        services.participation_decline(
            participation=application, reason="不", acting_user=office_user
        )
    assert error.value.code == "invalid_transition"


def test_decline_needs_a_reason(application, office_user):
    with pytest.raises(ValidationError) as error:
        services.participation_decline(
            participation=application, reason="  ", acting_user=office_user
        )
    assert "reason" in error.value.error_dict
    application.refresh_from_db()
    assert application.status == "pending"


def test_another_citys_office_and_unit_staff_may_not_decide(
    application, other_city_office, staff_user
):
    for user in (other_city_office, staff_user, application.applicant):
        with pytest.raises(PermissionDenied):
            services.participation_accept(participation=application, acting_user=user)
    application.refresh_from_db()
    assert application.status == "pending"


def test_office_pages_list_decide_with_confirmation(office_client, application):
    page = office_client.get("/office/participations/?status=pending")
    assert [p.pk for p in page.context["page"]] == [application.pk]
    detail = office_client.get(f"/office/participations/{application.pk}/").content.decode()
    assert MOBILE in detail and "陈晓明" in detail  # the office handles it
    assert AuditEvent.objects.filter(event_type="participation.personal_data").exists()
    confirm = office_client.get(f"/office/participations/{application.pk}/accept/")
    assert confirm.status_code == 200
    application.refresh_from_db()
    assert application.status == "pending"
    office_client.post(f"/office/participations/{application.pk}/accept/")
    application.refresh_from_db()
    assert application.status == "accepted"


def test_office_decline_page_without_reason_shows_the_error(office_client, application):
    response = office_client.post(f"/office/participations/{application.pk}/decline/", {})
    assert response.status_code == 400 and "reason" in response.context["decline_form"].errors
    response = office_client.post(
        f"/office/participations/{application.pk}/decline/", {"reason": "不在本市"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "declined" and application.reason == "不在本市"


def test_other_citys_office_sees_none_of_it(application, other_city_office):
    client = _client(other_city_office)
    assert list(client.get("/office/participations/").context["page"]) == []
    assert client.get(f"/office/participations/{application.pk}/").status_code == 404
    assert client.post(f"/office/participations/{application.pk}/accept/").status_code == 404


def test_unit_staff_get_no_office_list(staff_client, application):
    assert staff_client.get("/office/participations/").status_code == 404


def test_office_list_searches_and_counts_queries(
    office_client, campaign, applicant, django_assert_max_num_queries
):
    for n in range(1, 6):
        services.participation_apply(
            campaign=campaign, acting_user=applicant, **_data(campaign, n=n)
        )
    with django_assert_max_num_queries(10):
        response = office_client.get("/office/participations/?q=协会3")
    assert [p.name for p in response.context["page"]] == ["测试质量协会3"]


# --- the participating unit's activities --------------------------------------------------------
def test_the_new_units_manager_plans_and_the_office_publishes(application, office_user, campaign):
    accepted = services.participation_accept(participation=application, acting_user=office_user)
    manager_client = _client(accepted.applicant)
    start = timezone.localtime() + dt.timedelta(days=3)
    form = {
        "title": "协会质量管理公益讲座",
        "summary": "面向会员企业",
        "description": "",
        "organiser": accepted.unit.pk,
        "focus_area": campaign.focus_areas.first().pk,
        "domains": [campaign.domains.first().pk],
        "kind": "offline",
        "activity_type": "lecture",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "district": campaign.region.children.first().pk,
        "venue": "协会会议室",
        "online_url": "",
        "capacity": "",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "campaign": campaign.slug,
    }
    response = manager_client.post("/office/activities/new/", form)
    assert response.status_code == 302, response.content[:2000]
    activity = Activity.objects.get(title="协会质量管理公益讲座")
    assert activity.organiser == accepted.unit
    manager = _fresh(accepted.applicant)
    activity_services.activity_submit(acting_user=manager, activity=activity)
    with pytest.raises(PermissionDenied):  # the unit does not review its own plan
        activity_services.activity_approve(acting_user=manager, activity=activity)
    activity_services.activity_approve(acting_user=office_user, activity=activity)
    activity_services.activity_publish(acting_user=office_user, activity=activity)
    assert [(u.name, u.activity_count) for u in selectors.participants(campaign)] == [
        ("测试质量协会1", 1)
    ]


# --- the campaign page --------------------------------------------------------------------------
def test_campaign_page_lists_participants_apart_without_mobile(
    client, application, office_user, campaign
):
    services.participation_accept(participation=application, acting_user=office_user)
    page = client.get(f"/campaigns/{campaign.slug}/").content.decode()
    section = page[page.index('data-testid="participants"') :]
    assert "测试质量协会1" in section
    assert f"/campaigns/{campaign.slug}/join/" in page
    assert MOBILE not in page and "139****0000" not in page and "陈晓明" not in page
    co_organisers = page[: page.index('data-testid="participants"')]
    assert "测试质量协会1" not in co_organisers


# --- the API -----------------------------------------------------------------------------------
def _body(campaign, n: int = 1, **overrides) -> dict:
    body = {**_data(campaign, n), "district": campaign.region.children.first().code}
    body.update(overrides)
    return body


def test_api_apply_mine_and_office_decide(applicant_client, office_client, campaign):
    response = applicant_client.post(
        f"/api/campaigns/{campaign.slug}/participations",
        _body(campaign),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["contact_mobile"] == "139****0000" and created["status"] == "pending"
    mine = applicant_client.get("/api/participations/mine").json()
    assert [p["id"] for p in mine["items"]] == [created["id"]]
    listed = office_client.get("/api/office/participations?status=pending").json()
    assert listed["items"][0]["contact_mobile"] == MOBILE
    accepted = office_client.post(f"/api/office/participations/{created['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["unit_code"]
    again = office_client.post(
        f"/api/office/participations/{created['id']}/decline",
        {"reason": "重复"},
        content_type="application/json",
    )
    assert again.status_code == 409


def test_api_refuses_bad_input_by_field(applicant_client, application, campaign):
    url = f"/api/campaigns/{campaign.slug}/participations"
    bad = applicant_client.post(
        url, _body(campaign, 2, uscc=code(2, "9")), content_type="application/json"
    )
    assert bad.status_code == 400 and "uscc" in bad.json()["errors"]
    district = applicant_client.post(
        url, _body(campaign, 2, district="110101"), content_type="application/json"
    )
    assert district.status_code == 400 and "district" in district.json()["errors"]
    duplicate = applicant_client.post(url, _body(campaign), content_type="application/json")
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate"
    assert Participation.objects.count() == 1


def test_api_forbidden_to_anonymous_and_non_office(client, citizen_client, application, campaign):
    url = f"/api/campaigns/{campaign.slug}/participations"
    assert client.post(url, _body(campaign, 2), content_type="application/json").status_code == 401
    assert citizen_client.get("/api/office/participations").status_code == 403
    accept = citizen_client.post(f"/api/office/participations/{application.pk}/accept")
    assert accept.status_code == 403


def test_api_other_citys_office_finds_nothing(application, other_city_office):
    client = _client(other_city_office)
    assert client.get("/api/office/participations").json()["count"] == 0
    assert client.post(f"/api/office/participations/{application.pk}/accept").status_code == 404


def test_api_participants_are_public_and_carry_no_personal_data(
    client, application, office_user, campaign, django_assert_max_num_queries
):
    services.participation_accept(participation=application, acting_user=office_user)
    with django_assert_max_num_queries(3):
        response = client.get(f"/api/campaigns/{campaign.slug}/participants")
    assert response.status_code == 200
    (item,) = response.json()
    assert item["name"] == "测试质量协会1" and item["activity_count"] == 0
    assert item["calendar_url"].endswith(f"?unit={item['code']}")
    assert MOBILE not in response.content.decode() and "陈晓明" not in response.content.decode()


# --- the demo ------------------------------------------------------------------------------------
def test_demo_participants_are_accepted_with_published_activities_and_load_once(
    campaign, office_user
):
    from qualitymonth.campaigns.demo import participations as demo

    demo.load(campaign)
    counts = {u.name: u.activity_count for u in selectors.participants(campaign)}
    assert counts == {
        "厦门市示例质量协会": 2,
        "厦门市示例计量测试学会": 1,
        "厦门市示例食品行业协会": 1,
    }
    for row in demo.read():
        assert demo.demo_uscc(row)[:2] == "51" and "示例" in row["name"]
    before = (Participation.objects.count(), Activity.objects.count(), Unit.objects.count())
    demo.load(campaign)
    assert (Participation.objects.count(), Activity.objects.count(), Unit.objects.count()) == before


def test_enterprise_timeline_shows_its_applications(campaign, applicant, django_assert_num_queries):
    from tests.enterprises.conftest import make_enterprise

    enterprise = make_enterprise(campaign.region, 7)
    services.participation_apply(
        campaign=campaign,
        acting_user=applicant,
        **_data(campaign, kind="enterprise", name=enterprise.name, uscc=enterprise.uscc),
    )
    with django_assert_num_queries(1):
        entries = selectors.timeline_entries(enterprise)
    assert [e.status for e in entries] == ["Waiting for the office"]


@pytest.mark.parametrize("path", ["/api/participations/mine", "/api/office/participations"])
def test_api_lists_past_the_end_are_empty(office_client, application, path):
    response = office_client.get(path, {"page": 2**63 - 1})
    assert response.status_code == 200 and response.json()["items"] == []


def test_an_organisation_joining_again_next_year_keeps_its_unit(
    application, office_user, campaign, applicant
):
    first = services.participation_accept(participation=application, acting_user=office_user)
    next_year = CampaignFactory(
        region=campaign.region, lead_unit=campaign.lead_unit, year=campaign.year + 1
    )
    again = services.participation_apply(
        campaign=next_year, acting_user=applicant, **_data(next_year)
    )
    second = services.participation_accept(participation=again, acting_user=office_user)
    assert second.unit == first.unit
    assert list(first.unit.participations.order_by("pk")) == [first, second]


def test_after_withdrawing_the_organisation_may_apply_again(application, campaign, applicant):
    services.participation_withdraw(participation=application, acting_user=applicant)
    again = services.participation_apply(
        campaign=campaign, acting_user=applicant, **_data(campaign)
    )
    assert again.status == Participation.Status.PENDING
