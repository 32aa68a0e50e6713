import datetime as dt
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from qualitymonth.core.sms import ConsoleBackend
from qualitymonth.quiz.models import Attempt, Question
from tests.quiz.conftest import answer_all

pytestmark = pytest.mark.django_db


def _start(client, quiz) -> Attempt:
    response = client.post(f"/quiz/{quiz.slug}/start/")
    assert response.status_code == 302, response
    return Attempt.objects.latest("started_at")


def test_quiz_page_asks_for_identity(client, quiz):
    body = client.get(f"/quiz/{quiz.slug}/").content.decode()
    assert 'name="mobile"' in body and "/accounts/login/" in body
    assert client.post(f"/quiz/{quiz.slug}/start/").status_code == 302
    assert not Attempt.objects.exists()


def _last_code() -> str:
    return re.search(r"\d{6}", ConsoleBackend.outbox[-1][1]).group()


def test_mobile_verification_then_quiz(client, quiz):
    client.post(f"/quiz/{quiz.slug}/verify/", {"mobile": "13800138000"})
    code = _last_code()
    wrong = "000000" if code != "000000" else "111111"
    client.post(f"/quiz/{quiz.slug}/verify/", {"mobile": "13800138000", "code": wrong})
    assert client.session.get("qm_verified_mobile") is None
    client.post(f"/quiz/{quiz.slug}/verify/", {"mobile": "13800138000", "code": code})
    assert client.session["qm_verified_mobile"] == "13800138000"
    attempt = _start(client, quiz)
    assert attempt.participant == "m:13800138000"


def test_codes_are_rate_limited_and_bad_numbers_refused(client, quiz):
    sent = len(ConsoleBackend.outbox)
    response = client.post(f"/quiz/{quiz.slug}/verify/", {"mobile": "123"}, follow=True)
    assert len(ConsoleBackend.outbox) == sent and response.status_code == 200
    client.post(f"/quiz/{quiz.slug}/verify/", {"mobile": "13900000000"})
    client.post(f"/quiz/{quiz.slug}/verify/", {"mobile": "13900000000"})
    assert len(ConsoleBackend.outbox) == sent + 1


def test_no_answers_leak_before_submission(citizen_client, quiz):
    attempt = _start(citizen_client, quiz)
    page = citizen_client.get(f"/quiz/attempts/{attempt.token}/").content.decode()
    api = json.dumps(
        citizen_client.get(f"/api/quiz/attempts/{attempt.token}").json(), ensure_ascii=False
    )
    for item in attempt.items.select_related("question"):
        assert item.question.explanation not in page and item.question.explanation not in api
    assert (
        '"answer"' not in api
        and '"correct"' not in api
        and "correct" not in page.lower().replace("incorrect", "")
    )


def test_resume_after_reload_keeps_the_attempt_and_the_clock(citizen_client, quiz):
    attempt = _start(citizen_client, quiz)
    item = attempt.items.select_related("question").first()
    citizen_client.post(
        f"/quiz/attempts/{attempt.token}/answer/",
        {"question": item.question_id, "position": 1, "choice": [0]},
    )
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + dt.timedelta(seconds=100)
    )
    again = citizen_client.post(f"/quiz/{quiz.slug}/start/")
    assert again.url == f"/quiz/attempts/{attempt.token}/"
    page = citizen_client.get(f"/quiz/attempts/{attempt.token}/?q=1")
    assert 98 <= page.context["remaining"] <= 100
    assert any(chosen for _i, _t, chosen in page.context["options"])


def test_someone_elses_attempt_is_hidden(citizen_client, quiz, staff_client):
    attempt = _start(citizen_client, quiz)
    assert staff_client.get(f"/quiz/attempts/{attempt.token}/").status_code == 404
    assert Client().get(f"/quiz/attempts/{attempt.token}/result/").status_code == 404


def test_submit_confirmation_result_and_certificate(citizen_client, quiz):
    attempt = _start(citizen_client, quiz)
    answer_all(attempt)
    assert citizen_client.get(f"/quiz/attempts/{attempt.token}/submit/").status_code == 200
    response = citizen_client.post(f"/quiz/attempts/{attempt.token}/submit/", follow=True)
    body = response.content.decode()
    assert response.context["attempt"].score == 30 and response.context["rank"].rank == 1
    assert "解析" in body  # the review shows explanations now
    named = citizen_client.post(f"/quiz/attempts/{attempt.token}/certificate/", {"name": "李小梅"})
    pdf = citizen_client.get(named.url)
    assert pdf.content.startswith(b"%PDF")
    attempt.refresh_from_db()
    verify = Client().get(f"/quiz/certificates/{attempt.certificate_code}/")
    assert verify.status_code == 200 and str(attempt.score) in verify.content.decode()
    assert Client().get("/quiz/certificates/NOPE/").status_code == 404


