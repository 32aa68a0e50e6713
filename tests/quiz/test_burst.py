"""The quiz's Redis-fronted paths (answers queued, submit in one statement) give exactly what the
database paths give. These run where CI runs them: PostgreSQL + Redis."""

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from qualitymonth.core.models import AuditEvent
from qualitymonth.quiz import leaderboard
from qualitymonth.quiz.models import Attempt, AttemptQuestion, LeaderboardEntry
from qualitymonth.quiz.services import (
    Participant,
    attempt_answer,
    attempt_finish,
    attempt_start,
    attempt_submit_quick,
)
from tests.quiz.conftest import answer_all

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _needs_redis_and_postgresql(db):
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("the quick paths run with Redis on PostgreSQL; CI runs them there")


def _two(quiz):
    a = attempt_start(quiz=quiz, participant=Participant(key="m:13900000001", name="13900000001"))
    b = attempt_start(quiz=quiz, participant=Participant(key="m:13900000002", name="13900000002"))
    return a, b


def _state(attempt):
    from qualitymonth.quiz import burst

    burst.settle()  # what the next flush would write a moment later
    attempt.refresh_from_db()
    return {
        "status": attempt.status,
        "score": attempt.score,
        "correct": attempt.correct_count,
        "right_items": sorted(
            AttemptQuestion.objects.filter(attempt=attempt, is_correct=True).values_list(
                "question_id", flat=True
            )
        ),
        "answered": AttemptQuestion.objects.filter(attempt=attempt, chosen__isnull=False).count(),
        "boards": LeaderboardEntry.objects.filter(attempt=attempt).count(),
        "audit": AuditEvent.objects.filter(
            event_type="quiz.submitted", object_id=str(attempt.pk)
        ).count(),
    }


def test_the_quick_submit_records_what_the_database_path_records(quiz, monkeypatch):
    quick, slow = _two(quiz)
    for attempt in (quick, slow):
        answer_all(attempt)
    result = attempt_submit_quick(token=quick.token)
    attempt_finish(attempt=slow)
    got, expected = _state(quick), _state(slow)
    # Every answer was right: each paper's questions are all marked correct.
    assert got.pop("right_items") == sorted(quick.items.values_list("question_id", flat=True))
    assert expected.pop("right_items") == sorted(slow.items.values_list("question_id", flat=True))
    assert got == expected == {**expected, "boards": 2, "audit": 1}
    assert result.score == quick.score and result.rank is not None
    assert got["status"] == Attempt.Status.SUBMITTED
    # The Redis mirror the quick path wrote ranks exactly as the database rows do.
    mirrored = [(r.rank, r.participant, r.score, r.duration_ms) for r in leaderboard.top(quiz)]
    monkeypatch.setattr(leaderboard, "redis_client", lambda: None)
    stored = [(r.rank, r.participant, r.score, r.duration_ms) for r in leaderboard.top(quiz)]
    assert mirrored == stored and len(stored) == 2


def test_a_double_submit_counts_once(quiz, person):
    attempt = attempt_start(quiz=quiz, participant=person)
    answer_all(attempt)
    outcomes = []

    def submit():
        try:
            outcomes.append(attempt_submit_quick(token=attempt.token))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(1 for o in outcomes if o is not None) == 1  # the others defer to the record
    assert _state(attempt)["audit"] == 1
    assert LeaderboardEntry.objects.filter(participant=person.key).count() == 2


def test_no_answer_is_taken_after_the_quick_submit(quiz, person):
    attempt = attempt_start(quiz=quiz, participant=person)
    item = attempt.items.first()
    attempt_submit_quick(token=attempt.token)
    with pytest.raises(ValidationError) as caught:
        attempt_answer(attempt_token=attempt.token, question_id=item.question_id, choices=[0])
    assert caught.value.code == "finished"


def test_answers_reach_the_database_before_anyone_reads_them(quiz, person):
    from qualitymonth.quiz import selectors

    attempt = attempt_start(quiz=quiz, participant=person)
    answer_all(attempt)
    # Queued in Redis until a flush; reading the paper flushes first.
    assert all(item.chosen for item in selectors.paper(attempt))
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.OPEN


def test_a_quick_submission_is_in_the_database_before_anyone_reads_it(quiz, person):
    from qualitymonth.quiz import burst

    attempt = attempt_start(quiz=quiz, participant=person)
    answer_all(attempt)
    attempt_submit_quick(token=attempt.token)
    # A new start (it asks the database whether one is open) sees the submission.
    again = attempt_start(quiz=quiz, participant=person)
    assert again.pk != attempt.pk
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.SUBMITTED
    assert burst.flush(wait=0) == 0  # nothing left queued


@pytest.mark.parametrize("partial", [True, False])
def test_the_script_scores_like_the_python_rule(quiz, partial):
    """Random answers, partial picks on multiple choice included: the score the submit script
    computes in Redis is the one services.attempts.score_answer gives for every item."""
    import random

    from qualitymonth.quiz import burst
    from qualitymonth.quiz.services.attempts import score_answer

    quiz.partial_credit = partial
    quiz.save()
    rng = random.Random(7 if partial else 8)
    for n in range(4):
        attempt = attempt_start(
            quiz=quiz, participant=Participant(key=f"m:1370000000{n}", name=f"1370000000{n}")
        )
        for item in attempt.items.select_related("question"):
            shown = list(range(len(item.option_order)))
            if item.question.kind == "multiple":
                picked = rng.sample(shown, rng.randint(1, len(shown)))
            elif rng.random() < 0.2:
                continue  # left unanswered
            else:
                picked = [rng.choice(shown)]
            attempt_answer(
                attempt_token=attempt.token, question_id=item.question_id, choices=picked
            )
        result = attempt_submit_quick(token=attempt.token)
        burst.settle()
        attempt.refresh_from_db()
        expected, right = 0, set()
        for item in attempt.items.select_related("question"):
            points, correct = score_answer(
                kind=item.question.kind,
                answer=item.question.answer,
                chosen=item.chosen,
                points=quiz.points_per_question,
                partial=partial,
            )
            expected += points
            if correct:
                right.add(item.question_id)
        assert result.score == attempt.score == expected
        assert result.correct_count == attempt.correct_count == len(right)
        assert right == set(
            attempt.items.filter(is_correct=True).values_list("question_id", flat=True)
        )
