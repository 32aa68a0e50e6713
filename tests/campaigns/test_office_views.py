import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from qualitymonth.campaigns.models import Activity, Campaign, Registration
from qualitymonth.core.models import AuditEvent
from tests.factories import ActivityFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _form(campaign, **overrides):
    start = timezone.localtime() + dt.timedelta(days=4)
    data = {
        "title": "住宅工程质量开放日",
        "summary": "邀请业主走进在建住宅工地",
        "description": "",
        "focus_area": campaign.focus_areas.first().pk,
        "domains": [campaign.domains.first().pk],
        "kind": "offline",
        "activity_type": "open_day",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "district": campaign.region.children.first().pk,
        "venue": "集美区某在建住宅项目",
        "online_url": "",
        "capacity": "50",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "campaign": campaign.slug,
    }
    data.update(overrides)
    return data


def test_back_office_needs_login(client, db):
    response = client.get("/office/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_citizens_are_refused_the_back_office(citizen_client, campaign):
    assert citizen_client.get("/office/").status_code == 403


def test_staff_see_only_their_units_activities(staff_client, activity, other_unit):
    ActivityFactory(campaign=activity.campaign, organiser=other_unit, title="别的单位的活动")
    response = staff_client.get("/office/")
    titles = [a.title for a in response.context["page"]]
    assert titles == [activity.title]


def test_office_sees_every_unit(office_client, activity, other_unit):
    ActivityFactory(campaign=activity.campaign, organiser=other_unit)
    assert len(office_client.get("/office/").context["page"]) == 2


def test_office_list_query_count_is_flat(office_client, activity, django_assert_max_num_queries):
    for _ in range(20):
        ActivityFactory(campaign=activity.campaign, organiser=activity.organiser)
    # 13: the page, the steward panel, and the supervision panel's hazard counts.
    with django_assert_max_num_queries(13):
        assert office_client.get("/office/").status_code == 200


def test_other_unit_cannot_open_an_activity_by_url(other_staff_client, activity):
    for url in [
        f"/office/activities/{activity.pk}/",
        f"/office/activities/{activity.pk}/registrations/",
        f"/office/activities/{activity.pk}/registrations.xlsx",
        f"/office/activities/{activity.pk}/checkin/",
        f"/office/activities/{activity.pk}/report/",
    ]:
        assert other_staff_client.get(url).status_code == 403, url


def test_create_activity_form(staff_client, campaign, unit):
    response = staff_client.post(
        f"/office/activities/new/?campaign={campaign.slug}", _form(campaign, organiser=unit.pk)
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and activity.status == "draft" and activity.organiser == unit


def test_create_activity_with_bad_input_keeps_it_and_says_why(staff_client, campaign, unit):
    data = _form(campaign, organiser=unit.pk, title="", venue="", capacity="-3")
    data["ends_at"] = "2000-01-01T00:00"
    response = staff_client.post(f"/office/activities/new/?campaign={campaign.slug}", data)
    assert response.status_code == 400 and not Activity.objects.exists()
    form = response.context["form"]
    assert {"title", "venue", "capacity", "ends_at"} <= set(form.errors)
    assert "邀请业主走进在建住宅工地" in response.content.decode()


def test_staff_cannot_create_for_another_unit(staff_client, campaign, other_unit):
    response = staff_client.post(
        f"/office/activities/new/?campaign={campaign.slug}",
        _form(campaign, organiser=other_unit.pk),
    )
    assert response.status_code == 400 and "organiser" in response.context["form"].errors


def test_edit_only_while_draft(staff_client, activity):
    assert (
        staff_client.get(f"/office/activities/{activity.pk}/edit/").status_code == 302
    )  # published: refused
    activity.status = "draft"
    activity.save()
    data = _form(activity.campaign, title="改过的标题")
    response = staff_client.post(f"/office/activities/{activity.pk}/edit/", data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "改过的标题"


def test_review_workflow_through_the_pages(staff_client, office_client, activity):
    activity.status = "draft"
    activity.save()
    staff_client.post(f"/office/activities/{activity.pk}/steps/submit/")
    assert staff_client.post(f"/office/activities/{activity.pk}/steps/approve/").status_code == 403
    office_client.post(f"/office/activities/{activity.pk}/steps/return/", {"reason": ""})
    activity.refresh_from_db()
    assert activity.status == "submitted"  # a return without a reason is refused
    office_client.post(
        f"/office/activities/{activity.pk}/steps/return/", {"reason": "请补充安全预案"}
    )
    activity.refresh_from_db()
    assert activity.status == "returned"
    assert (
        "请补充安全预案" in staff_client.get(f"/office/activities/{activity.pk}/").content.decode()
    )
    staff_client.post(f"/office/activities/{activity.pk}/steps/submit/")
    office_client.post(f"/office/activities/{activity.pk}/steps/approve/")
    staff_client.post(f"/office/activities/{activity.pk}/steps/publish/")
    activity.refresh_from_db()
    assert activity.status == "published"


def test_unknown_step_is_404_and_get_is_refused(staff_client, activity):
    assert staff_client.post(f"/office/activities/{activity.pk}/steps/explode/").status_code == 404
    assert staff_client.get(f"/office/activities/{activity.pk}/steps/submit/").status_code == 405


def test_registrations_list_masks_and_export_is_audited(staff_client, activity):
    RegistrationFactory(activity=activity, name="王小红", mobile="13800138000")
    page = staff_client.get(f"/office/activities/{activity.pk}/registrations/").content.decode()
    assert "138****8000" in page and "13800138000" not in page
    export = staff_client.get(f"/office/activities/{activity.pk}/registrations.xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [c.value for c in sheet[3]][1:3] == ["王小红", "13800138000"]
    assert AuditEvent.objects.filter(
        event_type="registration.export", object_id=str(activity.pk)
    ).exists()


def test_checkin_by_code_and_the_second_time_is_refused(staff_client, activity):
    registration = RegistrationFactory(activity=activity)
    url = f"/office/activities/{activity.pk}/checkin/"
    first = staff_client.post(url, {"code": registration.display_code.lower()})
    assert first.status_code == 200 and first.context["result"]["error"] is None
    second = staff_client.post(url, {"code": registration.ticket_code})
    assert (
        second.status_code == 409 and registration.display_code in second.context["result"]["error"]
    )


def test_checkin_with_a_wrong_or_foreign_code(staff_client, activity):
    url = f"/office/activities/{activity.pk}/checkin/"
    assert staff_client.post(url, {"code": "!!"}).status_code == 400
    response = staff_client.post(url, {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 409 and "ZZZZZZZZ" in response.context["result"]["error"]
    other = RegistrationFactory(
        activity=ActivityFactory(campaign=activity.campaign, organiser=activity.organiser)
    )
    response = staff_client.post(url, {"code": other.ticket_code})
    assert (
        response.status_code == 409 and other.activity.title in response.context["result"]["error"]
    )
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_checkin_via_the_qr_url(staff_client, other_staff_client, activity):
    registration = RegistrationFactory(activity=activity)
    url = reverse("office:checkin_code", args=[registration.ticket_code])
    assert other_staff_client.get(url).status_code == 403
    assert staff_client.get(url).status_code == 200
    registration.refresh_from_db()
    assert registration.checked_in_at is None  # scanning alone changes nothing
    staff_client.post(url)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert staff_client.post(url).status_code == 409


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_outcome_report_with_photo(staff_client, activity):
    activity.starts_at = timezone.now() - dt.timedelta(hours=5)
    activity.ends_at = timezone.now() - dt.timedelta(hours=1)
    activity.save()
    response = staff_client.post(
        f"/office/activities/{activity.pk}/report/",
        {
            "participants": 35,
            "enterprises_served": 12,
            "problems_solved": 4,
            "summary": "为12家企业校准设备",
            "photos": [_png()],
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "completed" and activity.report.photos.count() == 1


def test_outcome_report_refuses_a_fake_image_and_bad_numbers(staff_client, activity):
    activity.starts_at = timezone.now() - dt.timedelta(hours=5)
    activity.ends_at = timezone.now() - dt.timedelta(hours=1)
    activity.save()
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = staff_client.post(
        f"/office/activities/{activity.pk}/report/",
        {
            "participants": -1,
            "enterprises_served": 0,
            "problems_solved": 0,
            "summary": "x",
            "photos": [fake],
        },
    )
    assert response.status_code == 400 and {"participants", "photos"} <= set(
        response.context["form"].errors
    )


def test_office_sets_up_a_new_years_campaign(office_client, campaign, unit):
    response = office_client.post(
        "/office/campaigns/new/",
        {
            "year": 2023,
            "region": campaign.region.pk,
            "theme": "质量强国 标准先行",
            "theme_en": "Quality first, standards leading",
            "slogan": "",
            "description": "",
            "starts_on": "2023-09-01",
            "ends_on": "2023-09-30",
            "lead_unit": campaign.lead_unit.pk,
            "co_organisers": [unit.pk],
            "focus_areas": "开展质量宣传教育\n深化质量提升行动",
            "domains": "农业\n产品\n服务",
        },
    )
    assert response.status_code == 302
    new = Campaign.objects.get(year=2023)
    assert new.theme_en == "Quality first, standards leading"
    assert (
        new.focus_areas.count() == 2
        and new.domains.count() == 3
        and list(new.co_organisers.all()) == [unit]
    )


def test_campaign_setup_refuses_bad_input_and_unit_staff(office_client, staff_client, campaign):
    assert staff_client.get("/office/campaigns/new/").status_code == 403
    response = office_client.post(
        "/office/campaigns/new/",
        {
            "year": 2022,
            "region": campaign.region.pk,
            "theme": "x",
            "starts_on": "2022-09-30",
            "ends_on": "2022-09-01",
            "lead_unit": campaign.lead_unit.pk,
            "focus_areas": "",
            "domains": "产品",
        },
    )
    assert response.status_code == 400
    assert {"ends_on", "focus_areas"} <= set(response.context["form"].errors)
