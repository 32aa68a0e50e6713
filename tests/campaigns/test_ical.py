"""Calendar feeds stay valid whatever was stored; titles are one line from now on."""

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar

from qualitymonth.campaigns import services
from qualitymonth.campaigns.documents import activities_ical
from qualitymonth.campaigns.models import Activity
from tests.campaigns.test_activity_services import _plan
from tests.campaigns.test_office_views import _form

pytestmark = pytest.mark.django_db
STORED_TITLE = "计量服务\n中小企业行\r\nX-EVIL:1\x01\u2028第三站"


def test_a_stored_title_with_line_breaks_still_gives_a_valid_feed(client, activity):
    # Stored before titles were checked (or through a path that skipped the check).
    Activity.objects.filter(pk=activity.pk).update(title=STORED_TITLE)
    response = client.get(f"/activities/{activity.pk}.ics")
    assert response.status_code == 200
    lines = response.content.decode().split("\r\n")
    assert not any(line.startswith("X-EVIL") for line in lines)
    cal = Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "计量服务 中小企业行 X-EVIL:1 第三站"
    assert str(cal["X-WR-CALNAME"]) == "计量服务 中小企业行 X-EVIL:1 第三站"
    campaign_feed = client.get(f"/campaigns/{activity.campaign.slug}/calendar.ics")
    assert campaign_feed.status_code == 200


def test_the_calendar_name_is_escaped_as_text():
    content = activities_ical([], name="质量月;厦门,2025\nX-EVIL:1", base_url="").decode()
    # RFC 5545 TEXT: ; and , escaped, the line break flattened so no property can follow it.
    assert "\r\nX-WR-CALNAME:质量月\\;厦门\\,2025 X-EVIL:1\r\n" in content
    assert "\r\nX-EVIL" not in content


def test_the_description_keeps_its_lines_but_no_control_characters(client, activity):
    Activity.objects.filter(pk=activity.pk).update(summary="第一行\r\n第二行\x07")
    (event,) = Calendar.from_ical(client.get(f"/activities/{activity.pk}.ics").content).walk(
        "VEVENT"
    )
    assert str(event["DESCRIPTION"]).startswith("第一行\n第二行\n")


def test_the_activity_form_refuses_a_title_on_two_lines(staff_client, campaign, unit):
    data = _form(campaign, organiser=unit.pk, title="住宅工程\n质量开放日")
    response = staff_client.post(f"/office/activities/new/?campaign={campaign.slug}", data)
    assert response.status_code == 400 and "title" in response.context["form"].errors
    assert "住宅工程" in response.content.decode()  # what was typed is kept
    assert not Activity.objects.exists()


def test_the_service_refuses_a_title_on_two_lines(campaign, unit, staff_user):
    data = {**_plan(campaign), "title": "首席质量官\r\n培训班"}
    with pytest.raises(ValidationError) as caught:
        services.activity_create(
            acting_user=staff_user, campaign=campaign, organiser=unit, data=data
        )
    assert "title" in caught.value.message_dict and not Activity.objects.exists()


def test_a_title_on_one_line_is_accepted(campaign, unit, staff_user):
    data = {**_plan(campaign), "title": "首席质量官培训班（第二期）"}
    activity = services.activity_create(
        acting_user=staff_user, campaign=campaign, organiser=unit, data=data
    )
    assert activity.title == "首席质量官培训班（第二期）"
