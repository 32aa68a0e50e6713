"""Campaign programmes: creating one, building its targets from filters (complaints included),
planning visits as accepted needs, the progress figures, the pages, the public panel and the API."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from qualitymonth.campaigns.models import Activity
from qualitymonth.complaints.models import Complaint
from qualitymonth.core.models import AuditEvent, Membership, Region, Unit
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.enterprises import programme_selectors as selectors
from qualitymonth.enterprises.models import (
    Industry,
    Need,
    Programme,
    ProgrammeTarget,
    Provider,
    ServiceType,
    Visit,
    normalise_name,
)
from qualitymonth.enterprises.services import needs as need_services
from qualitymonth.enterprises.services import programmes as services
from tests.enterprises.conftest import make_enterprise
from tests.factories import ActivityFactory, MembershipFactory, UnitFactory, UserFactory
from tests.queries import session_queries

pytestmark = pytest.mark.django_db
S = Need.Status


# --- fixtures --------------------------------------------------------------------------------
@pytest.fixture
def calibration(db):
    return ServiceType.objects.create(
        code="test-calibration",
        category=ServiceType.Category.METROLOGY,
        name="校准",
        is_charged=True,
        response_workdays=7,
        completion_workdays=15,
    )


@pytest.fixture
def institute(campaign, calibration):
    unit = UnitFactory(region=campaign.region, name="测试计量院", code="t-nqi", kind=Unit.Kind.NQI)
    provider = Provider.objects.create(
        region=campaign.region, kind=Provider.Kind.INSTITUTION, name="测试计量院", unit=unit
    )
    provider.service_types.add(calibration)
    return provider


@pytest.fixture
def provider_user(institute):
    return MembershipFactory(
        unit=institute.unit, role=Membership.Role.UNIT_STAFF, user=UserFactory(username="metro")
    ).user


@pytest.fixture
def programme(activity, calibration, office_user):
    return services.programme_create(
        activity=activity, service_type=calibration, goal_enterprises=10, acting_user=office_user
    )


@pytest.fixture
def registry(campaign):
    """Five enterprises: two SMEs in 湖里区 (one of them in C34 and named by two complaints), a
    key-industry one in 思明区, a specialised one without a district, one in another city."""
    huli = Region.objects.get(code="350206")
    siming = Region.objects.get(code="350203")
    c34 = Industry.objects.get(code="34")
    i52 = Industry.objects.get(code="52")
    e = {
        "machine": make_enterprise(
            campaign.region,
            11,
            name="厦门市湖里区示例精工机械有限公司",
            district=huli,
            industry=c34,
            is_sme=True,
            size="small",
        ),
        "shop": make_enterprise(
            campaign.region, 12, name="示例生鲜超市", district=huli, industry=i52, is_sme=True
        ),
        "key": make_enterprise(
            campaign.region, 13, name="示例重点企业", district=siming, is_key_industry=True
        ),
        "special": make_enterprise(campaign.region, 14, name="示例专精企业", is_specialised=True),
    }
    other_city = Region.objects.create(code="990099", name="别的市", level=Region.Level.CITY)
    e["elsewhere"] = make_enterprise(other_city, 15, name="外地示例企业", is_sme=True)
    # Complaints name the machine maker once by code, once by its business name.
    _complaint(campaign.region, 1, respondent_uscc=e["machine"].uscc)
    # Intake stores the key of the name it was given (normalise_name is the same function).
    machine_key = e["machine"].name_key
    assert machine_key and machine_key == normalise_name(e["machine"].name)
    _complaint(campaign.region, 2, respondent_name="示例精工机械", respondent_key=machine_key)
    _complaint(campaign.region, 3, respondent_uscc=e["shop"].uscc)
    return e


def _complaint(region, n: int, **fields) -> Complaint:
    values = {
        "kind": Complaint.Kind.values[0],
        "region": region,
        "complainant_name": "赵投诉",
        "complainant_mobile": "13712345678",
        "facts": "质量问题",
        "tracking_number": f"TESTP{n:07d}",
    }
    values.update(fields)
    return Complaint.objects.create(**values)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def in_a_week() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=7)


# --- creating --------------------------------------------------------------------------------
def test_the_office_creates_a_programme_of_its_activity(programme, activity, office_user):
    assert programme.region == activity.campaign.region
    assert programme.goal_enterprises == 10
    assert AuditEvent.objects.filter(event_type="programme.created").count() == 1


def test_one_programme_per_activity(programme, activity, calibration, office_user):
    with pytest.raises(ValidationError) as refused:
        services.programme_create(
            activity=activity, service_type=calibration, goal_enterprises=1, acting_user=office_user
        )
    assert "activity" in refused.value.error_dict
    assert Programme.objects.count() == 1


def test_bad_input_is_refused_by_field_and_nothing_saved(activity, office_user):
    with pytest.raises(ValidationError) as refused:
        services.programme_create(
            activity=activity, service_type=None, goal_enterprises=-3, acting_user=office_user
        )
    assert set(refused.value.error_dict) == {"service_type", "goal_enterprises"}
    assert not Programme.objects.exists()


@pytest.mark.parametrize("who", ["staff", "anonymous", "other_office", "citizen"])
def test_only_the_office_of_the_region_creates(
    who, activity, calibration, staff_user, citizen_user, other_office_client
):
    from django.contrib.auth.models import AnonymousUser

    user = {
        "staff": staff_user,
        "anonymous": AnonymousUser(),
        "other_office": other_office_client.user,
        "citizen": citizen_user,
    }[who]
    with pytest.raises(PermissionDenied):
        services.programme_create(
            activity=activity, service_type=calibration, goal_enterprises=1, acting_user=user
        )
    assert not Programme.objects.exists()


# --- targets ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"district": "350206"}, {"machine", "shop"}),
        ({"industry": "C"}, {"machine"}),  # a section letter: its divisions
        ({"industry": "34"}, {"machine"}),
        ({"size": "small"}, {"machine"}),
        ({"is_sme": True}, {"machine", "shop"}),  # not the SME of another city
        ({"is_key_industry": True}, {"key"}),
        ({"is_specialised": "on"}, {"special"}),
        ({"min_complaints": 1}, {"machine", "shop"}),
        ({"min_complaints": 2}, {"machine"}),  # by code and by name
        ({"is_sme": True, "min_complaints": 2}, {"machine"}),
    ],
)
def test_targets_are_built_from_each_filter(programme, registry, office_user, filters, expected):
    added = services.programme_targets_build(
        programme=programme, filters=filters, acting_user=office_user
    )
    names = {k for k, e in registry.items() if programme.targets.filter(enterprise=e).exists()}
    assert names == expected and added == len(expected)
    programme.refresh_from_db()
    assert programme.target_filter == services.clean_target_filters(programme.region, filters)


def test_building_again_keeps_the_targets_and_adds_only_new_ones(programme, registry, office_user):
    services.programme_targets_build(
        programme=programme, filters={"min_complaints": 2}, acting_user=office_user
    )
    added = services.programme_targets_build(
        programme=programme, filters={"district": "350206"}, acting_user=office_user
    )
    assert added == 1 and programme.targets.count() == 2


def test_complaint_counts_are_one_query(programme, registry, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = {e.name: e.complaints for e in selectors.target_candidates(programme.region, {})}
    assert counts[registry["machine"].name] == 2
    assert counts[registry["shop"].name] == 1
    assert counts[registry["key"].name] == 0


@pytest.mark.parametrize(
    "filters, field",
    [
        ({"district": "990000"}, "district"),
        ({"industry": "ZZ"}, "industry"),
        ({"size": "giant"}, "size"),
        ({"min_complaints": "many"}, "min_complaints"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_filters_are_refused_by_field(programme, registry, office_user, filters, field):
    with pytest.raises(ValidationError) as refused:
        services.programme_targets_build(
            programme=programme, filters=filters, acting_user=office_user
        )
    assert field in refused.value.error_dict
    assert not programme.targets.exists()


def test_no_filter_at_all_is_refused(programme, registry, office_user):
    with pytest.raises(ValidationError):
        services.programme_targets_build(programme=programme, filters={}, acting_user=office_user)


def test_another_city_and_unit_staff_cannot_build_or_remove(
    programme, registry, office_user, staff_user, other_office_client
):
    for user in (staff_user, other_office_client.user):
        with pytest.raises(PermissionDenied):
            services.programme_targets_build(
                programme=programme, filters={"is_sme": True}, acting_user=user
            )
    services.programme_targets_build(
        programme=programme, filters={"is_sme": True}, acting_user=office_user
    )
    target = programme.targets.first()
    with pytest.raises(PermissionDenied):
        services.programme_target_remove(target=target, acting_user=staff_user)
    services.programme_target_remove(target=target, acting_user=office_user)
    assert programme.targets.count() == 1
    assert AuditEvent.objects.filter(event_type="programme.target_removed").count() == 1


# --- planned visits and progress ---------------------------------------------------------------
def _with_targets(programme, registry, office_user):
    services.programme_targets_build(
        programme=programme, filters={"district": "350206"}, acting_user=office_user
    )
    services.programme_targets_build(
        programme=programme, filters={"is_key_industry": True}, acting_user=office_user
    )
    return registry


def test_planned_visits_are_accepted_needs_of_the_programme(programme, registry, office_user):
    _with_targets(programme, registry, office_user)
    day = in_a_week()
    filed = services.programme_visits_plan(
        programme=programme,
        enterprises=[registry["machine"], registry["shop"].pk],
        planned_on=day,
        acting_user=office_user,
    )
    assert len(filed) == 2
    for need in Need.objects.filter(programme=programme):
        assert need.status == S.ACCEPTED and need.wished_from == day
        assert need.service_type == programme.service_type and need.complete_by
        assert programme.activity.title in need.description
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {"need.filed", "need.accepted", "programme.visits_planned"} <= events
    # A target with an open visit gets no second one.
    again = services.programme_visits_plan(
        programme=programme,
        enterprises=[registry["machine"]],
        planned_on=day,
        acting_user=office_user,
    )
    assert again == [] and Need.objects.filter(programme=programme).count() == 2


def test_visits_only_for_targets_and_on_a_day_to_come(programme, registry, office_user):
    _with_targets(programme, registry, office_user)
    with pytest.raises(ValidationError) as not_target:
        services.programme_visits_plan(
            programme=programme,
            enterprises=[registry["special"]],
            planned_on=in_a_week(),
            acting_user=office_user,
        )
    assert "enterprises" in not_target.value.error_dict
    with pytest.raises(ValidationError) as past:
        services.programme_visits_plan(
            programme=programme,
            enterprises=[registry["machine"]],
            planned_on=timezone.localdate() - dt.timedelta(days=1),
            acting_user=office_user,
        )
    assert "planned_on" in past.value.error_dict
    assert not Need.objects.exists()


def _serve(need, *, office_user, provider_user, institute, visits, fees=None, rate=False):
    need_services.need_dispatch(need=need, provider=institute, acting_user=office_user)
    need_services.need_start(need=need, acting_user=provider_user)
    for n, (found, solved) in enumerate(visits):
        Visit.objects.create(
            need=need,
            visited_on=dt.date(2022, 9, 10 + n),
            logged_by=provider_user,
            notes="现场",
            problems_found=found,
            problems_solved=solved,
        )
    if fees:
        need_services.need_deliver(need=need, acting_user=provider_user, **fees)
    if rate:
        Need.objects.filter(pk=need.pk).update(status=S.CLOSED, rating=5)


def test_progress_figures_match_hand_counts(
    programme, registry, office_user, provider_user, institute
):
    _with_targets(programme, registry, office_user)
    machine, shop = services.programme_visits_plan(
        programme=programme,
        enterprises=[registry["machine"], registry["shop"]],
        planned_on=in_a_week(),
        acting_user=office_user,
    )
    people = {"office_user": office_user, "provider_user": provider_user, "institute": institute}
    _serve(
        machine,
        visits=[(3, 2), (1, 1)],
        fees={"fee_standard": "800", "fee_charged": "200", "relief": "reduced"},
        rate=True,
        **people,
    )
    _serve(shop, visits=[(2, 0)], **people)
    assert selectors.programme_progress(programme) == {
        "goal": 10,
        "targets": 3,  # machine, shop, key
        "reached": 2,
        "visits": 3,
        "problems_found": 6,
        "problems_solved": 3,
        "money_saved": Decimal("600.00"),
        "needs_open": 1,
        "needs_closed": 1,
        "needs": 2,
    }
    # An enterprise taken off the list is no longer "reached"; its visits still count.
    services.programme_target_remove(
        target=programme.targets.get(enterprise=registry["shop"]), acting_user=office_user
    )
    figures = selectors.programme_progress(programme)
    assert (figures["targets"], figures["reached"], figures["visits"]) == (2, 1, 3)


def test_progress_of_many_programmes_is_a_bounded_number_of_queries(
    campaign, unit, calibration, office_user, registry, django_assert_num_queries
):
    programmes = []
    for _n in range(4):
        activity = ActivityFactory(campaign=campaign, organiser=unit)
        p = services.programme_create(
            activity=activity, service_type=calibration, goal_enterprises=2, acting_user=office_user
        )
        services.programme_targets_build(
            programme=p, filters={"is_sme": True}, acting_user=office_user
        )
        programmes.append(p)
    with django_assert_num_queries(3):
        figures = selectors.progress_for(programmes)
    assert all(f["targets"] == 2 for f in figures.values())


# --- pages -----------------------------------------------------------------------------------
def test_list_page_shows_progress_in_a_bounded_number_of_queries(
    campaign, unit, calibration, office_user, office_client, django_assert_num_queries
):
    for _n in range(3):
        services.programme_create(
            activity=ActivityFactory(campaign=campaign, organiser=unit),
            service_type=calibration,
            goal_enterprises=5,
            acting_user=office_user,
        )
    office_client.get("/office/programmes/")  # warm the session and the memberships
    # Seven for the page, and the session where it lives in the database.
    with django_assert_num_queries(7 + session_queries()):
        page = office_client.get("/office/programmes/")
    assert page.status_code == 200
    assert page.content.decode().count('href="/office/programmes/') >= 4


def test_pages_for_the_office_staff_and_strangers(
    programme, registry, office_client, staff_client, other_office_client, citizen_client
):
    url = f"/office/programmes/{programme.pk}/"
    assert office_client.get(url).status_code == 200
    assert staff_client.get(url).status_code == 200  # the organiser's staff follow it
    assert other_office_client.get(url).status_code == 404
    assert citizen_client.get(url).status_code == 403
    assert Client().get(url).status_code == 302
    assert staff_client.get(f"/office/programmes/{programme.pk}/targets/").status_code == 403
    assert staff_client.get("/office/programmes/new/").status_code == 403


def test_create_page(activity, calibration, office_client):
    page = office_client.get("/office/programmes/new/")
    assert page.status_code == 200 and activity.title in page.content.decode()
    bad = office_client.post(
        "/office/programmes/new/", {"activity": activity.pk, "goal_enterprises": "x"}
    )
    assert bad.status_code == 400 and not Programme.objects.exists()
    response = office_client.post(
        "/office/programmes/new/",
        {"activity": activity.pk, "service_type": calibration.pk, "goal_enterprises": 12},
    )
    programme = Programme.objects.get()
    assert response.status_code == 302 and response.url == f"/office/programmes/{programme.pk}/"


def test_targets_preview_then_confirm(programme, registry, office_client):
    url = f"/office/programmes/{programme.pk}/targets/"
    preview = office_client.get(url, {"district": "350206", "min_complaints": "1"})
    assert preview.status_code == 200
    assert preview.context["matches"] == 2 and preview.context["new"] == 2
    assert not programme.targets.exists()  # a preview saves nothing
    flagged = office_client.get(url, {"is_sme": "on"}).content.decode()
    assert 'name="is_sme" value="on"' in flagged  # the confirmation posts the same filters
    done = office_client.post(url, {"district": "350206", "min_complaints": "1"})
    assert done.status_code == 302 and programme.targets.count() == 2
    bad = office_client.post(url, {"min_complaints": "-1"})
    assert bad.status_code == 400


def test_remove_asks_first_and_plan_visits_from_the_page(programme, registry, office_client):
    office_client.post(f"/office/programmes/{programme.pk}/targets/", {"district": "350206"})
    target = programme.targets.get(enterprise=registry["shop"])
    remove = f"/office/programmes/{programme.pk}/targets/{target.pk}/remove/"
    confirm = office_client.get(remove)
    assert confirm.status_code == 200 and registry["shop"].name in confirm.content.decode()
    assert programme.targets.count() == 2
    assert office_client.post(remove).status_code == 302
    assert programme.targets.count() == 1
    response = office_client.post(
        f"/office/programmes/{programme.pk}/visits/",
        {"enterprises": [registry["machine"].pk], "planned_on": in_a_week().isoformat()},
    )
    assert response.status_code == 302
    need = Need.objects.get(programme=programme)
    page = office_client.get(f"/office/programmes/{programme.pk}/").content.decode()
    assert f"/office/needs/{need.number}/" in page


def test_export_targets(programme, registry, office_user, office_client, other_office_client):
    services.programme_targets_build(
        programme=programme, filters={"is_sme": True}, acting_user=office_user
    )
    response = office_client.get(f"/office/programmes/{programme.pk}/targets.xlsx")
    assert response.status_code == 200
    import io

    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and {r[0] for r in rows[1:]} == {
        registry["machine"].uscc,
        registry["shop"].uscc,
    }
    assert (
        other_office_client.get(f"/office/programmes/{programme.pk}/targets.xlsx").status_code
        == 404
    )


# --- public ------------------------------------------------------------------------------------
def test_public_panel_shows_figures_and_no_enterprise_name(
    campaign, programme, registry, office_user, provider_user, institute
):
    _with_targets(programme, registry, office_user)
    (need,) = services.programme_visits_plan(
        programme=programme,
        enterprises=[registry["machine"]],
        planned_on=in_a_week(),
        acting_user=office_user,
    )
    _serve(
        need,
        office_user=office_user,
        provider_user=provider_user,
        institute=institute,
        visits=[(4, 3)],
        fees={"fee_standard": "500", "fee_charged": "0", "relief": "waived"},
    )
    page = Client().get(f"/campaigns/{campaign.slug}/")
    if page.status_code == 404:
        page = Client().get("/")
    text = page.content.decode()
    assert 'data-testid="programmes-panel"' in text
    assert programme.activity.title in text and "500" in text
    for enterprise in registry.values():
        assert enterprise.name not in text
    api = Client().get(f"/api/campaigns/{campaign.slug}/programmes").json()
    assert api[0]["reached"] == 1 and api[0]["problems_solved"] == 3
    assert "machine" not in json.dumps(api) and registry["machine"].name not in json.dumps(api)


def test_an_unpublished_activity_is_not_on_the_public_page(campaign, programme):
    Activity.objects.filter(pk=programme.activity_id).update(status=Activity.Status.DRAFT)
    assert selectors.public_progress(campaign) == []
    assert selectors.public_panel(campaign) is None


def test_timeline_entries_name_the_programmes_targeting_the_enterprise(
    programme, registry, office_user
):
    services.programme_targets_build(
        programme=programme, filters={"is_key_industry": True}, acting_user=office_user
    )
    (entry,) = selectors.timeline_entries(registry["key"])
    assert entry.title == programme.activity.title and entry.url.endswith(f"/{programme.pk}/")
    assert selectors.timeline_entries(registry["shop"]) == []


# --- API ---------------------------------------------------------------------------------------
def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_happy_path(activity, calibration, registry, office_client):
    created = _post(
        office_client,
        "/api/office/programmes",
        {"activity_id": activity.pk, "service_type": calibration.code, "goal_enterprises": 3},
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    built = _post(office_client, f"/api/office/programmes/{pk}/targets", {"min_complaints": 1})
    assert built.status_code == 200 and built.json()["added"] == 2
    planned = _post(
        office_client,
        f"/api/office/programmes/{pk}/visits",
        {"enterprise_ids": [registry["machine"].pk], "planned_on": in_a_week().isoformat()},
    )
    assert planned.status_code == 201 and planned.json()[0]["status"] == "accepted"
    listed = office_client.get("/api/office/programmes").json()
    assert listed["count"] == 1 and listed["items"][0]["progress"]["targets"] == 2
    detail = office_client.get(f"/api/office/programmes/{pk}").json()
    assert {t["complaints"] for t in detail["targets"]} == {2, 1}


def test_api_refuses_strangers_and_bad_input(
    programme, registry, activity, calibration, staff_client, other_office_client, office_client
):
    body = {"activity_id": activity.pk, "service_type": calibration.code}
    assert _post(staff_client, "/api/office/programmes", body).status_code == 403
    assert _post(Client(), "/api/office/programmes", body).status_code in (401, 403)
    assert other_office_client.get(f"/api/office/programmes/{programme.pk}").status_code == 404
    assert (
        _post(
            other_office_client, f"/api/office/programmes/{programme.pk}/targets", {"is_sme": True}
        ).status_code
        == 404
    )
    duplicate = _post(office_client, "/api/office/programmes", body)
    assert duplicate.status_code == 409 and "activity_id" in duplicate.json()["errors"]
    bad = _post(office_client, f"/api/office/programmes/{programme.pk}/targets", {"industry": "ZZ"})
    assert bad.status_code == 400 and "industry" in bad.json()["errors"]
    not_target = _post(
        office_client,
        f"/api/office/programmes/{programme.pk}/visits",
        {"enterprise_ids": [registry["elsewhere"].pk], "planned_on": in_a_week().isoformat()},
    )
    assert not_target.status_code == 400 and "enterprise_ids" in not_target.json()["errors"]
    assert Client().get("/api/campaigns/no-such/programmes").status_code == 404
    assert not Need.objects.exists() and not ProgrammeTarget.objects.exists()


# --- demo --------------------------------------------------------------------------------------
def test_the_demo_makes_three_programmes_with_progress_and_loads_twice_without_duplicates(
    campaign, unit, office_user
):
    from qualitymonth.enterprises.demo import loader
    from qualitymonth.enterprises.demo import programmes as demo

    loader.load(campaign)
    for title in ("计量服务中小企业行", "工业企业质量诊断帮扶行动", "质量专家企业行·同安站"):
        ActivityFactory(campaign=campaign, organiser=unit, title=title)
    demo.load(campaign)
    counts = (Programme.objects.count(), ProgrammeTarget.objects.count(), Need.objects.count())
    demo.load(campaign)
    assert counts[0] == 3
    assert (Programme.objects.count(), ProgrammeTarget.objects.count(), Need.objects.count()) == (
        counts
    )
    figures = selectors.progress_for(Programme.objects.all())
    for programme_figures in figures.values():
        assert programme_figures["targets"] >= programme_figures["needs"] > 0
        assert programme_figures["visits"] > 0 and programme_figures["reached"] > 0
    assert sum(f["money_saved"] for f in figures.values()) > 0


def test_the_stored_filter_reads_in_the_office_s_words(campaign):
    from qualitymonth.enterprises.programme_forms import describe_target_filter

    district = campaign.region.children.first()
    words = describe_target_filter(
        {"district": district.code, "is_sme": True, "min_complaints": 2, "size": "small"},
        region=campaign.region,
    )
    assert f"District: {district.localized_name}" in words
    assert "SMEs only" in words and "Size: Small" in words
    assert any(w.endswith(": 2") for w in words)
