import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qualitymonth.core.models import AuditEvent
from qualitymonth.quiz import leaderboard
from qualitymonth.quiz.models import Attempt, Question
from qualitymonth.quiz.services import (
    Participant,
    attempt_answer,
    attempt_finish,
    attempt_start,
    attempts_close_overdue,
)
from qualitymonth.quiz.services.attempts import AttemptClosed, draw_paper, score_answer
from tests.quiz.conftest import answer_all

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "answer", "chosen", "partial", "expected", "correct"),
    [
        ("single", [1], [1], True, "5", True),
        ("single", [1], [2], True, "0", False),
        ("single", [1], None, True, "0", False),
        ("multiple", [0, 2, 3], [0, 2, 3], True, "5", True),
        ("multiple", [0, 2, 3], [0, 2], True, "3.3", False),
        ("multiple", [0, 2, 3], [0], True, "1.7", False),
        ("multiple", [0, 2, 3], [0, 1], True, "0", False),
        ("multiple", [0, 2, 3], [0, 2], False, "0", False),
        ("truefalse", [0], [0], False, "5", True),
    ],
)
def test_scoring(kind, answer, chosen, partial, expected, correct):
    assert score_answer(kind=kind, answer=answer, chosen=chosen, points=5, partial=partial) == (
        Decimal(expected),
        correct,
    )


def test_paper_follows_the_rules_and_shuffles_options(quiz):
    paper = draw_paper(quiz)
    domains = [q.domain for q, _order in paper]
    assert len(paper) == 6 and domains.count("metrology") >= 3 and domains.count("consumer") >= 2
    assert len({q.pk for q, _o in paper}) == 6
    for question, order in paper:
        assert sorted(order) == list(range(len(question.options)))
        if question.kind == "truefalse":
            assert order == [0, 1]
    orders = {
        tuple(order) for _ in range(30) for q, order in draw_paper(quiz) if q.kind == "single"
    }
    assert len(orders) > 1


def test_a_bank_too_small_is_a_clear_error(quiz):
    quiz.rules.update(count=50)
    with pytest.raises(ValidationError, match="too few"):
        draw_paper(quiz)


def test_full_attempt_scores_and_ranks(quiz, person):
    attempt = attempt_start(quiz=quiz, participant=person)
    assert (
        attempt_start(quiz=quiz, participant=person).pk == attempt.pk
    )  # resume, not a second attempt
    answer_all(attempt)
    attempt = attempt_finish(attempt=attempt)
    assert (
        attempt.status == Attempt.Status.SUBMITTED
        and attempt.score == Decimal(30)
        and attempt.correct_count == 6
    )
    assert leaderboard.rank_of(quiz, person.key).rank == 1
    assert (
        AuditEvent.objects.filter(event_type="quiz.submitted", object_id=str(attempt.pk)).count()
        == 1
    )


def test_double_submit_counts_once(quiz, person):
    attempt = attempt_start(quiz=quiz, participant=person)
    answer_all(attempt)
    first = attempt_finish(attempt=attempt)
    second = attempt_finish(attempt=attempt)
    assert first.finished_at == second.finished_at and first.score == second.score
    assert AuditEvent.objects.filter(event_type="quiz.submitted").count() == 1
    with pytest.raises(AttemptClosed):
        item = attempt.items.first()
        attempt_answer(attempt_token=attempt.token, question_id=item.question_id, choices=[0])


def test_answers_outside_the_paper_and_bad_choices_are_refused(quiz, person):
    attempt = attempt_start(quiz=quiz, participant=person)
    outside = Question.objects.exclude(pk__in=attempt.items.values("question_id")).first()
    with pytest.raises(ValidationError) as caught:
        attempt_answer(attempt_token=attempt.token, question_id=outside.pk, choices=[0])
    assert caught.value.code == "not_in_paper"
    item = attempt.items.select_related("question").exclude(question__kind="multiple").first()
    for bad in ([], [9], [0, 1], [True], ["0"]):
        with pytest.raises(ValidationError):
            attempt_answer(attempt_token=attempt.token, question_id=item.question_id, choices=bad)
    with pytest.raises(ValidationError) as caught:
        attempt_answer(attempt_token="nope", question_id=item.question_id, choices=[0])
    assert caught.value.code == "no_attempt"


