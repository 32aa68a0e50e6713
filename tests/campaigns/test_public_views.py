import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from qualitymonth.campaigns.models import Activity, Registration
from tests.factories import ActivityFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_home_shows_the_campaign_and_live_counts(client, activity):
    RegistrationFactory.create_batch(2, activity=activity)
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert activity.campaign.theme in body and activity.campaign.slogan in body
    assert activity.campaign.lead_unit.name in body
    assert "开展质量宣传教育" in body
    assert response.context["counts"]["registered"] == 2


def test_home_without_any_campaign_is_a_404_not_a_500(client, db):
    assert client.get("/").status_code == 404


def test_calendar_lists_only_public_activities(client, activity):
    ActivityFactory(
        campaign=activity.campaign,
        organiser=activity.organiser,
        status=Activity.Status.DRAFT,
        title="草稿活动",
    )
    body = client.get("/calendar/").content.decode()
    assert activity.title in body and "草稿活动" not in body


@pytest.mark.parametrize("view", ["list", "month"])
def test_calendar_makes_a_fixed_number_of_queries(
    client, activity, django_assert_max_num_queries, view
):
    for _ in range(15):
        ActivityFactory(campaign=activity.campaign, organiser=activity.organiser)
    with django_assert_max_num_queries(9):
        response = client.get(f"/calendar/?view={view}")
    assert response.status_code == 200


def test_calendar_query_count_does_not_grow_with_activities(
    client, activity, django_assert_num_queries
):
    client.get("/calendar/")  # warm up anything lazily cached
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/calendar/")
    for _ in range(20):
        ActivityFactory(campaign=activity.campaign, organiser=activity.organiser)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/calendar/")


def test_calendar_filters(client, campaign, unit, other_unit):
    medical = campaign.domains.get(code="medical")
    online = ActivityFactory(
        campaign=campaign,
        organiser=other_unit,
        kind="online",
        district=None,
        venue="线上直播",
        title="医疗服务质量线上讲座",
    )
    online.domains.set([medical])
    offline = ActivityFactory(campaign=campaign, organiser=unit, title="住宅工程质量开放日")
    later = ActivityFactory(
        campaign=campaign,
        organiser=unit,
        title="晚些时候的活动",
        starts_at=timezone.now() + dt.timedelta(days=20),
        ends_at=timezone.now() + dt.timedelta(days=20, hours=2),
    )

    def titles(query):
        return {a.title for a in client.get("/calendar/" + query).context["page"]}

    assert titles("?domain=medical") == {online.title}
    assert titles("?kind=online") == {online.title}
    assert titles(f"?unit={unit.code}") == {offline.title, later.title}
    assert titles(f"?district={offline.district.code}") == {offline.title, later.title}
    assert titles("?focus=education") == {online.title, offline.title, later.title}
    to = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    assert titles(f"?date_to={to}") == {online.title, offline.title}


def test_calendar_searches_chinese_words(client, campaign, unit):
    ActivityFactory(
        campaign=campaign, organiser=unit, title="校园食品安全守护行动", summary="学校食堂检查"
    )
    ActivityFactory(
        campaign=campaign, organiser=unit, title="安心乘梯守护行动", summary="电梯维保检查"
    )
    assert [a.title for a in client.get("/calendar/", {"q": "食品安全"}).context["page"]] == [
        "校园食品安全守护行动"
    ]
    assert [a.title for a in client.get("/calendar/", {"q": "电梯 检查"}).context["page"]] == [
        "安心乘梯守护行动"
    ]
    assert len(client.get("/calendar/", {"q": "守护"}).context["page"]) == 2
    assert len(client.get("/calendar/", {"q": "航天飞机"}).context["page"]) == 0


def test_calendar_ignores_bad_filter_values_with_a_note(client, activity):
    response = client.get(
        "/calendar/", {"date_from": "not-a-date", "view": "month", "month": "2022-13"}
    )
    assert response.status_code == 200
    assert "YYYY-MM" in response.content.decode()


