"""The quiz's dashboard figures agree with the attempts themselves: after creates, updates and
deletes, after the services finish attempts, after queued submissions are settled; by district;
and the district chosen when starting is checked."""

import datetime as dt
import json
from collections import defaultdict
from dataclasses import asdict
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from qualitymonth.core.figures import Filters
from qualitymonth.core.models import Region
from qualitymonth.dashboard.figures import compose
from qualitymonth.quiz.figures import BANDS, score_band
from qualitymonth.quiz.models import Attempt
from qualitymonth.quiz.services import Participant, attempt_finish, attempt_start
from tests.factories import CampaignFactory, MembershipFactory, UserFactory
from tests.quiz.conftest import answer_all

pytestmark = pytest.mark.django_db

START, END = dt.date(2031, 9, 1), dt.date(2031, 9, 30)


@pytest.fixture
def campaign(db):
    """A campaign of fixed dates (the quiz's own window does not matter to its figures)."""
    return CampaignFactory(year=2031, starts_on=START, ends_on=END)


@pytest.fixture
def districts(campaign):
    return list(Region.objects.filter(parent=campaign.region).order_by("code"))


def make_attempt(quiz, who: str, day: dt.date, score, *, status="submitted", district=None):
    started = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return Attempt.objects.create(
        quiz=quiz,
        participant=who,
        display_name=who.removeprefix("m:"),
        mobile=who.removeprefix("m:"),
        day=day,
        district=district,
        status=status,
        started_at=started,
        deadline=started + dt.timedelta(minutes=10),
        finished_at=None if status == "open" else started + dt.timedelta(minutes=5),
        score=Decimal(score),
    )


def truth(quiz_campaign, *, district="all", until=END, since=START):
    """What the figures must say, counted from the raw rows."""
    rows = [
        a
        for a in Attempt.objects.select_related("quiz").filter(quiz__campaign=quiz_campaign)
        if a.is_finished
        and since <= a.day <= until
        and (district == "all" or a.district_id == district)
    ]
    people = {(a.day, a.district_id, a.participant) for a in rows}
    bands = defaultdict(int)
    for a in rows:
        bands[score_band(a.score, a.quiz.max_score)] += 1
    passed = sum(a.passed for a in rows)
    return {
        "quiz_attempts": len(rows),
        "quiz_participants": len(people),
        "quiz_pass_rate": round(100 * passed / len(rows), 1) if rows else None,
        "quiz_average_score": round(float(sum(a.score for a in rows)) / len(rows), 1)
        if rows
        else None,
        "bands": [bands.get(key, 0) for key, _lowest in BANDS],
    }


def shown(campaign, *, today=END, **filters):
    section = compose(
        campaign, filters=Filters(**filters), today=today, sections=["quiz"]
    ).sections[0]
    values = {f.key: f.value for f in section.figures}
    charts = {c.key: c for c in section.charts}
    values["bands"] = charts["quiz_scores"].series[0].data
    return values, section


def test_figures_follow_creates_updates_and_deletes(quiz, campaign, districts):
    d1, d2 = districts
    assert quiz.max_score == 30 and quiz.pass_score == 18
    day1, day2 = dt.date(2031, 9, 3), dt.date(2031, 9, 4)
    make_attempt(quiz, "m:13900000001", day1, "30", district=d1)
    make_attempt(quiz, "m:13900000001", day1, "12", district=d1)  # same person, same day
    make_attempt(quiz, "m:13900000002", day1, "21.5", district=d2, status="expired")
    make_attempt(quiz, "m:13900000003", day2, "25")
    still_open = make_attempt(quiz, "m:13900000004", day2, "0", status="open")
    values, section = shown(campaign)
    expected = truth(campaign)
    assert {k: values[k] for k in expected} == expected
    assert expected["quiz_attempts"] == 4 and expected["quiz_participants"] == 3
    assert expected["bands"] == [1, 0, 1, 1, 1]
    per_day = next(c for c in section.charts if c.key == "quiz_per_day")
    assert per_day.categories[2:4] == ["09-03", "09-04"]
    assert per_day.series[0].data[2:4] == [2, 1]  # participants
    by_district = next(c for c in section.charts if c.key == "quiz_by_district")
    assert by_district.categories == [str(d1), str(d2), "District not given"]
    assert by_district.series[1].data == [2, 1, 1]  # attempts

    # Finished later, rescored, deleted: the figures follow.
    still_open.status, still_open.score = Attempt.Status.SUBMITTED, Decimal("29")
    still_open.save()
    low = Attempt.objects.get(score=12)
    low.score = Decimal("18")
    low.save()
    Attempt.objects.get(score=Decimal("21.5")).delete()
    values, _section = shown(campaign)
    expected = truth(campaign)
    assert {k: values[k] for k in expected} == expected
    assert expected["quiz_attempts"] == 4 and expected["quiz_pass_rate"] == 100.0


