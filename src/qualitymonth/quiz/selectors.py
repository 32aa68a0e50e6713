"""Reads for the quiz pages, the office and the API."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qualitymonth.quiz.models import Attempt, AttemptQuestion, Question, Quiz


def current_quiz() -> Quiz | None:
    now = timezone.now()
    qs = Quiz.objects.filter(is_published=True).select_related("campaign")
    return qs.filter(opens_at__lte=now, closes_at__gt=now).first() or qs.first()


def paper(attempt: Attempt) -> list[AttemptQuestion]:
    from qualitymonth.quiz import burst

    burst.settle()  # answers and submissions still queued in Redis are part of the record
    return list(
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("question")
        .order_by("position")
    )


def display_options(item: AttemptQuestion) -> list[tuple[int, str, bool]]:
    """(display index, text, chosen) in the order this participant sees them; no answer inside."""
    chosen = set(item.chosen or [])
    return [
        (shown, item.question.options[original], original in chosen)
        for shown, original in enumerate(item.option_order)
    ]


def review(attempt: Attempt) -> list[dict]:
    """After submission only: each question with the chosen and the correct options."""
    from qualitymonth.quiz.services.attempts import score_answer

    quiz = attempt.quiz
    rows = []
    for item in paper(attempt):
        in_time = item.answered_at is not None and item.answered_at <= attempt.deadline
        item.points, _correct = score_answer(
            kind=item.question.kind,
            answer=item.question.answer,
            chosen=item.chosen if in_time else None,
            points=quiz.points_per_question,
            partial=quiz.partial_credit,
        )
        chosen, right = set(item.chosen or []), set(item.question.answer)
        rows.append(
            {
                "item": item,
                "options": [
                    {"text": item.question.options[o], "chosen": o in chosen, "correct": o in right}
                    for o in item.option_order
                ],
            }
        )
    return rows


def question_list(*, filters: dict) -> QuerySet[Question]:
    qs = Question.objects.all()
    for name in ("domain", "kind"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("difficulty") in {"1", "2", "3", 1, 2, 3}:
        qs = qs.filter(difficulty=int(filters["difficulty"]))
    if filters.get("active") in {"1", "0"}:
        qs = qs.filter(is_active=filters["active"] == "1")
    for term in (filters.get("q") or "").split():
        qs = qs.filter(
            Q(stem__contains=term) | Q(explanation__contains=term) | Q(source__contains=term)
        )
    return qs.order_by("domain", "difficulty", "id")


def question_stats(quiz: Quiz) -> QuerySet[Question]:
    """Per question: how often it was drawn and answered correctly in finished, counted attempts."""
    from qualitymonth.quiz import burst

    burst.settle()
    counted = Q(
        attempt_items__attempt__quiz=quiz,
        attempt_items__attempt__status__in=Attempt.FINISHED,
        attempt_items__attempt__excluded=False,
    )
    return (
        Question.objects.annotate(
            drawn=Count("attempt_items", filter=counted),
            correct=Count("attempt_items", filter=counted & Q(attempt_items__is_correct=True)),
        )
        .filter(drawn__gt=0)
        .order_by("domain", "id")
    )


def flagged_attempts(quiz: Quiz) -> QuerySet[Attempt]:
    from qualitymonth.quiz import burst

    burst.settle()
    return (
        Attempt.objects.filter(quiz=quiz, status__in=Attempt.FINISHED)
        .exclude(flags=[])
        .order_by("-finished_at")
    )