def test_calendar_htmx_request_gets_only_the_results(client, activity):
    response = client.get("/calendar/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body and "<html" not in body


def test_month_view_places_activities_on_their_day(client, activity):
    month = timezone.localtime(activity.starts_at).strftime("%Y-%m")
    response = client.get("/calendar/", {"view": "month", "month": month})
    days = [day for week in response.context["weeks"] for day in week if day.activities]
    assert [d.date for d in days] == [timezone.localtime(activity.starts_at).date()]


def test_activity_page_and_drafts_are_not_public(client, activity):
    assert client.get(activity.get_absolute_url()).status_code == 200
    activity.status = Activity.Status.SUBMITTED
    activity.save()
    assert client.get(activity.get_absolute_url()).status_code == 404


def test_register_gives_a_ticket_with_qr_and_short_code(client, activity):
    response = client.post(
        reverse("campaigns:register", args=[activity.pk]),
        {"name": "王小红", "mobile": "138 0013 8000"},
    )
    registration = Registration.objects.get()
    assert response.status_code == 302 and response.url == registration.get_absolute_url()
    ticket = client.get(response.url)
    body = ticket.content.decode()
    assert registration.display_code in body and "data:image/svg+xml" in body
    assert "138****8000" in body and "13800138000" not in body
    assert (
        registration.status == Registration.Status.CONFIRMED
        and registration.mobile == "13800138000"
    )
    assert registration.token in client.session["qm_tickets"]
    assert registration.display_code in client.get("/tickets/").content.decode()


def test_register_with_bad_input_keeps_what_was_typed(client, activity):
    response = client.post(
        reverse("campaigns:register", args=[activity.pk]), {"name": "王小红", "mobile": "12345"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="王小红"' in body and 'value="12345"' in body
    assert not Registration.objects.exists()


def test_register_when_full_goes_to_the_wait_list(client, activity):
    activity.capacity = 1
    activity.save()
    RegistrationFactory(activity=activity)
    response = client.post(
        reverse("campaigns:register", args=[activity.pk]),
        {"name": "李四", "mobile": "13900000001"},
        follow=True,
    )
    assert Registration.objects.get(mobile="13900000001").status == Registration.Status.WAITLISTED
    assert response.context["waitlist_rank"] == 1


def test_logged_in_registration_is_linked_to_the_account(citizen_client, citizen_user, activity):
    citizen_client.post(
        reverse("campaigns:register", args=[activity.pk]),
        {"name": "张小明", "mobile": "13800138000"},
    )
    assert Registration.objects.get().user == citizen_user


def test_cancel_asks_first_then_cancels_and_promotes(client, activity):
    activity.capacity = 1
    activity.save()
    holder = RegistrationFactory(activity=activity)
    waiting = RegistrationFactory(
        activity=activity, status=Registration.Status.WAITLISTED, waitlist_position=1
    )
    confirm = client.get(reverse("campaigns:ticket_cancel", args=[holder.token]))
    assert confirm.status_code == 200
    holder.refresh_from_db()
    assert holder.status == Registration.Status.CONFIRMED  # a GET changes nothing
    client.post(reverse("campaigns:ticket_cancel", args=[holder.token]))
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert (
        holder.status == Registration.Status.CANCELLED
        and waiting.status == Registration.Status.CONFIRMED
    )


def test_unknown_ticket_is_404(client, db):
    assert client.get("/tickets/nope/").status_code == 404


def test_activity_ical_feed_is_rfc5545(client, activity):
    response = client.get(f"/activities/{activity.pk}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1 and str(events[0]["SUMMARY"]) == activity.title
    assert events[0].decoded("DTSTART") == activity.starts_at.replace(microsecond=0)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    assert events[0]["UID"] and events[0]["DTSTAMP"]


def test_campaign_ical_feed_has_every_public_activity(client, activity):
    ActivityFactory(campaign=activity.campaign, organiser=activity.organiser)
    ActivityFactory(
        campaign=activity.campaign, organiser=activity.organiser, status=Activity.Status.DRAFT
    )
    cal = Calendar.from_ical(
        client.get(f"/campaigns/{activity.campaign.slug}/calendar.ics").content
    )
    assert len(list(cal.walk("VEVENT"))) == 2


def _ended(activity):
    activity.starts_at = timezone.now() - dt.timedelta(days=1, hours=3)
    activity.ends_at = timezone.now() - dt.timedelta(days=1)
    activity.status = Activity.Status.COMPLETED
    activity.save()
    return activity


def test_certificate_and_survey_after_an_offline_activity(client, activity):
    registration = RegistrationFactory(
        activity=_ended(activity), checked_in_at=timezone.now() - dt.timedelta(days=1)
    )
    ticket = client.get(registration.get_absolute_url()).content.decode()
    assert "certificate.pdf" in ticket and 'name="overall"' in ticket
    pdf = client.get(reverse("campaigns:ticket_certificate", args=[registration.token]))
    assert (
        pdf.status_code == 200
        and pdf.content.startswith(b"%PDF")
        and pdf["Content-Type"] == "application/pdf"
    )
    client.post(
        reverse("campaigns:ticket_survey", args=[registration.token]),
        {"overall": 5, "usefulness": 4, "organisation": 4, "comment": "很实用"},
    )
    assert registration.__class__.objects.get(pk=registration.pk).survey.usefulness == 4


def test_no_certificate_without_check_in(client, activity):
    registration = RegistrationFactory(activity=_ended(activity))
    response = client.get(reverse("campaigns:ticket_certificate", args=[registration.token]))
    assert response.status_code == 302
    assert 'name="overall"' not in client.get(registration.get_absolute_url()).content.decode()


def test_bad_survey_answers_are_refused(client, activity):
    registration = RegistrationFactory(activity=_ended(activity), checked_in_at=timezone.now())
    client.post(reverse("campaigns:ticket_survey", args=[registration.token]), {"overall": 9})
    assert not hasattr(registration.__class__.objects.get(pk=registration.pk), "survey")


def test_english_is_one_click_away(client, activity):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert 'lang="zh-hans"' in client.get("/").content.decode()


def test_chinese_is_the_default_even_for_an_english_browser(client, activity):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in body


def test_registration_is_rate_limited_per_connection(client, activity):
    activity.capacity = 100
    activity.save()
    codes = [
        client.post(
            reverse("campaigns:register", args=[activity.pk]),
            {"name": "李四", "mobile": f"1370000{n:04d}"},
        ).status_code
        for n in range(22)
    ]
    assert codes[:20] == [302] * 20 and codes[20:] == [429, 429]
    assert Registration.objects.count() == 20