def test_leaderboard_page_and_my_rank(citizen_client, quiz):
    attempt = _start(citizen_client, quiz)
    answer_all(attempt)
    citizen_client.post(f"/quiz/attempts/{attempt.token}/submit/")
    page = citizen_client.get(f"/quiz/{quiz.slug}/leaderboard/")
    assert page.context["me"].rank == 1 and len(page.context["rows"]) == 1
    assert citizen_client.get(f"/quiz/{quiz.slug}/leaderboard/?day=bad").status_code == 200
    today = timezone.localdate().isoformat()
    assert (
        len(citizen_client.get(f"/quiz/{quiz.slug}/leaderboard/?day={today}").context["rows"]) == 1
    )


def test_api_start_answer_submit_result_leaderboard(citizen_client, quiz):
    start = citizen_client.post(f"/api/quiz/{quiz.slug}/attempts")
    assert start.status_code == 201
    paper = start.json()
    token = paper["token"]
    assert len(paper["questions"]) == 6 and paper["remaining_seconds"] > 590
    attempt = Attempt.objects.get(token=token)
    for item in attempt.items.select_related("question"):
        shown = [item.option_order.index(o) for o in item.question.answer]
        r = citizen_client.post(
            f"/api/quiz/attempts/{token}/answers",
            {"question_id": item.question_id, "choices": shown},
            content_type="application/json",
        )
        assert r.status_code == 200 and r.json()["saved"]
    resumed = citizen_client.post(f"/api/quiz/{quiz.slug}/attempts")
    assert resumed.status_code == 200 and resumed.json()["token"] == token
    assert all(q["chosen"] for q in resumed.json()["questions"])
    assert Client().get(f"/api/quiz/attempts/{token}/result").status_code == 409
    result = Client().post(f"/api/quiz/attempts/{token}/submit").json()
    assert result["score"] == 30 and result["rank"]["rank"] == 1
    review = Client().get(f"/api/quiz/attempts/{token}/result").json()["review"]
    assert len(review) == 6 and review[0]["correct"] and review[0]["explanation"]
    twice = Client().post(f"/api/quiz/attempts/{token}/submit").json()
    assert twice["score"] == 30
    late = Client().post(
        f"/api/quiz/attempts/{token}/answers",
        {"question_id": paper["questions"][0]["question_id"], "choices": [0]},
        content_type="application/json",
    )
    assert late.status_code == 409 and late.json()["code"] == "finished"
    board = Client().get(f"/api/quiz/{quiz.slug}/leaderboard", {"attempt": token}).json()
    assert board["top"][0]["score"] == 30 and board["me"]["rank"] == 1
    assert (
        Client().get(f"/api/quiz/{quiz.slug}/leaderboard", {"day": "not-a-day"}).status_code == 422
    )
    assert Client().get("/api/quiz/nope/leaderboard").status_code == 404


def test_api_refuses_without_identity_and_bad_answers(client, citizen_client, quiz):
    assert client.post(f"/api/quiz/{quiz.slug}/attempts").status_code == 400
    token = citizen_client.post(f"/api/quiz/{quiz.slug}/attempts").json()["token"]
    assert (
        client.post(
            f"/api/quiz/attempts/{token}/answers",
            {"question_id": 999999, "choices": [0]},
            content_type="application/json",
        ).json()["code"]
        == "not_in_paper"
    )
    assert (
        client.post(
            f"/api/quiz/attempts/{token}/answers",
            {"question_id": "x"},
            content_type="application/json",
        ).status_code
        == 422
    )


