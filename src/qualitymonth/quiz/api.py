"""JSON endpoints of the quiz (mounted by qualitymonth.api).

The attempt token is the bearer credential for answering and submitting: it is unguessable,
belongs to one attempt, and saves a session lookup on the hottest endpoint of the campaign.
"""

import datetime as dt
import json
import time

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from qualitymonth.api.errors import errors
from qualitymonth.core import ratelimit
from qualitymonth.core import redis as fast_redis
from qualitymonth.core.schemas import InputSchema, Line
from qualitymonth.quiz import burst, identity, leaderboard, selectors, services
from qualitymonth.quiz.models import Attempt, Quiz
from qualitymonth.quiz.views.public import limit_hit, limit_rules

router = Router(tags=["quiz"])


class OptionOut(Schema):
    index: int
    text: str


class PaperQuestionOut(Schema):
    question_id: int
    position: int
    kind: str
    stem: str
    options: list[OptionOut]
    chosen: list[int]


class AttemptOut(Schema):
    token: str
    status: str
    started_at: dt.datetime
    deadline: dt.datetime
    remaining_seconds: int
    questions: list[PaperQuestionOut]


class AnswerIn(InputSchema):
    question_id: int
    choices: list[int] = Field(..., max_length=8)


class AnswerOut(Schema):
    saved: bool
    remaining_seconds: int


class RankOut(Schema):
    rank: int
    name: str
    score: float
    duration_ms: int


class ReviewOut(Schema):
    question_id: int
    stem: str
    options: list[str]
    chosen: list[int]
    correct: list[int]
    points: float
    explanation: str


class QuizResultOut(Schema):
    token: str
    status: str
    score: float
    max_score: int
    correct_count: int
    duration_ms: int
    rank: RankOut | None
    day_rank: RankOut | None
    certificate_url: str
    review: list[ReviewOut]


class LeaderboardOut(Schema):
    day: dt.date | None
    top: list[RankOut]
    me: RankOut | None


def _remaining(attempt: Attempt) -> int:
    return max(int((attempt.deadline - timezone.now()).total_seconds()), 0)


def _attempt_out(attempt: Attempt) -> dict:
    questions = []
    for item in selectors.paper(attempt):
        chosen = set(item.chosen or [])
        questions.append(
            {
                "question_id": item.question_id,
                "position": item.position,
                "kind": item.question.kind,
                "stem": item.question.stem,
                "options": [
                    {"index": i, "text": text} for i, text, _c in selectors.display_options(item)
                ],
                "chosen": [
                    shown for shown, original in enumerate(item.option_order) if original in chosen
                ],
            }
        )
    return {
        "token": attempt.token,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "remaining_seconds": _remaining(attempt),
        "questions": questions,
    }


def _rank_out(row) -> dict | None:
    if row is None:
        return None
    return {
        "rank": row.rank,
        "name": row.name,
        "score": float(row.score),
        "duration_ms": row.duration_ms,
    }


@router.post(
    "/quiz/{slug}/attempts",
    response={201: AttemptOut, 200: AttemptOut, **errors(400, 409, 429)},
    summary="Start (or resume) an attempt",
)
def start(
    request,
    slug: str,
    district: int | None = Query(None, description="Optional: one of the campaign's districts"),
):
    quiz = get_object_or_404(Quiz, slug=slug, is_published=True)
    participant = identity.current_participant(request, quiz)
    if participant is None:
        raise ValidationError(
            "Log in or verify a mobile number first / 请先登录或验证手机号",
            code="identity_required",
        )
    if limit_hit(request, "start", participant.key):
        raise ValidationError("Too many starts; wait a minute / 操作过于频繁", code="rate_limited")
    attempt = services.attempt_start(
        quiz=quiz,
        participant=participant,
        ip=ratelimit.client_ip(request),
        district_id=district,
    )
    fresh = attempt.started_at > timezone.now() - dt.timedelta(seconds=2) and not any(
        i.chosen for i in selectors.paper(attempt)
    )
    return Status(201 if fresh else 200, _attempt_out(attempt))


@router.get(
    "/quiz/attempts/{token}", response=AttemptOut, summary="The paper and the answers saved so far"
)
def get_attempt(request, token: str):
    burst.settle()
    attempt = get_object_or_404(Attempt, token=token)
    if attempt.status == Attempt.Status.OPEN and attempt.deadline <= timezone.now():
        attempt = services.attempt_finish(attempt=attempt)
    return _attempt_out(attempt)


@router.post(
    "/quiz/attempts/{token}/answers",
    response={200: AnswerOut, **errors(400, 409, 429)},
    summary="Save one answer",
)
def answer(request, token: str, payload: AnswerIn):
    saved = services.attempt_answer(
        attempt_token=token,
        question_id=payload.question_id,
        choices=payload.choices,
        limits=limit_rules(request, "answer", token),
    )
    return {
        "saved": True,
        "remaining_seconds": max(int((saved.deadline - timezone.now()).total_seconds()), 0),
    }


