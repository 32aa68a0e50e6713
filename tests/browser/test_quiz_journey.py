"""Take the quiz on a phone: start, answer, reload mid-way (same attempt, same clock), finish,
see the score and the rank."""

import re

import pytest

from qualitymonth.quiz.models import Attempt
from tests.browser.conftest import shot
from tests.factories import CampaignFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_takes_the_quiz_on_a_phone(live_server, phone):
    from tests.quiz.conftest import make_bank

    campaign = CampaignFactory()
    make_bank()
    import datetime as dt

    from django.utils import timezone

    from qualitymonth.quiz.models import DrawRule, Quiz

    quiz = Quiz.objects.create(
        campaign=campaign,
        slug="phone-quiz",
        title="质量知识竞答",
        opens_at=timezone.now() - dt.timedelta(hours=1),
        closes_at=timezone.now() + dt.timedelta(days=1),
        time_limit_seconds=600,
    )
    DrawRule.objects.create(quiz=quiz, domain="", count=5)
    UserFactory(username="quiz-citizen", first_name="李小梅")

    phone.goto(f"{live_server.url}/accounts/login/?next=/quiz/{quiz.slug}/")
    phone.fill("#id_username", "quiz-citizen")
    phone.fill("#id_password", "pw-12345678")
    phone.locator("form button.primary").click()
    phone.get_by_test_id("start").click()
    phone.wait_for_url(re.compile(r"/quiz/attempts/"))
    attempt = Attempt.objects.get()

    def answer_current():
        stem = phone.get_by_test_id("stem").inner_text()
        item = attempt.items.select_related("question").get(question__stem=stem)
        for original in item.question.answer:
            phone.locator("input[name=choice]").nth(item.option_order.index(original)).check()
        return item

    answer_current()
    phone.get_by_test_id("next").click()
    answer_current()
    phone.get_by_test_id("next").click()
    shot(phone, "quiz-question")
    before = int(phone.get_by_test_id("timer").get_attribute("data-remaining"))
    phone.reload()  # a dropped connection or a reload resumes the same attempt and clock
    after = int(phone.get_by_test_id("timer").get_attribute("data-remaining"))
    assert after <= before and before - after < 15
    assert Attempt.objects.count() == 1
    assert "done" in (phone.locator(".paper-nav a").nth(0).get_attribute("class") or "")
    for position in range(3, 6):
        answer_current()
        (
            phone.get_by_test_id("next") if position < 5 else phone.get_by_test_id("save-last")
        ).click()
    phone.get_by_test_id("submit").click()
    phone.get_by_test_id("confirm-submit").click()
    phone.wait_for_url(re.compile(r"/result/$"))
    assert phone.get_by_test_id("score").inner_text().startswith("25")
    assert phone.get_by_test_id("rank").inner_text().strip() == "1"
    shot(phone, "quiz-result")
