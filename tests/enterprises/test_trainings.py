"""Enterprise trainings (首席质量官, 卓越绩效) and the CQO register."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from qualitymonth.campaigns.models import Activity, Registration
from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.enterprises import training_selectors as selectors
from qualitymonth.enterprises.documents import cqo_certificate_pdf
from qualitymonth.enterprises.models import (
    ChiefQualityOfficer,
    EnterpriseMember,
    Industry,
    Training,
    TrainingAttendance,
)
from qualitymonth.enterprises.services import trainings as services
from tests.enterprises.conftest import make_enterprise
from tests.factories import ActivityFactory, UserFactory

pytestmark = pytest.mark.django_db

APPOINTED = dt.date(2022, 3, 1)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member(enterprise):
    user = UserFactory(username="qiye", email="qiye@example.com")
    EnterpriseMember.objects.create(enterprise=enterprise, user=user)
    return user


@pytest.fixture
def member_client(member):
    return _client(member)


@pytest.fixture
def stranger(campaign):
    """A member of another enterprise of the same city."""
    other = make_enterprise(campaign.region, 2)
    user = UserFactory(username="stranger")
    EnterpriseMember.objects.create(enterprise=other, user=user)
    return user


def _training(campaign, unit, kind=Training.Kind.CQO, **fields) -> Training:
    activity = ActivityFactory(
        campaign=campaign,
        organiser=unit,
        title="首席质量官培训班" if kind == Training.Kind.CQO else "卓越绩效培训",
        activity_type=Activity.Type.TRAINING,
        **fields,
    )
    return Training.objects.create(activity=activity, kind=kind)


@pytest.fixture
def training(campaign, unit):
    return _training(campaign, unit)


@pytest.fixture
def cqo(enterprise, member):
    return services.cqo_record(
        enterprise=enterprise,
        name="张质量",
        mobile="13900002222",
        position="质量总监",
        appointed_on=APPOINTED,
        acting_user=member,
    )


def _end(activity: Activity) -> None:
    """The activity took place yesterday."""
    starts = timezone.now() - dt.timedelta(days=1)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    activity.refresh_from_db()


def _check_in(attendance: TrainingAttendance) -> None:
    Registration.objects.filter(pk=attendance.registration_id).update(
        checked_in_at=attendance.training.activity.starts_at
    )


def _pdf(name="任命书.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF", content_type="application/pdf")


# --- registering for the enterprise -------------------------------------------------------------
def test_a_member_registers_someone_for_the_enterprise(training, enterprise, member):
    attendance = services.training_register(
        training=training,
        enterprise=enterprise,
        name="王五",
        mobile="139 0000 3333",
        acting_user=member,
    )
    registration = attendance.registration
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.mobile == "13900003333" and registration.user == member
    assert attendance.enterprise == enterprise and attendance.cqo is None
    assert AuditEvent.objects.filter(event_type="training.register").exists()


def test_a_cqo_training_registers_the_enterprises_cqo_with_the_cqos_name(
    training, enterprise, member, cqo
):
    attendance = services.training_register(
        training=training, enterprise=enterprise, cqo=cqo, acting_user=member
    )
    assert attendance.cqo == cqo
    assert (attendance.registration.name, attendance.registration.mobile) == (
        "张质量",
        "13900002222",
    )


def test_the_register_page_registers_and_lands_on_the_ticket(training, member_client, cqo):
    url = f"/trainings/{training.activity_id}/register/"
    page = member_client.get(url)
    assert page.status_code == 200 and "cqo" in page.context["form"].fields
    response = member_client.post(url, {"enterprise": cqo.enterprise_id, "cqo": cqo.pk})
    attendance = TrainingAttendance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == attendance.registration.get_absolute_url()


def test_someone_who_does_not_act_for_the_enterprise_is_refused(
    training, enterprise, stranger, client
):
    with pytest.raises(PermissionDenied):
        services.training_register(
            training=training,
            enterprise=enterprise,
            name="王五",
            mobile="13900003333",
            acting_user=stranger,
        )
    response = _client(stranger).post(
        f"/trainings/{training.activity_id}/register/",
        {"enterprise": enterprise.pk, "name": "王五", "mobile": "13900003333"},
    )
    assert response.status_code == 400 and "enterprise" in response.context["form"].errors
    anonymous = client.post(f"/trainings/{training.activity_id}/register/", {})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not Registration.objects.exists() and not TrainingAttendance.objects.exists()


def test_capacity_wait_list_and_duplicates_still_apply(campaign, unit, enterprise, member):
    training = _training(campaign, unit, capacity=1)
    first = services.training_register(
        training=training,
        enterprise=enterprise,
        name="甲",
        mobile="13900000001",
        acting_user=member,
    )
    second = services.training_register(
        training=training,
        enterprise=enterprise,
        name="乙",
        mobile="13900000002",
        acting_user=member,
    )
    assert first.registration.status == Registration.Status.CONFIRMED
    assert second.registration.status == Registration.Status.WAITLISTED
    with pytest.raises(ValidationError) as refused:
        services.training_register(
            training=training,
            enterprise=enterprise,
            name="甲",
            mobile="13900000001",
            acting_user=member,
        )
    assert refused.value.error_dict["mobile"][0].code == "duplicate"
    assert TrainingAttendance.objects.count() == 2


def test_a_cqo_of_another_enterprise_or_on_another_kind_of_training_is_refused(
    campaign, unit, training, enterprise, member, stranger
):
    other_cqo = ChiefQualityOfficer.objects.create(
        enterprise=stranger.enterprise_memberships.get().enterprise,
        name="李某",
        mobile="13900004444",
        position="经理",
        appointed_on=APPOINTED,
    )
    with pytest.raises(ValidationError) as refused:
        services.training_register(
            training=training, enterprise=enterprise, cqo=other_cqo, acting_user=member
        )
    assert "cqo" in refused.value.error_dict
    own = ChiefQualityOfficer.objects.create(
        enterprise=enterprise,
        name="张某",
        mobile="13900005555",
        position="经理",
        appointed_on=APPOINTED,
    )
    excellence = _training(campaign, unit, Training.Kind.EXCELLENCE)
    with pytest.raises(ValidationError):
        services.training_register(
            training=excellence, enterprise=enterprise, cqo=own, acting_user=member
        )
    assert not Registration.objects.exists()


def test_bad_attendee_input_is_refused_with_the_fields_and_nothing_saved(
    training, enterprise, member
):
    with pytest.raises(ValidationError) as refused:
        services.training_register(
            training=training,
            enterprise=enterprise,
            name="",
            mobile="12345",
            acting_user=member,
        )
    assert set(refused.value.error_dict) == {"name", "mobile"}
    assert not Registration.objects.exists()


# --- CQOs -------------------------------------------------------------------------------------
def test_a_member_records_a_cqo_with_the_letter_on_the_page(member_client, enterprise):
    response = member_client.post(
        f"/trainings/cqos/new/?enterprise={enterprise.pk}",
        {
            "name": "张质量",
            "mobile": "13900002222",
            "position": "质量总监",
            "appointed_on": "2022-03-01",
            "appointment_letter": _pdf(),
        },
    )
    assert response.status_code == 302
    cqo = ChiefQualityOfficer.objects.get()
    assert (
        cqo.appointment_letter.name.endswith(".pdf") and "任命书" not in cqo.appointment_letter.name
    )
    letter = member_client.get(f"/trainings/cqos/{cqo.pk}/letter/")
    assert letter.status_code == 200


def test_bad_cqo_input_is_refused_and_nothing_saved(enterprise, member):
    with pytest.raises(ValidationError) as refused:
        services.cqo_record(
            enterprise=enterprise,
            name="张质量",
            mobile="138",
            position="",
            appointed_on=timezone.localdate() + dt.timedelta(days=3),
            appointment_letter=SimpleUploadedFile("x.pdf", b"<html>", content_type="text/html"),
            acting_user=member,
        )
    assert set(refused.value.error_dict) == {
        "mobile",
        "position",
        "appointed_on",
        "appointment_letter",
    }
    assert not ChiefQualityOfficer.objects.exists()


def test_only_the_enterprises_users_record_its_cqos(enterprise, stranger, office_user):
    for user in (stranger, office_user):
        with pytest.raises(PermissionDenied):
            services.cqo_record(
                enterprise=enterprise,
                name="张",
                mobile="13900002222",
                position="总监",
                appointed_on=APPOINTED,
                acting_user=user,
            )


def test_ending_an_appointment_asks_first_then_ends_it(member_client, cqo):
    url = f"/trainings/cqos/{cqo.pk}/end/"
    confirm = member_client.get(url)
    assert confirm.status_code == 200
    cqo.refresh_from_db()
    assert cqo.ended_on is None
    assert member_client.post(url).status_code == 302
    cqo.refresh_from_db()
    assert cqo.ended_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.cqo_end(cqo=cqo, acting_user=cqo.recorded_by)


def test_another_enterprises_cqo_pages_are_not_found(cqo, stranger):
    client = _client(stranger)
    assert client.get(f"/trainings/cqos/{cqo.pk}/end/").status_code == 404
    assert client.post(f"/trainings/cqos/{cqo.pk}/end/").status_code == 404


# --- certificates ---------------------------------------------------------------------------------
@pytest.fixture
def three_attendances(training, enterprise, member, cqo):
    """A CQO checked in, a CQO who did not come, someone else checked in."""
    absent = services.cqo_record(
        enterprise=enterprise,
        name="缺席者",
        mobile="13900006666",
        position="经理",
        appointed_on=APPOINTED,
        acting_user=member,
    )
    came = services.training_register(
        training=training, enterprise=enterprise, cqo=cqo, acting_user=member
    )
    services.training_register(
        training=training, enterprise=enterprise, cqo=absent, acting_user=member
    )
    other = services.training_register(
        training=training,
        enterprise=enterprise,
        name="王五",
        mobile="13900003333",
        acting_user=member,
    )
    _end(training.activity)
    _check_in(came)
    _check_in(other)
    return cqo, absent


def test_only_a_checked_in_cqo_is_certified_after_the_training_and_once(
    training, three_attendances, office_user
):
    cqo, absent = three_attendances
    year = timezone.localtime(training.activity.starts_at).year
    certified = services.cqos_certify(training=training, acting_user=office_user)
    assert certified == [cqo]
    cqo.refresh_from_db()
    absent.refresh_from_db()
    assert cqo.certificate_number == f"CQO-{year}-00001" and cqo.certified_by_training == training
    assert absent.certificate_number is None
    assert services.cqos_certify(training=training, acting_user=office_user) == []
    cqo.refresh_from_db()
    assert cqo.certificate_number == f"CQO-{year}-00001"


def test_certificates_are_issued_only_after_a_cqo_training(campaign, unit, training, office_user):
    with pytest.raises(ValidationError) as early:
        services.cqos_certify(training=training, acting_user=office_user)
    assert early.value.code == "too_early"
    excellence = _training(campaign, unit, Training.Kind.EXCELLENCE)
    _end(excellence.activity)
    with pytest.raises(ValidationError) as wrong_kind:
        services.cqos_certify(training=excellence, acting_user=office_user)
    assert wrong_kind.value.code == "invalid_transition"


def test_the_organisers_staff_certify_but_other_units_and_cities_may_not(
    training, three_attendances, staff_user, other_staff_user, other_office_client
):
    with pytest.raises(PermissionDenied):
        services.cqos_certify(training=training, acting_user=other_staff_user)
    with pytest.raises(PermissionDenied):
        services.cqos_certify(training=training, acting_user=other_office_client.user)
    assert len(services.cqos_certify(training=training, acting_user=staff_user)) == 1


def test_the_office_button_issues_certificates_and_the_members_hear_of_it(
    training, three_attendances, office_client, django_capture_on_commit_callbacks
):
    from qualitymonth.core.notify import ConsoleBackend

    ConsoleBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(f"/office/trainings/{training.activity_id}/certificates/")
    assert response.status_code == 302
    assert ChiefQualityOfficer.objects.filter(certificate_number__isnull=False).count() == 1
    assert any(n.email == "qiye@example.com" for n in ConsoleBackend.outbox)


def test_the_certificate_pdf_opens_for_the_enterprise_and_not_for_strangers(
    training, three_attendances, office_user, member_client, stranger
):
    cqo, _absent = three_attendances
    services.cqos_certify(training=training, acting_user=office_user)
    cqo.refresh_from_db()
    assert cqo_certificate_pdf(cqo).startswith(b"%PDF")
    response = member_client.get(f"/trainings/cqos/{cqo.pk}/certificate/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert _client(stranger).get(f"/trainings/cqos/{cqo.pk}/certificate/").status_code == 404
    check = Client().get(f"/trainings/verify/{cqo.certificate_number}/")
    assert check.status_code == 200 and "张*量" in check.content.decode()


# --- the office's pages -------------------------------------------------------------------------
def test_the_office_marks_an_activity_as_a_training(campaign, unit, office_client):
    activity = ActivityFactory(campaign=campaign, organiser=unit)
    response = office_client.post(
        "/office/trainings/mark/", {"activity": activity.pk, "kind": "excellence"}
    )
    assert response.status_code == 302
    assert Training.objects.get(activity=activity).kind == Training.Kind.EXCELLENCE


def test_staff_of_another_unit_cannot_mark_the_activity(campaign, unit, other_staff_user):
    activity = ActivityFactory(campaign=campaign, organiser=unit)
    with pytest.raises(PermissionDenied):
        services.training_mark(activity=activity, kind="cqo", acting_user=other_staff_user)
    response = _client(other_staff_user).post(
        "/office/trainings/mark/", {"activity": activity.pk, "kind": "cqo"}
    )
    assert response.status_code == 400 and not Training.objects.exists()


def test_the_attendance_page_masks_the_attendees(training, three_attendances, office_client):
    response = office_client.get(f"/office/trainings/{training.activity_id}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "139****2222" in text and "13900002222" not in text and "张质量" not in text


def test_another_citys_office_does_not_see_the_attendance(training, other_office_client):
    assert other_office_client.get(f"/office/trainings/{training.activity_id}/").status_code == 404


def _certified(enterprise, n: int, number: str) -> ChiefQualityOfficer:
    return ChiefQualityOfficer.objects.create(
        enterprise=enterprise,
        name=f"示例{n}",
        mobile=f"1390000{n:04d}",
        position="总监",
        appointed_on=APPOINTED,
        certificate_number=number,
        certified_at=timezone.now(),
    )


@pytest.fixture
def register_rows(campaign):
    food = Industry.objects.get(code="13")
    machines = Industry.objects.get(code="34")
    shops = Industry.objects.get(code="52")
    rows = []
    for n, industry in enumerate([food, food, machines, shops], start=10):
        enterprise = make_enterprise(campaign.region, n, industry=industry)
        rows.append(_certified(enterprise, n, f"CQO-2022-{n:05d}"))
    # Recorded but never trained: not on the register.
    ChiefQualityOfficer.objects.create(
        enterprise=rows[0].enterprise,
        name="未培训",
        mobile="13900009999",
        position="经理",
        appointed_on=APPOINTED,
    )
    return rows


def test_the_register_lists_trained_cqos_with_counts_per_industry(register_rows, office_client):
    response = office_client.get("/office/trainings/cqos/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 4
    counts = {industry.code: n for industry, n in response.context["counts"]}
    assert counts == {"C": 3, "F": 1}
    by_section = office_client.get("/office/trainings/cqos/?section=C")
    assert by_section.context["page"].paginator.count == 3
    assert {i.code: n for i, n in by_section.context["counts"]} == {"13": 2, "34": 1}
    searched = office_client.get("/office/trainings/cqos/?q=测试企业12")
    assert searched.context["page"].paginator.count == 1


def test_the_register_page_costs_the_same_queries_for_more_rows(
    campaign, register_rows, office_client, django_assert_max_num_queries
):
    office_client.get("/office/trainings/cqos/")  # warm the session and the user
    with django_assert_max_num_queries(12):
        office_client.get("/office/trainings/cqos/")
    for n in range(20, 30):
        _certified(make_enterprise(campaign.region, n), n, f"CQO-2022-{n:05d}")
    with django_assert_max_num_queries(12):
        office_client.get("/office/trainings/cqos/")


def test_the_register_is_the_offices_only(register_rows, member_client, other_office_client):
    assert member_client.get("/office/trainings/cqos/").status_code == 403
    other = other_office_client.get("/office/trainings/cqos/")
    assert other.status_code == 200 and other.context["page"].paginator.count == 0


def test_the_register_export_masks_mobiles(register_rows, office_client):
    from openpyxl import load_workbook

    response = office_client.get("/office/trainings/cqos/export/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "139****0010" in values and "13900000010" not in values
    assert AuditEvent.objects.filter(event_type="cqo.register_export").exists()


def test_the_timeline_shows_attendances_and_cqos(three_attendances, training, office_user):
    cqo, _absent = three_attendances
    services.cqos_certify(training=training, acting_user=office_user)
    cqo.refresh_from_db()
    entries = selectors.timeline_entries(cqo.enterprise)
    titles = " ".join(e.title for e in entries)
    assert "首席质量官培训班" in titles and cqo.certificate_number in titles
    assert "张质量" not in titles


# --- the API ----------------------------------------------------------------------------------
def test_api_lists_open_trainings_and_registers(training, enterprise, member_client, cqo):
    listed = member_client.get("/api/trainings")
    assert [t["activity_id"] for t in listed.json()["items"]] == [training.activity_id]
    response = member_client.post(
        f"/api/trainings/{training.activity_id}/registrations",
        {"enterprise_id": enterprise.pk, "cqo_id": cqo.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["cqo_id"] == cqo.pk and response.json()["status"] == "confirmed"


def test_api_refuses_strangers_and_bad_input(training, enterprise, stranger, member_client):
    url = f"/api/trainings/{training.activity_id}/registrations"
    body = {"enterprise_id": enterprise.pk, "name": "王五", "mobile": "13900003333"}
    forbidden = _client(stranger).post(url, body, content_type="application/json")
    assert forbidden.status_code == 403
    bad = member_client.post(url, {**body, "mobile": "12"}, content_type="application/json")
    assert bad.status_code == 400 and "mobile" in bad.json()["errors"]
    assert not Registration.objects.exists()


def test_api_records_and_lists_cqos_masked_for_the_office(
    enterprise, member_client, office_client, stranger
):
    url = f"/api/enterprises/{enterprise.pk}/cqos"
    data = {
        "name": "张质量",
        "mobile": "13900002222",
        "position": "质量总监",
        "appointed_on": "2022-03-01",
        "appointment_letter": _pdf(),
    }
    created = member_client.post(url, data)
    assert created.status_code == 201, created.content
    assert created.json()["mobile"] == "13900002222" and created.json()["has_letter"]
    assert office_client.get(url).json()["items"][0]["mobile"] == "139****2222"
    assert office_client.post(url, {**data, "appointment_letter": _pdf()}).status_code == 403
    assert _client(stranger).get(url).status_code == 404
    bad = member_client.post(url, {**data, "appointed_on": "2999-01-01", "appointment_letter": ""})
    assert bad.status_code == 400 and "appointed_on" in bad.json()["errors"]
    assert ChiefQualityOfficer.objects.count() == 1


def test_api_register_and_certificates(training, three_attendances, office_client, member_client):
    response = office_client.post(f"/api/office/trainings/{training.activity_id}/certificates")
    assert response.status_code == 200 and response.json()["certified"] == 1
    register = office_client.get("/api/office/cqos?section=C")
    assert register.status_code == 200
    everyone = office_client.get("/api/office/cqos").json()
    assert everyone["count"] == 1 and everyone["items"][0]["mobile"] == "139****2222"
    assert member_client.get("/api/office/cqos").status_code == 403
    assert (
        member_client.post(f"/api/office/trainings/{training.activity_id}/certificates").status_code
        == 404
    )


# --- the demo ---------------------------------------------------------------------------------
def test_the_demo_marks_trainings_certifies_cqos_and_loads_twice_without_duplicates(
    campaign, unit, office_user
):
    from qualitymonth.enterprises.demo import loader
    from qualitymonth.enterprises.demo import trainings as demo

    loader.load(campaign)
    UserFactory(username="admin", is_superuser=True)
    activity = ActivityFactory(
        campaign=campaign, organiser=unit, title="首席质量官培训班", capacity=80
    )
    ActivityFactory(campaign=campaign, organiser=unit, title="卓越绩效等先进管理模式方法培训")
    for n in range(20):
        Registration.objects.create(
            activity=activity, name="路人", mobile=f"1370000{n:04d}", status="confirmed"
        )
    _end(activity)
    Registration.objects.filter(activity=activity).update(checked_in_at=activity.starts_at)
    demo.load(campaign)
    counts = (
        Training.objects.count(),
        ChiefQualityOfficer.objects.count(),
        TrainingAttendance.objects.count(),
        ChiefQualityOfficer.objects.filter(certificate_number__isnull=False).count(),
    )
    demo.load(campaign)
    assert counts == (
        Training.objects.count(),
        ChiefQualityOfficer.objects.count(),
        TrainingAttendance.objects.count(),
        ChiefQualityOfficer.objects.filter(certificate_number__isnull=False).count(),
    )
    assert counts[0] == 2 and counts[1] == 12 and counts[3] == 11
    # Eleven CQOs took seats invented people held; the one who did not come has a seat of her own.
    assert activity.registrations.filter(status="confirmed").count() == 21


def test_the_list_and_my_enterprise_pages_render(
    campaign, unit, training, three_attendances, member_client, office_client, client
):
    open_one = _training(campaign, unit, Training.Kind.EXCELLENCE)
    public = client.get("/trainings/")
    assert public.status_code == 200
    assert [t.pk for t in public.context["trainings"]] == [open_one.pk]  # the other has ended
    mine = member_client.get("/trainings/mine/")
    assert mine.status_code == 200 and "张质量" in mine.content.decode()
    office = office_client.get("/office/trainings/")
    assert office.status_code == 200 and training.activity.title in office.content.decode()


def test_completing_a_cqo_training_certifies_its_checked_in_cqos_at_once(
    training, three_attendances, office_user, django_capture_on_commit_callbacks
):
    from qualitymonth.campaigns.services import activities as activity_services

    cqo, absent = three_attendances
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.activity_complete(acting_user=office_user, activity=training.activity)
    cqo.refresh_from_db()
    absent.refresh_from_db()
    assert cqo.certificate_number and absent.certificate_number is None
