"""Quiz certificates: only from the quiz's pass mark, in the name the person gives for it."""

from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from qualitymonth.core.models import AuditEvent
from qualitymonth.quiz import documents
from qualitymonth.quiz.models import Attempt
from qualitymonth.quiz.services import attempt_finish
from tests.quiz.conftest import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def mobile_client(client):
    # Identified by a verified mobile: the display name is the number, masked as 138****8000.
    session = client.session
    session["qm_verified_mobile"] = "13800138000"
    session.save()
    return client


def _finished(client, quiz, *, correct: bool = True) -> Attempt:
    client.post(f"/quiz/{quiz.slug}/start/")
    attempt = Attempt.objects.latest("started_at")
    answer_all(attempt, correct=correct)
    return attempt_finish(attempt=attempt)


def _url(attempt: Attempt, what: str) -> str:
    return f"/quiz/attempts/{attempt.token}/{what}"


def test_pass_score_is_the_share_of_the_maximum_rounded_up(quiz):
    assert quiz.max_score == 30 and quiz.pass_percent == 60
    assert quiz.pass_score == Decimal("18.0")
    quiz.points_per_question, quiz.pass_percent = 1, 33  # 6 × 1 point × 33 % = 1.98
    assert quiz.pass_score == Decimal("2.0")


def test_a_score_of_zero_gets_no_certificate(mobile_client, quiz):
    attempt = _finished(mobile_client, quiz, correct=False)
    assert attempt.score == 0
    page = mobile_client.get(_url(attempt, "result/"))
    assert page.context["certificate_refusal"]
    assert 'data-testid="no-certificate"' in page.content.decode()
    assert _url(attempt, "certificate.pdf") not in page.content.decode()
    download = mobile_client.get(_url(attempt, "certificate.pdf"))
    assert download.status_code == 302 and download.url == _url(attempt, "result/")
    refused = mobile_client.post(_url(attempt, "certificate/"), {"name": "王小红"})
    assert refused.status_code == 400
    attempt.refresh_from_db()
    assert attempt.certificate_name == ""


