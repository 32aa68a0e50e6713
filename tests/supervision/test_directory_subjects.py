"""The directory of subjects: adding each kind (codes checked, duplicates refused), changing,
closing after a confirmation, the Excel import (all or nothing, merged by code) and export, the
pages and the API, and who may do what."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from qualitymonth.core.models import AuditEvent, Membership, Region
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.enterprises.models import Industry
from qualitymonth.supervision.models import Canteen, Elevator, Subject
from qualitymonth.supervision.services import directories as services
from qualitymonth.supervision.services import directory_imports as imports
from tests.enterprises.conftest import make_enterprise
from tests.factories import MembershipFactory, RegionFactory, UnitFactory, UserFactory
from tests.supervision.conftest import login, make_canteen, make_elevator
from tests.supervision.directory_helpers import (
    DAY,
    canteen_data,
    elevator_data,
    licence,
    sheet_row,
    workbook,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_city(db):
    city = RegionFactory(code="999902", name="测试另一市", level=Region.Level.CITY)
    RegionFactory(code="999903", name="测试另一区", level=Region.Level.DISTRICT, parent=city)
    return city


@pytest.fixture
def other_office(other_city):
    unit = UnitFactory(region=other_city, name="测试另一市质量办", code="other-office")
    user = UserFactory(username="other-office")
    MembershipFactory(unit=unit, role=Membership.Role.CAMPAIGN_OFFICE, user=user)
    return user


# --- services ------------------------------------------------------------------------------------
def test_office_adds_a_canteen_with_its_licence_and_the_audit_says_so(
    campaign, districts, office_user
):
    subject = services.subject_create(
        region=campaign.region,
        kind="canteen",
        data=canteen_data(1, districts[0]),
        acting_user=office_user,
    )
    assert subject.name == "测试第1小学学生食堂" and subject.district == districts[0]
    assert subject.canteen.licence_number == licence(1) and subject.is_active
    event = AuditEvent.objects.get(event_type="supervision.directory.subject_created")
    assert event.object_id == str(subject.pk) and event.detail["licence_number"] == licence(1)


@pytest.mark.parametrize("bad", ["JY123", "SC99990000000001", "JY9999000000000X", ""])
def test_a_licence_number_that_is_not_jy_and_14_digits_is_refused_and_nothing_stored(
    campaign, districts, office_user, bad
):
    with pytest.raises(ValidationError) as caught:
        services.subject_create(
            region=campaign.region,
            kind="canteen",
            data=canteen_data(1, districts[0], licence_number=bad),
            acting_user=office_user,
        )
    assert "licence_number" in caught.value.error_dict
    assert not Subject.objects.exists() and not Canteen.objects.exists()


def test_every_problem_of_an_elevator_is_reported_at_once(campaign, office_user, districts):
    data = elevator_data(
        1,
        districts[0],
        registration_code="电梯",
        building="",
        last_maintained_on=dt.date(2999, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        services.subject_create(
            region=campaign.region, kind="elevator", data=data, acting_user=office_user
        )
    assert {"registration_code", "building", "last_maintained_on"} <= set(caught.value.error_dict)


def test_the_same_licence_or_registration_code_is_not_added_twice(campaign, districts, office_user):
    services.subject_create(
        region=campaign.region, kind="canteen", data=canteen_data(1), acting_user=office_user
    )
    services.subject_create(
        region=campaign.region, kind="elevator", data=elevator_data(1), acting_user=office_user
    )
    for kind, data, field in [
        ("canteen", canteen_data(1, school="另一所学校"), "licence_number"),
        ("elevator", elevator_data(1, building="另一栋"), "registration_code"),
    ]:
        with pytest.raises(ValidationError) as caught:
            services.subject_create(
                region=campaign.region, kind=kind, data=data, acting_user=office_user
            )
        assert caught.value.error_dict[field][0].code == "duplicate"
    assert Subject.objects.count() == 2


def test_an_enterprise_subject_copies_name_district_and_industry_from_the_registry(
    campaign, districts, office_user
):
    industry_c13 = Industry.objects.get(code="13")
    enterprise = make_enterprise(
        campaign.region, 811, name="测试食品有限公司", district=districts[1], industry=industry_c13
    )
    subject = services.subject_create(
        region=campaign.region,
        kind="enterprise",
        data={"enterprise": enterprise, "risk_grade": "c"},
        acting_user=office_user,
    )
    assert (subject.name, subject.district, subject.industry) == (
        "测试食品有限公司",
        districts[1],
        industry_c13,
    )
    assert subject.risk_grade == "C" and subject.address == "测试路1号"
    with pytest.raises(ValidationError) as caught:
        services.subject_create(
            region=campaign.region,
            kind="enterprise",
            data={"enterprise": enterprise},
            acting_user=office_user,
        )
    assert caught.value.error_dict["enterprise"][0].code == "duplicate"


def test_an_enterprise_of_another_city_and_a_district_of_another_city_are_refused(
    campaign, office_user, other_city
):
    stranger = make_enterprise(other_city, 812)
    foreign_district = Region.objects.get(code="999903")
    with pytest.raises(ValidationError) as caught:
        services.subject_create(
            region=campaign.region,
            kind="enterprise",
            data={"enterprise": stranger, "district": foreign_district},
            acting_user=office_user,
        )
    assert {"enterprise", "district"} <= set(caught.value.error_dict)


def test_units_inspectors_citizens_and_other_offices_may_not_keep_the_directory(
    campaign, inspectors, sv_manager, citizen_user, other_office, canteen
):
    for user in (inspectors[0].user, sv_manager, citizen_user, other_office):
        with pytest.raises(PermissionDenied):
            services.subject_create(
                region=campaign.region, kind="canteen", data=canteen_data(5), acting_user=user
            )
        with pytest.raises(PermissionDenied):
            services.subject_close(subject=canteen, closed_on=DAY, reason="停业", acting_user=user)
    assert Subject.objects.count() == 1


def test_update_changes_what_it_names_and_keeps_a_legacy_licence(canteen, office_user):
    # The fixture's licence (JYTEST…) predates the check: kept as it is, it is not re-checked.
    subject = services.subject_update(
        subject=canteen, data={"risk_grade": "D", "canteen": "二号食堂"}, acting_user=office_user
    )
    assert subject.risk_grade == "D" and subject.canteen.canteen == "二号食堂"
    assert subject.canteen.licence_number == "JYTEST00000001"
    event = AuditEvent.objects.get(event_type="supervision.directory.subject_updated")
    assert set(event.detail["changed"]) == {"risk_grade", "canteen"}
    with pytest.raises(ValidationError):
        services.subject_update(
            subject=canteen, data={"licence_number": "JY1"}, acting_user=office_user
        )


def test_closing_takes_the_subject_out_for_good_with_day_and_reason(canteen, office_user):
    services.subject_close(
        subject=canteen, closed_on=DAY, reason="学校撤并", acting_user=office_user
    )
    canteen.refresh_from_db()
    assert not canteen.is_active and canteen.closed_on == DAY
    event = AuditEvent.objects.get(event_type="supervision.directory.subject_closed")
    assert event.detail["reason"] == "学校撤并"
    with pytest.raises(ValidationError) as caught:
        services.subject_close(
            subject=canteen, closed_on=DAY, reason="再次", acting_user=office_user
        )
    assert caught.value.code == "closed"


def test_closing_needs_a_reason_and_a_day_that_has_come(elevator, office_user):
    with pytest.raises(ValidationError) as caught:
        services.subject_close(
            subject=elevator, closed_on=dt.date(2999, 1, 1), reason=" ", acting_user=office_user
        )
    assert {"closed_on", "reason"} <= set(caught.value.error_dict)
    elevator.refresh_from_db()
    assert elevator.is_active


# --- import and export ---------------------------------------------------------------------------
def test_import_adds_each_kind_and_a_known_code_updates_instead_of_doubling(
    campaign, districts, office_user, elevator
):
    upload = workbook(
        sheet_row(
            kind="学校食堂",
            school="测试第7幼儿园",
            school_kind="幼儿园",
            licence_number=licence(7),
            district="思明区",
            risk_grade="a",
        ),
        sheet_row(
            kind="电梯",
            registration_code="TEST-IMPORT-1",
            building="测试大厦A",
            user_unit="测试物业",
            maintenance_company="测试维保",
            last_maintained_on="2024-05-01",
        ),
        # the fixture's elevator: its code updates it, empty cells keep what is stored
        sheet_row(kind="电梯", registration_code="test0000000000000001", building="改名大厦"),
        # the same licence twice in the file: one canteen, the later cell wins
        sheet_row(kind="学校食堂", licence_number=licence(7), canteen="二号食堂"),
    )
    result = imports.subjects_import(acting_user=office_user, region=campaign.region, file=upload)
    assert result.ok, result.error_rows
    assert (len(result.created), len(result.updated)) == (2, 1)
    canteen = Subject.objects.get(canteen__licence_number=licence(7))
    assert canteen.canteen.canteen == "二号食堂" and canteen.risk_grade == "A"
    assert canteen.canteen.school_kind == "kindergarten"
    elevator.refresh_from_db()
    assert elevator.elevator.building == "改名大厦"
    assert elevator.elevator.maintenance_company == "测试电梯维保公司"
    assert Elevator.objects.count() == 2


def test_import_is_all_or_nothing_with_row_numbers(campaign, office_user):
    upload = workbook(
        sheet_row(kind="学校食堂", school="好学校", school_kind="小学", licence_number=licence(8)),
        sheet_row(kind="学校食堂", school="坏学校", school_kind="小学", licence_number="JY1"),
        sheet_row(kind="飞机", name="不是检查对象"),
    )
    result = imports.subjects_import(acting_user=office_user, region=campaign.region, file=upload)
    assert not result.ok
    rows = {row for row, _message in result.error_rows}
    assert rows == {3, 4}
    assert not Subject.objects.exists()


def test_import_without_the_kind_column_says_which_column_is_missing(campaign, office_user):
    result = imports.subjects_import(
        acting_user=office_user, region=campaign.region, file=workbook(["x"], header=["名称"])
    )
    assert result.error_rows[0][0] == 1 and "类型" in result.error_rows[0][1]


def test_export_reads_back_through_the_import(campaign, office_user, canteen, elevator):
    content = imports.subjects_export(
        acting_user=office_user,
        region=campaign.region,
        subjects=Subject.objects.filter(region=campaign.region),
    )
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[0][0].startswith("类型")
    result = imports.subjects_import(
        acting_user=office_user, region=campaign.region, file=io.BytesIO(content)
    )
    assert result.ok and len(result.updated) == 2 and not result.created


# --- pages ---------------------------------------------------------------------------------------
def test_list_page_searches_filters_and_paginates_in_a_few_queries(
    campaign, districts, office_user, django_assert_max_num_queries
):
    for n in range(1, 36):
        make_elevator(campaign.region, districts[n % 2], n)
    make_canteen(campaign.region, districts[0], 99, risk_grade="D")
    client = login(office_user)
    with django_assert_max_num_queries(12):
        page = client.get("/office/supervision/subjects/")
    assert page.status_code == 200 and page.context["page"].paginator.count == 36
    assert len(page.context["page"].object_list) == 30
    found = client.get("/office/supervision/subjects/", {"q": "JYTEST00000099"})
    assert [s.name for s in found.context["page"]] == ["测试第99幼儿园食堂"]
    graded = client.get("/office/supervision/subjects/", {"kind": "canteen", "risk_grade": "D"})
    assert graded.context["page"].paginator.count == 1
    district = client.get("/office/supervision/subjects/", {"district": districts[0].code})
    assert district.context["page"].paginator.count == 18


def test_units_read_the_directory_but_citizens_and_enterprises_do_not(
    canteen, inspectors, citizen_user, enterprise_user
):
    reader = login(inspectors[2].user)
    assert reader.get("/office/supervision/subjects/").status_code == 200
    assert reader.get(f"/office/supervision/subjects/{canteen.pk}/").status_code == 200
    assert reader.get("/office/supervision/subjects/new/canteen/").status_code == 403
    assert reader.get(f"/office/supervision/subjects/{canteen.pk}/close/").status_code == 403
    for user in (citizen_user, enterprise_user):
        assert login(user).get("/office/supervision/subjects/").status_code == 403


def test_another_citys_office_finds_no_such_subject(canteen, other_office):
    client = login(other_office)
    assert client.get(f"/office/supervision/subjects/{canteen.pk}/").status_code == 404
    assert client.get(f"/office/supervision/subjects/{canteen.pk}/edit/").status_code == 404


def test_new_canteen_page_adds_it_and_refuses_a_bad_licence_beside_the_field(
    campaign, districts, office_client
):
    data = {
        "school": "测试第3中学",
        "school_kind": "secondary",
        "licence_number": licence(3),
        "district": districts[0].pk,
    }
    bad = office_client.post(
        "/office/supervision/subjects/new/canteen/", {**data, "licence_number": "JY12"}
    )
    assert bad.status_code == 400 and "licence_number" in bad.context["form"].errors
    assert not Subject.objects.exists()
    response = office_client.post("/office/supervision/subjects/new/canteen/", data)
    subject = Subject.objects.get()
    assert (
        response.status_code == 302
        and response.url == f"/office/supervision/subjects/{subject.pk}/"
    )
    assert office_client.get(response.url).status_code == 200


def test_enterprise_page_finds_the_registry_and_takes_a_code(
    campaign, office_client, sv_enterprise
):
    page = office_client.get("/office/supervision/subjects/new/enterprise/", {"find": "测试餐饮"})
    assert sv_enterprise in page.context["enterprises"]
    response = office_client.post(
        "/office/supervision/subjects/new/enterprise/", {"enterprise": sv_enterprise.uscc}
    )
    assert response.status_code == 302
    assert Subject.objects.get().enterprise == sv_enterprise
    unknown = office_client.post(
        "/office/supervision/subjects/new/enterprise/", {"enterprise": "91999999000000000X"}
    )
    assert unknown.status_code == 400 and "enterprise" in unknown.context["form"].errors


def test_close_page_confirms_first_then_closes(elevator, office_client):
    page = office_client.get(f"/office/supervision/subjects/{elevator.pk}/close/")
    assert page.status_code == 200
    elevator.refresh_from_db()
    assert elevator.is_active
    response = office_client.post(
        f"/office/supervision/subjects/{elevator.pk}/close/",
        {"closed_on": "2024-05-06", "reason": "电梯已拆除"},
    )
    assert response.status_code == 302
    elevator.refresh_from_db()
    assert not elevator.is_active and elevator.closed_on == DAY


def test_edit_page_keeps_the_kind_and_saves(canteen, office_client):
    page = office_client.get(f"/office/supervision/subjects/{canteen.pk}/edit/")
    form = page.context["form"]
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in form.initial.items()}
    data.update(risk_grade="A", name="改名食堂")
    response = office_client.post(f"/office/supervision/subjects/{canteen.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    canteen.refresh_from_db()
    assert (canteen.name, canteen.risk_grade, canteen.kind) == ("改名食堂", "A", "canteen")


def test_import_page_lists_row_errors_and_export_downloads(campaign, office_client, canteen):
    bad = workbook(
        sheet_row(kind="学校食堂", school="坏", school_kind="小学", licence_number="JY1")
    )
    response = office_client.post("/office/supervision/subjects/import/", {"file": bad})
    assert response.status_code == 400 and response.context["result"].error_rows[0][0] == 2
    good = workbook(
        sheet_row(kind="学校食堂", school="好", school_kind="小学", licence_number=licence(9))
    )
    response = office_client.post("/office/supervision/subjects/import/", {"file": good})
    assert response.status_code == 302 and Subject.objects.count() == 2
    export = office_client.get("/office/supervision/subjects/export.xlsx", {"kind": "canteen"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
    template = office_client.get("/office/supervision/subjects/import/template.xlsx")
    assert template.status_code == 200


# --- API -----------------------------------------------------------------------------------------
API = "/api/office/supervision/subjects"


def test_api_lists_with_filters_and_creates_a_canteen(campaign, districts, office_client, elevator):
    listed = office_client.get(API, {"kind": "elevator"}).json()
    assert listed["count"] == 1 and listed["items"][0]["code"] == "TEST0000000000000001"
    body = {
        "kind": "canteen",
        "school": "测试第4小学",
        "school_kind": "primary",
        "licence_number": licence(4),
        "district": districts[0].code,
    }
    created = office_client.post(API, json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["canteen"]["licence_number"] == licence(4) and data["district"] == districts[0].code
    again = office_client.post(API, json.dumps(body), content_type="application/json")
    assert again.status_code == 409 and "licence_number" in again.json()["errors"]


def test_api_refuses_bad_input_by_field_and_stores_nothing(campaign, office_client):
    body = {"kind": "elevator", "registration_code": "!", "district": "nowhere"}
    response = office_client.post(API, json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and "district" in response.json()["errors"]
    body["district"] = ""
    response = office_client.post(API, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert {"registration_code", "building"} <= set(response.json()["errors"])
    assert not Subject.objects.exists()


def test_api_update_and_close(canteen, office_client):
    response = office_client.put(
        f"{API}/{canteen.pk}", json.dumps({"risk_grade": "A"}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["risk_grade"] == "A"
    assert response.json()["canteen"]["licence_number"] == "JYTEST00000001"
    closed = office_client.post(
        f"{API}/{canteen.pk}/close",
        json.dumps({"closed_on": "2024-05-06", "reason": "停办"}),
        content_type="application/json",
    )
    assert closed.status_code == 200 and closed.json()["is_active"] is False


def test_api_hides_another_citys_subject_and_refuses_units_writes(
    canteen, other_office, inspectors, citizen_user
):
    assert login(other_office).get(f"{API}/{canteen.pk}").status_code == 404
    reader = login(inspectors[0].user)
    assert reader.get(f"{API}/{canteen.pk}").status_code == 200
    put = reader.put(
        f"{API}/{canteen.pk}", json.dumps({"risk_grade": "A"}), content_type="application/json"
    )
    assert put.status_code == 403
    assert login(citizen_user).get(API).status_code == 403
    elsewhere = login(other_office).get(API, {"city": canteen.region.code})
    assert elsewhere.status_code == 400 and "city" in elsewhere.json()["errors"]
