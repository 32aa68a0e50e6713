"""Demo quiz: the question bank, a quiz open during the demo campaign, and a leaderboard of
people who took it on the days before today."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from qualitymonth.campaigns.models import Campaign
from qualitymonth.quiz import leaderboard
from qualitymonth.quiz.demo.questions import QUESTIONS
from qualitymonth.quiz.models import (
    Attempt,
    AttemptQuestion,
    DrawRule,
    Question,
    QuestionDomain,
    Quiz,
)
from qualitymonth.quiz.services.attempts import draw_paper, score_answer

SLUG = "quiz-2022-xiamen"
DESCRIPTION = (
    "每份试卷20题，从计量、标准、认证认可、产品质量法、消费者权益、食品安全、特种设备、质量月与质量发展、"
    "卓越绩效与质量管理九个领域随机抽取，选项顺序随机；限时10分钟，每人每天可答3次，取最好成绩排名。"
    "多选题少选按比例得分，错选不得分。排名依次比较得分、用时和交卷时间。"
)


def load_bank() -> int:
    if Question.objects.exists():
        return 0
    Question.objects.bulk_create(
        Question(
            kind=q["kind"],
            domain=q["domain"],
            difficulty=q["difficulty"],
            stem=q["stem"],
            options=q["options"],
            answer=q["answer"],
            explanation=q["explanation"],
            source=q["source"],
        )
        for q in QUESTIONS
    )
    return len(QUESTIONS)


@transaction.atomic
def load(campaign: Campaign, *, seed: int = 2022, now: dt.datetime | None = None) -> Quiz:
    load_bank()
    existing = Quiz.objects.filter(slug=SLUG).first()
    if existing:
        return existing
    tz = timezone.get_current_timezone()
    quiz = Quiz.objects.create(
        campaign=campaign,
        slug=SLUG,
        title=f"{campaign.year}年厦门市“质量月”质量知识竞答",
        description=DESCRIPTION,
        opens_at=dt.datetime.combine(campaign.starts_on, dt.time(8, 0), tzinfo=tz),
        closes_at=dt.datetime.combine(campaign.ends_on, dt.time(22, 0), tzinfo=tz),
        time_limit_seconds=600,
        attempts_per_day=3,
        identity=Quiz.Identity.EITHER,
        points_per_question=5,
    )
    DrawRule.objects.bulk_create(
        [DrawRule(quiz=quiz, domain=domain, count=2) for domain in QuestionDomain.values]
        + [DrawRule(quiz=quiz, domain="", count=2)]
    )
    _past_attempts(quiz, random.Random(seed), now or timezone.now())
    transaction.on_commit(lambda: leaderboard.rebuild(quiz.pk))
    return quiz


def _past_attempts(quiz: Quiz, rng: random.Random, now: dt.datetime) -> None:
    """People who took the quiz on the days before today, for a leaderboard worth looking at."""
    first_day = timezone.localtime(quiz.opens_at).date()
    days = [
        d
        for d in (first_day + dt.timedelta(days=i) for i in range(30))
        if d < timezone.localdate(now)
    ]
    if not days:
        return
    tz = timezone.get_current_timezone()
    for n in range(80):
        mobile = "13" + "".join(rng.choice("0123456789") for _ in range(9))
        skill = rng.uniform(0.45, 0.95)
        for _attempt in range(rng.choice([1, 1, 1, 2, 3])):
            day = rng.choice(days)
            started = dt.datetime.combine(
                day, dt.time(rng.randint(8, 21), rng.randint(0, 59)), tzinfo=tz
            )
            too_fast = n == 7  # one implausible attempt for the office's review page
            duration = dt.timedelta(
                seconds=rng.randint(25, 35) if too_fast else rng.randint(150, 590)
            )
            _finished_attempt(
                quiz,
                rng,
                participant=f"m:{mobile}",
                name=mobile,
                mobile=mobile,
                day=day,
                started=started,
                duration=duration,
                skill=0.97 if too_fast else skill,
                flags=["too_fast"] if too_fast else [],
            )
            if too_fast:
                break


def _finished_attempt(
    quiz, rng, *, participant, name, mobile, day, started, duration, skill, flags
) -> None:
    finished = started + duration
    finished = finished.replace(microsecond=0)
    attempt = Attempt.objects.create(
        quiz=quiz,
        participant=participant,
        mobile=mobile,
        display_name=name,
        day=day,
        status=Attempt.Status.SUBMITTED,
        started_at=started,
        deadline=started + dt.timedelta(seconds=quiz.time_limit_seconds),
        finished_at=finished,
        duration_ms=int(duration.total_seconds() * 1000),
        flags=flags,
    )
    items, total, correct = [], 0, 0
    for position, (question, order) in enumerate(draw_paper(quiz), start=1):
        if rng.random() < skill:
            chosen = list(question.answer)
        else:
            wrong = [i for i in range(len(question.options)) if i not in question.answer] or [0]
            chosen = [rng.choice(wrong)]
        points, ok = score_answer(
            kind=question.kind,
            answer=question.answer,
            chosen=chosen,
            points=quiz.points_per_question,
            partial=quiz.partial_credit,
        )
        total += points
        correct += ok
        items.append(
            AttemptQuestion(
                attempt=attempt,
                question=question,
                position=position,
                option_order=order,
                chosen=sorted(chosen),
                answered_at=finished,
                is_correct=ok,
            )
        )
    AttemptQuestion.objects.bulk_create(items)
    attempt.score, attempt.correct_count = total, correct
    attempt.save(update_fields=["score", "correct_count"])
    leaderboard.record(attempt)