def test_answer_rate_limit(citizen_client, quiz, settings):
    settings.QM_QUIZ_RATE_LIMITS = {**settings.QM_QUIZ_RATE_LIMITS, "answer": (3, 1000, 60)}
    token = citizen_client.post(f"/api/quiz/{quiz.slug}/attempts").json()["token"]
    item = Attempt.objects.get(token=token).items.first()
    codes = [
        citizen_client.post(
            f"/api/quiz/attempts/{token}/answers",
            {"question_id": item.question_id, "choices": [0]},
            content_type="application/json",
        ).status_code
        for _ in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


# --- office -------------------------------------------------------------------------------
def test_question_bank_pages_are_for_the_office_only(
    office_client, staff_client, citizen_client, quiz
):
    assert office_client.get("/office/quiz/questions/").status_code == 200
    assert staff_client.get("/office/quiz/questions/").status_code == 403
    assert citizen_client.get("/office/quiz/questions/").status_code == 403
    assert (
        office_client.get("/office/quiz/questions/?domain=metrology&q=单选")
        .context["page"]
        .paginator.count
        == 4
    )


def test_question_form_happy_and_bad(office_client, quiz):
    ok = office_client.post(
        "/office/quiz/questions/new/",
        {
            "kind": "multiple",
            "domain": "standards",
            "difficulty": 2,
            "stem": "下列属于强制性国家标准代号的是？",
            "options_text": "GB\nGB/T\nDB\nT/",
            "answer_letters": "A,C",
            "explanation": "",
            "source": "",
            "is_active": "on",
        },
    )
    assert ok.status_code == 302 and Question.objects.get(stem__startswith="下列属于").answer == [
        0,
        2,
    ]
    bad = office_client.post(
        "/office/quiz/questions/new/",
        {
            "kind": "single",
            "domain": "standards",
            "difficulty": 2,
            "stem": "x",
            "options_text": "甲\n乙",
            "answer_letters": "AB",
        },
    )
    assert bad.status_code == 400


def _bank_sheet(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["题型", "领域", "难度", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "出处"]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("bank.xlsx", buffer.getvalue())


def test_bank_import_reports_bad_rows_and_imports_nothing(office_client, quiz):
    before = Question.objects.count()
    rows = [
        ["单选", "计量", 1, "新题一", "甲", "乙", "丙", "丁", "B", "解析", "来源"],
        ["问答", "计量", 1, "新题二", "甲", "乙", "", "", "A", "", ""],
        ["单选", "航天", 1, "新题三", "甲", "乙", "", "", "A", "", ""],
        ["多选", "标准", 2, "新题四", "甲", "乙", "丙", "", "A", "", ""],
        ["单选", "计量", 9, "新题五", "甲", "乙", "", "", "E", "", ""],
        ["判断", "食品安全", 1, "新题六", "", "", "", "", "错误", "", ""],
    ]
    response = office_client.post("/office/quiz/questions/import/", {"file": _bank_sheet(rows)})
    assert response.status_code == 400
    assert sorted({row for row, _m in response.context["result"].errors}) == [3, 4, 5, 6]
    assert Question.objects.count() == before
    good = office_client.post(
        "/office/quiz/questions/import/", {"file": _bank_sheet([rows[0], rows[5]])}
    )
    assert good.status_code == 302 and Question.objects.count() == before + 2
    assert Question.objects.get(stem="新题六").answer == [1]


def test_bank_export_round_trips(office_client, quiz):
    export = office_client.get("/office/quiz/questions/export.xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == Question.objects.count() + 1


def test_quiz_settings_and_stats(office_client, quiz):
    page = office_client.get(f"/office/quiz/{quiz.slug}/settings/")
    assert page.status_code == 200
    data = {
        "title": "新标题",
        "description": "",
        "opens_at": "2026-01-01T08:00",
        "closes_at": "2027-01-01T08:00",
        "time_limit_seconds": 300,
        "attempts_per_day": 2,
        "identity": "login",
        "points_per_question": 4,
        "partial_credit": "",
        "pass_percent": 60,
        "is_published": "on",
        "rules-TOTAL_FORMS": 1,
        "rules-INITIAL_FORMS": 0,
        "rules-MIN_NUM_FORMS": 0,
        "rules-MAX_NUM_FORMS": 1000,
        "rules-0-domain": "metrology",
        "rules-0-difficulty": "",
        "rules-0-count": 4,
    }
    assert office_client.post(f"/office/quiz/{quiz.slug}/settings/", data).status_code == 302
    quiz.refresh_from_db()
    assert quiz.title == "新标题" and quiz.question_count == 4 and not quiz.partial_credit
    data["rules-0-count"] = 99
    assert office_client.post(f"/office/quiz/{quiz.slug}/settings/", data).status_code == 400
    assert office_client.get(f"/office/quiz/{quiz.slug}/stats/").status_code == 200
    assert office_client.get(f"/office/quiz/{quiz.slug}/flagged/").status_code == 200


def test_the_office_creates_a_quiz_for_its_campaign(office_client, staff_client, quiz, campaign):
    from qualitymonth.core.models import AuditEvent
    from qualitymonth.quiz.models import Quiz

    assert office_client.get("/office/quiz/new/").status_code == 200
    data = {
        "campaign": campaign.pk,
        "slug": "quiz-2023",
        "title": "2023年质量知识竞答",
        "description": "每天可答两次。",
        "opens_at": "2026-09-01T08:00",
        "closes_at": "2026-09-30T20:00",
        "time_limit_seconds": 600,
        "attempts_per_day": 2,
        "identity": "mobile",
        "points_per_question": 5,
        "partial_credit": "on",
        "pass_percent": 60,
        "is_published": "on",
        "rules-TOTAL_FORMS": 2,
        "rules-INITIAL_FORMS": 0,
        "rules-MIN_NUM_FORMS": 0,
        "rules-MAX_NUM_FORMS": 1000,
        "rules-0-domain": "standards",
        "rules-0-difficulty": "",
        "rules-0-count": 3,
        "rules-1-domain": "",
        "rules-1-difficulty": "",
        "rules-1-count": "",
    }
    assert staff_client.post("/office/quiz/new/", data).status_code == 403
    too_many = {**data, "rules-0-count": 99}
    assert office_client.post("/office/quiz/new/", too_many).status_code == 400
    assert office_client.post("/office/quiz/new/", {**data, "slug": quiz.slug}).status_code == 400
    assert not Quiz.objects.filter(slug="quiz-2023").exists()  # nothing half-saved
    response = office_client.post("/office/quiz/new/", data)
    assert response.status_code == 302 and response.url == "/office/quiz/quiz-2023/settings/"
    made = Quiz.objects.get(slug="quiz-2023")
    assert made.campaign == campaign and made.question_count == 3 and made.partial_credit
    assert AuditEvent.objects.filter(event_type="quiz.configure", object_id=str(made.pk)).exists()