@pytest.mark.parametrize(("score", "offered"), [("17.9", False), ("18.0", True), ("30.0", True)])
def test_the_certificate_is_offered_from_the_pass_mark(mobile_client, quiz, score, offered):
    attempt = _finished(mobile_client, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(score=Decimal(score))
    page = mobile_client.get(_url(attempt, "result/"))
    assert (page.context["certificate_refusal"] is None) is offered
    assert ('name="name"' in page.content.decode()) is offered


def test_the_pass_mark_is_set_per_quiz(mobile_client, quiz):
    quiz.pass_percent = 100
    quiz.save()
    attempt = _finished(mobile_client, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(score=Decimal("29.0"))
    assert mobile_client.get(_url(attempt, "result/")).context["certificate_refusal"]


def test_the_certificate_carries_the_name_given_not_the_masked_mobile(
    mobile_client, quiz, monkeypatch
):
    attempt = _finished(mobile_client, quiz)
    assert mobile_client.get(_url(attempt, "certificate.pdf")).status_code == 302  # name first
    response = mobile_client.post(_url(attempt, "certificate/"), {"name": "  李小梅 "})
    assert response.status_code == 302 and response.url == _url(attempt, "certificate.pdf")
    attempt.refresh_from_db()
    assert attempt.certificate_name == "李小梅"
    assert AuditEvent.objects.filter(event_type="quiz.certificate_name").count() == 1

    printed = {}
    real = documents.certificate_pdf
    monkeypatch.setattr(documents, "certificate_pdf", lambda **kw: printed.update(kw) or real(**kw))
    pdf = mobile_client.get(response.url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert printed["lines"][0] == "李小梅："
    assert not any("138" in line for line in printed["lines"])
    # Once named, the result page offers the download directly.
    body = mobile_client.get(_url(attempt, "result/")).content.decode()
    assert _url(attempt, "certificate.pdf") in body and 'name="name"' not in body


@pytest.mark.parametrize("name", ["", "   ", "李\x07小梅", "李\x00梅", "李\n小梅", "李" * 31])
def test_bad_certificate_names_are_refused_and_kept_in_the_form(mobile_client, quiz, name):
    attempt = _finished(mobile_client, quiz)
    response = mobile_client.post(_url(attempt, "certificate/"), {"name": name})
    assert response.status_code == 400
    assert response.context["certificate_form"].errors
    attempt.refresh_from_db()
    assert attempt.certificate_name == ""


def test_the_name_is_set_once(mobile_client, quiz):
    attempt = _finished(mobile_client, quiz)
    mobile_client.post(_url(attempt, "certificate/"), {"name": "李小梅"})
    again = mobile_client.post(_url(attempt, "certificate/"), {"name": "李小梅"})
    assert again.status_code == 302  # the same form sent twice
    other = mobile_client.post(_url(attempt, "certificate/"), {"name": "张三"})
    assert other.status_code == 400
    assert other.context["certificate_form"].non_field_errors()
    attempt.refresh_from_db()
    assert attempt.certificate_name == "李小梅"


def test_someone_else_cannot_name_or_download_the_certificate(mobile_client, quiz):
    attempt = _finished(mobile_client, quiz)
    stranger = Client()
    assert stranger.post(_url(attempt, "certificate/"), {"name": "张三"}).status_code == 404
    mobile_client.post(_url(attempt, "certificate/"), {"name": "李小梅"})
    assert stranger.get(_url(attempt, "certificate.pdf")).status_code == 404


def test_verification_shows_only_issued_certificates_with_a_masked_name(mobile_client, quiz):
    attempt = _finished(mobile_client, quiz)
    verify = f"/quiz/certificates/{attempt.certificate_code}/"
    assert Client().get(verify).status_code == 404  # no certificate was issued yet
    mobile_client.post(_url(attempt, "certificate/"), {"name": "欧阳小梅"})
    body = Client().get(verify).content.decode()
    assert "欧**梅" in body and "欧阳小梅" not in body and "138****8000" not in body


def test_the_office_sets_the_pass_mark_in_the_quiz_form(office_client, quiz):
    page = office_client.get(f"/office/quiz/{quiz.slug}/settings/").content.decode()
    assert 'name="pass_percent"' in page
    data = {
        "title": quiz.title,
        "description": "",
        "opens_at": "2026-01-01T08:00",
        "closes_at": "2027-01-01T08:00",
        "time_limit_seconds": 300,
        "attempts_per_day": 2,
        "identity": "either",
        "points_per_question": 5,
        "is_published": "on",
        "rules-TOTAL_FORMS": 1,
        "rules-INITIAL_FORMS": 0,
        "rules-MIN_NUM_FORMS": 0,
        "rules-MAX_NUM_FORMS": 1000,
        "rules-0-domain": "metrology",
        "rules-0-difficulty": "",
        "rules-0-count": 4,
    }
    for bad in (0, 101, ""):
        response = office_client.post(
            f"/office/quiz/{quiz.slug}/settings/", {**data, "pass_percent": bad}
        )
        assert response.status_code == 400 and response.context["form"].errors["pass_percent"]
    response = office_client.post(
        f"/office/quiz/{quiz.slug}/settings/", {**data, "pass_percent": 75}
    )
    assert response.status_code == 302
    quiz.refresh_from_db()
    assert quiz.pass_percent == 75


def test_leaderboard_numbers_do_not_wrap_on_a_phone(mobile_client, quiz):
    _finished(mobile_client, quiz)
    body = mobile_client.get(f"/quiz/{quiz.slug}/leaderboard/").content.decode()
    assert '<td class="num">' in body
    with open(finders.find("qm/site.css"), encoding="utf-8") as css:
        assert ".board .num { white-space: nowrap;" in css.read()