def test_a_changed_pass_mark_changes_who_passed(quiz, campaign):
    make_attempt(quiz, "m:13900000001", dt.date(2031, 9, 3), "20")
    make_attempt(quiz, "m:13900000002", dt.date(2031, 9, 3), "25")
    assert shown(campaign)[0]["quiz_pass_rate"] == 100.0
    quiz.pass_percent = 80  # 24 points
    quiz.save()
    assert shown(campaign)[0]["quiz_pass_rate"] == truth(campaign)["quiz_pass_rate"] == 50.0


def test_the_district_and_date_filters_narrow_the_figures(quiz, campaign, districts):
    d1, d2 = districts
    make_attempt(quiz, "m:13900000001", dt.date(2031, 9, 3), "30", district=d1)
    make_attempt(quiz, "m:13900000002", dt.date(2031, 9, 3), "10", district=d2)
    make_attempt(quiz, "m:13900000003", dt.date(2031, 9, 9), "20", district=d1)
    values, section = shown(campaign, district_id=d1.pk)
    expected = truth(campaign, district=d1.pk)
    assert {k: values[k] for k in expected} == expected
    assert values["quiz_attempts"] == 2
    assert [c.categories for c in section.charts if c.key == "quiz_by_district"] == [[str(d1)]]

    values, _section = shown(campaign, date_from=dt.date(2031, 9, 5))
    assert (
        values["quiz_attempts"] == truth(campaign, since=dt.date(2031, 9, 5))["quiz_attempts"] == 1
    )
    # The figures stop at "today": an attempt dated later is not counted yet.
    values, _section = shown(campaign, today=dt.date(2031, 9, 5))
    assert values["quiz_attempts"] == 2


def test_filters_the_quiz_cannot_apply_are_said_and_do_not_empty_it(quiz, campaign):
    make_attempt(quiz, "m:13900000001", dt.date(2031, 9, 3), "30")
    domain = campaign.domains.first()
    values, section = shown(campaign, unit_id=campaign.lead_unit_id, domain_id=domain.pk)
    assert values["quiz_attempts"] == 1  # the quiz is no unit's: the campaign's figures
    assert section.ignored_filters == ["unit", "domain"]
    assert shown(campaign)[1].ignored_filters == []


def test_a_campaign_without_a_quiz_has_no_quiz_section(campaign):
    sections = compose(campaign, today=END, sections=["quiz"]).sections
    assert sections == []


def test_the_public_part_is_counts_without_anyone_in_it(quiz, campaign, districts):
    make_attempt(quiz, "m:13912345678", dt.date(2031, 9, 3), "30", district=districts[0])
    dashboard = compose(campaign, public=True, today=END, sections=["quiz"])
    (section,) = dashboard.sections
    assert {f.key for f in section.figures} == {"quiz_attempts", "quiz_participants"}
    assert [c.key for c in section.charts] == ["quiz_per_day"]
    text = json.dumps([asdict(section)], default=str, ensure_ascii=False)
    assert "13912345678" not in text and "5678" not in text


def test_last_years_campaign_gives_the_same_keys_at_the_same_point(quiz, campaign):
    from qualitymonth.quiz.models import Quiz

    before = CampaignFactory(
        year=2030,
        region=campaign.region,
        starts_on=dt.date(2030, 9, 1),
        ends_on=END.replace(year=2030),
    )
    old_quiz = Quiz.objects.create(
        campaign=before,
        slug="old-quiz",
        title="去年的竞答",
        opens_at=quiz.opens_at,
        closes_at=quiz.closes_at,
    )
    for rule in quiz.rules.all():
        old_quiz.rules.create(domain=rule.domain, count=rule.count)
    make_attempt(old_quiz, "m:13900000001", dt.date(2030, 9, 2), "30")
    make_attempt(old_quiz, "m:13900000002", dt.date(2030, 9, 20), "30")  # after the same point
    make_attempt(quiz, "m:13900000001", dt.date(2031, 9, 2), "30")
    section = compose(campaign, today=dt.date(2031, 9, 10), sections=["quiz"]).sections[0]
    previous = {f.key: f.previous for f in section.figures}
    assert previous["quiz_attempts"] == 1 and previous["quiz_participants"] == 1


# --- the services and the queued path ----------------------------------------------------------
@pytest.fixture
def live_campaign(db):
    """The services date attempts by the server's clock: a campaign around today."""
    today = timezone.localdate()
    return CampaignFactory(
        starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=20)
    )


@pytest.fixture
def live_quiz(live_campaign, quiz):
    quiz.campaign = live_campaign
    quiz.save()
    return quiz