def test_the_server_deadline_decides(quiz, person, monkeypatch):
    from qualitymonth.quiz.services import attempts

    attempt = attempt_start(quiz=quiz, participant=person)
    items = list(attempt.items.select_related("question").exclude(question__kind="multiple"))
    first = items[0]
    attempt_answer(
        attempt_token=attempt.token,
        question_id=first.question_id,
        choices=[first.option_order.index(first.question.answer[0])],
    )
    # The server's clock moves past the deadline; the next answer is refused and the attempt is
    # closed with what was saved in time.
    later = attempt.deadline + dt.timedelta(seconds=1)
    monkeypatch.setattr(attempts, "_now", lambda: later)
    with pytest.raises(AttemptClosed) as caught:
        attempt_answer(attempt_token=attempt.token, question_id=items[1].question_id, choices=[0])
    assert caught.value.code == "time_up"
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED and attempt.score == Decimal(5)
    assert attempt.finished_at == attempt.deadline


def test_overdue_attempts_are_closed_by_the_periodic_command(quiz, person):
    attempt = attempt_start(quiz=quiz, participant=person)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    assert attempts_close_overdue(quiz=quiz) == 1
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED


def test_daily_limit(quiz, person):
    quiz.attempts_per_day = 2
    quiz.save()
    for _ in range(2):
        attempt_finish(attempt=attempt_start(quiz=quiz, participant=person))
    with pytest.raises(ValidationError) as caught:
        attempt_start(quiz=quiz, participant=person)
    assert caught.value.code == "daily_limit"


def test_quiz_window(quiz, person):
    quiz.opens_at = timezone.now() + dt.timedelta(hours=1)
    quiz.closes_at = timezone.now() + dt.timedelta(hours=2)
    quiz.save()
    with pytest.raises(ValidationError, match="not opened"):
        attempt_start(quiz=quiz, participant=person)


def test_best_attempt_counts_and_ties_break_on_time_then_finish(quiz):
    people = [Participant(key=f"u:{n}", name=f"选手{n}") for n in range(4)]
    results = {}
    for p in people:
        attempt = attempt_start(quiz=quiz, participant=p)
        answer_all(attempt, correct=p.key != "u:3")
        results[p.key] = attempt_finish(attempt=attempt)
    # Same score for 0..2: order by time used, then finishing time.
    Attempt.objects.filter(pk=results["u:0"].pk).update(duration_ms=90_000)
    Attempt.objects.filter(pk=results["u:1"].pk).update(duration_ms=60_000)
    Attempt.objects.filter(pk=results["u:2"].pk).update(duration_ms=60_000)
    from qualitymonth.quiz.models import LeaderboardEntry

    LeaderboardEntry.objects.filter(participant="u:0").update(duration_ms=90_000)
    LeaderboardEntry.objects.filter(participant="u:1").update(duration_ms=60_000)
    LeaderboardEntry.objects.filter(participant="u:2").update(duration_ms=60_000)
    leaderboard.rebuild(quiz.pk)
    assert [r.participant for r in leaderboard.top(quiz)] == ["u:1", "u:2", "u:0", "u:3"]
    assert leaderboard.rank_of(quiz, "u:0").rank == 3


def test_exclusion_removes_from_the_board_with_an_audit_row(quiz, office_user):
    from qualitymonth.quiz.services import attempt_set_excluded

    cheat = Participant(key="u:cheat", name="作弊者")
    attempt = attempt_start(quiz=quiz, participant=cheat)
    answer_all(attempt)
    attempt = attempt_finish(attempt=attempt)
    with pytest.raises(ValidationError):
        attempt_set_excluded(acting_user=office_user, attempt=attempt, excluded=True, reason="")
    attempt_set_excluded(acting_user=office_user, attempt=attempt, excluded=True, reason="答题过快")
    assert leaderboard.rank_of(quiz, "u:cheat") is None and leaderboard.top(quiz) == []
    assert AuditEvent.objects.filter(event_type="quiz.exclude", detail__reason="答题过快").exists()
    attempt_set_excluded(acting_user=office_user, attempt=attempt, excluded=False)
    assert leaderboard.rank_of(quiz, "u:cheat").rank == 1


def test_unit_staff_cannot_exclude(quiz, staff_user):
    from qualitymonth.core.permissions import PermissionDenied
    from qualitymonth.quiz.services import attempt_set_excluded

    attempt = attempt_finish(
        attempt=attempt_start(quiz=quiz, participant=Participant(key="u:x", name="x"))
    )
    with pytest.raises(PermissionDenied):
        attempt_set_excluded(acting_user=staff_user, attempt=attempt, excluded=True, reason="x")


def test_too_fast_attempts_are_flagged(quiz, person):
    attempt = attempt_start(quiz=quiz, participant=person)
    answer_all(attempt)
    attempt = attempt_finish(attempt=attempt)
    assert "too_fast" in attempt.flags  # six answers within a second