def _result(attempt: Attempt, *, with_review: bool) -> dict:
    quiz = attempt.quiz
    review = []
    for row in selectors.review(attempt) if with_review else []:
        item = row["item"]
        review.append(
            {
                "question_id": item.question_id,
                "stem": item.question.stem,
                "options": [o["text"] for o in row["options"]],
                "chosen": [i for i, o in enumerate(row["options"]) if o["chosen"]],
                "correct": [i for i, o in enumerate(row["options"]) if o["correct"]],
                "points": float(item.points),
                "explanation": item.question.explanation,
            }
        )
    return {
        "token": attempt.token,
        "status": attempt.status,
        "score": float(attempt.score),
        "max_score": quiz.max_score,
        "correct_count": attempt.correct_count,
        "duration_ms": attempt.duration_ms or 0,
        "rank": _rank_out(leaderboard.rank_of(quiz, attempt.participant)),
        "day_rank": _rank_out(leaderboard.rank_of(quiz, attempt.participant, day=attempt.day)),
        "certificate_url": f"/quiz/attempts/{attempt.token}/certificate.pdf",
        "review": review,
    }


@router.post(
    "/quiz/attempts/{token}/submit",
    response={200: QuizResultOut, **errors(400, 409, 429)},
    summary="Submit; a repeated submit changes nothing (the review is at /result)",
)
def submit(request, token: str):
    quick = services.attempt_submit_quick(token=token, limits=limit_rules(request, "submit", token))
    if quick is not None:
        # The burst endpoint answers with its dict directly (QuizResultOut above documents it).
        return JsonResponse(
            {
                "token": quick.token,
                "status": quick.status,
                "score": float(quick.score),
                "max_score": quick.max_score,
                "correct_count": quick.correct_count,
                "duration_ms": quick.duration_ms,
                "rank": _rank_out(quick.rank),
                "day_rank": _rank_out(quick.day_rank),
                "certificate_url": f"/quiz/attempts/{token}/certificate.pdf",
                "review": [],
            }
        )
    attempt = get_object_or_404(Attempt.objects.select_related("quiz"), token=token)
    if fast_redis.client() is None and limit_hit(request, "submit", token):
        raise ValidationError("Too many submits / 操作过于频繁", code="rate_limited")
    return _result(services.attempt_finish(attempt=attempt), with_review=False)


@router.get(
    "/quiz/attempts/{token}/result",
    response={200: QuizResultOut, **errors(409)},
    summary="Score, rank and review of a finished attempt",
)
def result(request, token: str):
    burst.settle()
    attempt = get_object_or_404(Attempt.objects.select_related("quiz"), token=token)
    if attempt.status == Attempt.Status.OPEN:
        if attempt.deadline > timezone.now():
            raise ValidationError(
                "The attempt is still in progress / 答题尚未结束", code="in_progress"
            )
        attempt = services.attempt_finish(attempt=attempt)
    return _result(attempt, with_review=True)


_TOP_CACHE: dict = {}
_QUIZ_IDS: dict = {}


def reset_local_caches() -> None:
    _TOP_CACHE.clear()
    _QUIZ_IDS.clear()


TOP_CACHE_SECONDS = 1.0


def _cached_top(quiz_id: int, day: dt.date | None) -> bytes:
    # Everyone refreshes the board at the same moments: each process rebuilds the top 100 at most
    # once a second, already serialised, so a burst of readers costs one Redis read per process
    # per second plus each reader's own rank.
    key = (quiz_id, day)
    hit = _TOP_CACHE.get(key)
    now = time.monotonic()
    if hit and hit[0] > now:
        return hit[1]
    rows = [_rank_out(row) for row in leaderboard.top(Quiz(pk=quiz_id), day=day, limit=100)]
    body = json.dumps(rows, ensure_ascii=False).encode()
    _TOP_CACHE[key] = (now + TOP_CACHE_SECONDS, body)
    return body


def _quiz_id(slug: str) -> int | None:
    hit = _QUIZ_IDS.get(slug)
    now = time.monotonic()
    if hit and hit[0] > now:
        return hit[1]
    quiz_id = Quiz.objects.filter(slug=slug, is_published=True).values_list("pk", flat=True).first()
    _QUIZ_IDS[slug] = (now + 60, quiz_id)
    return quiz_id


@router.get(
    "/quiz/{slug}/leaderboard",
    response=LeaderboardOut,
    summary="Top 100, overall or one day, and my rank",
)
def get_leaderboard(request, slug: str, day: dt.date | None = None, attempt: Line = ""):
    quiz_id = _quiz_id(slug)
    if quiz_id is None:
        raise Http404
    me = None
    if attempt:
        quiz = Quiz(pk=quiz_id)
        found, row = leaderboard.rank_by_token(quiz, attempt, day=day)
        if not found:
            participant = (
                Attempt.objects.filter(token=attempt, quiz_id=quiz_id)
                .values_list("participant", flat=True)
                .first()
            )
            row = leaderboard.rank_of(quiz, participant, day=day) if participant else None
        me = _rank_out(row)
    # Assembled by hand around the cached top 100: same shape as LeaderboardOut (see the schema).
    body = b'{"day": %s, "top": %s, "me": %s}' % (
        json.dumps(day.isoformat() if day else None).encode(),
        _cached_top(quiz_id, day),
        json.dumps(me).encode(),
    )
    return HttpResponse(body, content_type="application/json")