def test_attempts_finished_by_the_services_are_counted(live_quiz, live_campaign):
    from qualitymonth.quiz.services import attempt_set_excluded

    district = Region.objects.filter(parent=live_campaign.region).first()
    a = attempt_start(
        quiz=live_quiz,
        participant=Participant(key="m:13900000001", name="13900000001"),
        district_id=district.pk,
    )
    b = attempt_start(quiz=live_quiz, participant=Participant(key="m:13900000002", name="x"))
    answer_all(a)
    today = timezone.localdate()
    assert shown(live_campaign, today=today)[0]["quiz_attempts"] == 0  # in progress: not yet
    attempt_finish(attempt=a)
    attempt_finish(attempt=b)
    values, _section = shown(live_campaign, today=today)
    expected = truth(live_campaign, since=live_campaign.starts_on, until=today)
    assert {k: values[k] for k in expected} == expected
    assert values["quiz_attempts"] == 2 and values["quiz_pass_rate"] == 50.0
    assert shown(live_campaign, today=today, district_id=district.pk)[0]["quiz_attempts"] == 1
    # Excluded from the leaderboard, still an attempt made.
    office = MembershipFactory(
        unit=live_campaign.lead_unit, role="campaign_office", user=UserFactory(username="qo")
    ).user
    attempt_set_excluded(acting_user=office, attempt=a, excluded=True, reason="测试")
    assert shown(live_campaign, today=today)[0]["quiz_attempts"] == 2


@pytest.mark.django_db(transaction=True)
def test_submissions_queued_in_redis_are_counted_once_settled(live_quiz, live_campaign):
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("the quick submit runs with Redis on PostgreSQL; CI runs it there")
    from qualitymonth.dashboard.models import Stale
    from qualitymonth.quiz import burst
    from qualitymonth.quiz.services import attempt_submit_quick

    attempt = attempt_start(quiz=live_quiz, participant=Participant(key="m:13900000009", name="y"))
    answer_all(attempt)
    Stale.objects.all().delete()
    assert attempt_submit_quick(token=attempt.token) is not None
    burst.settle()  # the raw UPDATE of the flush, past the model signals
    assert Stale.objects.filter(source="quiz", day=attempt.day).exists()
    today = timezone.localdate()
    values, _section = shown(live_campaign, today=today)
    assert values["quiz_attempts"] == 1 and values["quiz_pass_rate"] == 100.0
    assert values["quiz_participants"] == 1


# --- the district chosen when starting -----------------------------------------------------------
def test_the_start_page_offers_the_districts_and_keeps_the_choice(citizen_client, quiz, campaign):
    district = Region.objects.filter(parent=campaign.region).first()
    page = citizen_client.get(quiz.get_absolute_url())
    assert f'<option value="{district.pk}">' in page.content.decode()
    response = citizen_client.post(
        reverse("quiz:start", args=[quiz.slug]), {"district": district.pk}
    )
    assert response.status_code == 302
    assert Attempt.objects.get().district == district


@pytest.mark.parametrize("bad", ["abc", "99999999", "-1"])
def test_the_start_page_refuses_a_district_not_offered(citizen_client, quiz, campaign, bad):
    response = citizen_client.post(
        reverse("quiz:start", args=[quiz.slug]), {"district": bad}, follow=True
    )
    assert not Attempt.objects.exists()
    assert "选择列出的区" in response.content.decode() or "Choose one of the districts" in (
        response.content.decode()
    )


def test_the_start_page_refuses_another_citys_district(citizen_client, quiz, campaign):
    elsewhere = Region.objects.create(code="990999", name="外市某区", level="district")
    response = citizen_client.post(
        reverse("quiz:start", args=[quiz.slug]), {"district": elsewhere.pk}
    )
    assert response.status_code == 302 and not Attempt.objects.exists()


def test_the_api_start_takes_an_optional_district(citizen_client, quiz, campaign):
    district = Region.objects.filter(parent=campaign.region).first()
    url = f"/api/quiz/{quiz.slug}/attempts"
    refused = citizen_client.post(f"{url}?district=99999999")
    assert refused.status_code == 400
    assert refused.json()["code"] == "bad_district" and "district" in refused.json()["errors"]
    wrong_type = citizen_client.post(f"{url}?district=abc")
    assert wrong_type.status_code == 422
    assert not Attempt.objects.exists()
    started = citizen_client.post(f"{url}?district={district.pk}")
    assert started.status_code == 201
    assert Attempt.objects.get().district == district


def test_the_api_start_still_works_without_a_body(citizen_client, quiz):
    response = citizen_client.post(f"/api/quiz/{quiz.slug}/attempts")
    assert response.status_code == 201
    assert Attempt.objects.get().district is None


def test_a_forbidden_person_cannot_start_with_a_district(client, quiz, campaign):
    district = Region.objects.filter(parent=campaign.region).first()
    response = client.post(f"/api/quiz/{quiz.slug}/attempts?district={district.pk}")
    assert response.status_code == 400 and response.json()["code"] == "identity_required"
    assert not Attempt.objects.exists()


def test_the_overview_sentence_carries_the_numbers(quiz, campaign):
    from qualitymonth.dashboard import facts
    from qualitymonth.dashboard.figures import View
    from qualitymonth.quiz.figures import QuizFigures

    make_attempt(quiz, "m:13900000001", dt.date(2031, 9, 3), "30")
    make_attempt(quiz, "m:13900000002", dt.date(2031, 9, 3), "10")
    facts.refresh(campaign)
    (sentence,) = QuizFigures().overview(View(campaign=campaign, today=END))
    assert "2 participant-days and 2 attempts" in sentence and "50%" in sentence
