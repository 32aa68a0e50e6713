import datetime as dt

import pytest
from django.utils import timezone

from qualitymonth.quiz.models import DrawRule, Question, Quiz
from qualitymonth.quiz.services import Participant


def make_bank(per_domain: int = 4) -> list[Question]:
    questions = []
    for domain in ("metrology", "standards", "consumer"):
        for n in range(per_domain):
            questions.append(
                Question(
                    kind="single",
                    domain=domain,
                    difficulty=1 + n % 3,
                    stem=f"{domain} 单选题 {n}",
                    options=["甲", "乙", "丙", "丁"],
                    answer=[n % 4],
                    explanation=f"解析 {domain} {n}",
                    source="测试",
                )
            )
        questions.append(
            Question(
                kind="multiple",
                domain=domain,
                difficulty=2,
                stem=f"{domain} 多选题",
                options=["甲", "乙", "丙", "丁"],
                answer=[0, 2],
                explanation="多选解析",
            )
        )
        questions.append(
            Question(
                kind="truefalse",
                domain=domain,
                difficulty=1,
                stem=f"{domain} 判断题",
                options=["正确", "错误"],
                answer=[0],
                explanation="判断解析",
            )
        )
    return Question.objects.bulk_create(questions)


@pytest.fixture
def bank(db):
    return make_bank()


@pytest.fixture
def quiz(campaign, bank):
    quiz = Quiz.objects.create(
        campaign=campaign,
        slug="test-quiz",
        title="质量知识竞答",
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=10),
        time_limit_seconds=600,
        attempts_per_day=3,
        identity=Quiz.Identity.EITHER,
        points_per_question=5,
        partial_credit=True,
    )
    DrawRule.objects.create(quiz=quiz, domain="metrology", count=3)
    DrawRule.objects.create(quiz=quiz, domain="consumer", count=2)
    DrawRule.objects.create(quiz=quiz, domain="", count=1)
    return quiz


@pytest.fixture
def person():
    return Participant(key="m:13800138000", name="13800138000", mobile="13800138000")


def answer_all(attempt, *, correct: bool = True):
    """Answer every question of the paper (display indices mapped from the truth)."""
    from qualitymonth.quiz.services import attempt_answer

    for item in attempt.items.select_related("question"):
        truth = (
            item.question.answer
            if correct
            else [i for i in range(len(item.question.options)) if i not in item.question.answer][:1]
        )
        shown = [item.option_order.index(o) for o in truth]
        attempt_answer(attempt_token=attempt.token, question_id=item.question_id, choices=shown)
