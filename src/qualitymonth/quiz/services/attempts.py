"""Taking the quiz: start, answer, submit, expire; and the office's exclusion of an attempt.

The clock is the server's: an attempt's deadline is fixed when it starts, answers saved after it
are refused, and an attempt found past its deadline is closed with what was saved in time.
"""

import datetime as dt
import ipaddress
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from qualitymonth.core import ratelimit
from qualitymonth.core import redis as fast_redis
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Region
from qualitymonth.core.permissions import Action, policy
from qualitymonth.quiz import burst, leaderboard, papers
from qualitymonth.quiz.models import Attempt, AttemptQuestion, Question, Quiz

_random = random.SystemRandom()
TOO_FAST_SECONDS_PER_ANSWER = 2
DEVICE_ATTEMPTS_PER_DAY = 6
IP_ATTEMPTS_PER_HOUR = 200


@dataclass(frozen=True)
class Participant:
    """Who takes the quiz: an account ("u:<id>") or a verified mobile number ("m:<number>")."""

    key: str
    name: str
    user: object = None
    mobile: str = ""


def _now() -> dt.datetime:
    # Millisecond precision: the leaderboard breaks ties on finishing time in milliseconds,
    # the same in the database and in Redis.
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


# --- the paper ------------------------------------------------------------------------------
def _pool(quiz: Quiz, domain: str, difficulty: int | None) -> list[int]:
    key = f"quiz:pool:{quiz.pk}:{domain or '*'}:{difficulty or '*'}"
    ids = cache.get(key)
    if ids is None:
        qs = Question.objects.filter(is_active=True)
        if domain:
            qs = qs.filter(domain=domain)
        if difficulty:
            qs = qs.filter(difficulty=difficulty)
        ids = list(qs.values_list("id", flat=True))
        # Thousands start at once: the bank changes rarely, so the draw pools are cached briefly.
        cache.set(key, ids, 60)
    return ids


def draw_paper(quiz: Quiz) -> list[tuple[Question, list[int]]]:
    """Questions by the quiz's rules, in random order, each with a shuffled option order."""
    chosen: list[int] = []
    for rule in quiz.rules.all():
        pool = [qid for qid in _pool(quiz, rule.domain, rule.difficulty) if qid not in chosen]
        if len(pool) < rule.count:
            raise ValidationError(
                _("The question bank has too few questions for the rule “%(rule)s”.")
                % {"rule": rule},
                code="bank_too_small",
            )
        chosen.extend(_random.sample(pool, rule.count))
    if not chosen:
        raise ValidationError(_("This quiz has no draw rules yet."), code="no_rules")
    _random.shuffle(chosen)
    questions = Question.objects.in_bulk(chosen)
    paper = []
    for qid in chosen:
        question = questions[qid]
        order = list(range(len(question.options)))
        if question.kind != Question.Kind.TRUE_FALSE:  # 正确/错误 stay in their natural order
            _random.shuffle(order)
        paper.append((question, order))
    return paper


# --- scoring --------------------------------------------------------------------------------
def score_answer(
    *, kind: str, answer: list[int], chosen: list[int] | None, points: int, partial: bool
) -> tuple[Decimal, bool]:
    """Points for one answer. Multiple choice with partial credit: a share of the points for each
    correct option chosen, nothing if any wrong option is chosen."""
    if not chosen:
        return Decimal(0), False
    right, picked = set(answer), set(chosen)
    if picked == right:
        return Decimal(points), True
    if kind == Question.Kind.MULTIPLE and partial and picked < right:
        share = Decimal(points) * len(picked) / len(right)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), False
    return Decimal(0), False


# --- start ----------------------------------------------------------------------------------
def quiz_state(quiz: Quiz, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if not quiz.is_published:
        return "closed"
    if now < quiz.opens_at:
        return "not_yet"
    return "open" if now < quiz.closes_at else "closed"


def attempts_today(quiz: Quiz, participant: str, day: dt.date) -> int:
    return Attempt.objects.filter(quiz=quiz, participant=participant, day=day).count()


def attempt_start(
    *,
    quiz: Quiz,
    participant: Participant,
    ip: str | None = None,
    device: str = "",
    district_id: int | None = None,
) -> Attempt:
    """Start an attempt, or return the one already in progress. district_id: optional, one of
    the quiz campaign's city districts (quiz_districts)."""
    ip = _storable_address(ip)
    district = _start_district(quiz, district_id)
    burst.settle()  # a submission still queued in Redis decides whether one is in progress
    state = quiz_state(quiz)
    if state != "open":
        raise ValidationError(
            _("The quiz has not opened yet.") if state == "not_yet" else _("The quiz is closed."),
            code=f"quiz_{state}",
        )
    open_attempt = Attempt.objects.filter(
        quiz=quiz, participant=participant.key, status=Attempt.Status.OPEN
    ).first()
    if open_attempt is not None:
        if open_attempt.deadline > timezone.now():
            return open_attempt
        attempt_finish(attempt=open_attempt)
    try:
        return _create_attempt(
            quiz=quiz, participant=participant, ip=ip, device=device, district=district
        )
    except IntegrityError:
        # A second start raced this one: the unique "one open attempt" index let only one through.
        existing = Attempt.objects.filter(
            quiz=quiz, participant=participant.key, status=Attempt.Status.OPEN
        ).first()
        if existing is None:
            raise
        return existing


def _storable_address(ip: str | None) -> str | None:
    """The address as the column takes it: a connection without one (a Unix socket, a test
    client) is named "unknown" by core.ratelimit, which PostgreSQL's inet type refuses."""
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None


def quiz_districts(quiz: Quiz):
    """The districts a participant may say they are from: the campaign region's children."""
    return Region.objects.filter(parent_id=quiz.campaign.region_id).order_by("code")


def _start_district(quiz: Quiz, district_id):
    if district_id in (None, ""):
        return None
    try:
        return quiz_districts(quiz).get(pk=int(district_id))
    except (TypeError, ValueError, OverflowError, Region.DoesNotExist):
        message = _("Choose one of the districts listed, or none.")
        raise ValidationError({"district": ValidationError(message, code="bad_district")}) from None


@transaction.atomic
def _create_attempt(
    *, quiz: Quiz, participant: Participant, ip, device: str, district=None
) -> Attempt:
    now = _now()
    day = timezone.localdate(now)
    used = attempts_today(quiz, participant.key, day)
    if used >= quiz.attempts_per_day:
        raise ValidationError(
            _("You have used all %(n)s attempts for today. Come back tomorrow.")
            % {"n": quiz.attempts_per_day},
            code="daily_limit",
        )
    paper = draw_paper(quiz)
    attempt = Attempt(
        quiz=quiz,
        participant=participant.key,
        user=participant.user if participant.user else None,
        mobile=participant.mobile,
        display_name=participant.name[:40],
        day=day,
        district=district,
        started_at=now,
        deadline=min(now + dt.timedelta(seconds=quiz.time_limit_seconds), quiz.closes_at),
        ip=ip or None,
        device=device[:40],
        flags=_start_flags(quiz, ip, device, day),
    )
    attempt.save()
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(attempt=attempt, question=question, position=index, option_order=order)
        for index, (question, order) in enumerate(paper, start=1)
    )
    papers.remember(attempt, [(q.pk, q.kind, order) for q, order in paper])
    audit_record(
        actor=participant.user,
        actor_label=attempt.masked_name,
        event_type="quiz.start",
        target=attempt,
        quiz=quiz.slug,
        attempt_of_day=used + 1,
    )
    return attempt


def _start_flags(quiz: Quiz, ip, device: str, day: dt.date) -> list[str]:
    flags = []
    if device:
        people = (
            Attempt.objects.filter(quiz=quiz, device=device, day=day)
            .values("participant")
            .distinct()
            .count()
        )
        if people >= DEVICE_ATTEMPTS_PER_DAY:
            flags.append("device_many_people")
    if ip:
        recent = Attempt.objects.filter(
            quiz=quiz, ip=ip, started_at__gte=timezone.now() - dt.timedelta(hours=1)
        ).count()
        if recent >= IP_ATTEMPTS_PER_HOUR:
            flags.append("ip_burst")
    return flags


# --- answer ---------------------------------------------------------------------------------
class AttemptClosed(ValidationError):
    pass


@dataclass(frozen=True)
class SavedAnswer:
    attempt_id: int
    deadline: dt.datetime
    chosen: list[int]


def attempt_answer(
    *, attempt_token: str, question_id: int, choices: list[int], limits=()
) -> SavedAnswer:
    """Save one answer (display positions as shown) on the server, replacing an earlier one.

    The hot path of a city-wide burst. With Redis the whole decision is one script
    (quiz/burst.py) and the answer reaches the database in the next batch; without it the paper
    comes from the cache and the write is one UPDATE that re-checks, in the database, that the
    attempt is still open and in time. Either way an answer racing the submit or the deadline is
    never counted after it. limits, (key, limit, window), are counted in the same round trip.
    """
    if not isinstance(choices, list) or not choices or len(set(choices)) != len(choices):
        raise ValidationError(_("Choose at least one option."), code="no_choice")
    if any(not isinstance(c, int) or isinstance(c, bool) or c < 0 for c in choices):
        raise ValidationError(_("That option does not exist."), code="bad_choice")
    if fast_redis.client() is not None:
        return _answer_in_redis(attempt_token, question_id, choices, list(limits))
    if limits and not ratelimit.allow_all(list(limits)):
        raise ValidationError(_("Too many answers too quickly."), code="rate_limited")
    now = _now()
    paper = papers.recall(attempt_token) or papers.load(attempt_token)
    if paper is None:
        raise ValidationError(_("No such attempt."), code="no_attempt")
    entry = paper.items.get(question_id)
    if entry is None:
        raise ValidationError(_("That question is not in your paper."), code="not_in_paper")
    kind, order = entry
    if any(c >= len(order) for c in choices):
        raise ValidationError(_("That option does not exist."), code="bad_choice")
    if kind != Question.Kind.MULTIPLE and len(choices) != 1:
        raise ValidationError(_("Choose exactly one option."), code="one_choice")
    original = sorted(order[c] for c in choices)
    if now <= paper.deadline and _save_answer(paper.attempt_id, question_id, original, now):
        return SavedAnswer(paper.attempt_id, paper.deadline, original)
    _refuse_closed(Attempt.objects.get(pk=paper.attempt_id), now)


def _refuse_closed(attempt: Attempt, now) -> None:
    if attempt.status == Attempt.Status.OPEN and now > attempt.deadline:
        attempt_finish(attempt=attempt)
        raise AttemptClosed(
            _("Time is up: answers after the time limit are not counted."), code="time_up"
        )
    raise AttemptClosed(
        _("This attempt is already finished; answers can no longer change."), code="finished"
    )


_REFUSALS = {
    -3: ("rate_limited", _lazy("Too many answers too quickly.")),
    -6: ("not_in_paper", _lazy("That question is not in your paper.")),
    -8: ("bad_choice", _lazy("That option does not exist.")),
    -9: ("one_choice", _lazy("Choose exactly one option.")),
}


def _answer_in_redis(token: str, question_id: int, choices, limits) -> SavedAnswer:
    now = _now()
    for _attempt in range(2):
        result = burst.answer(
            token=token,
            paper_key=papers.cache_key(token),
            question_id=question_id,
            choices=choices,
            now_ms=int(now.timestamp() * 1000),
            limits=limits,
        )
        code = int(result[0])
        if code != -1:
            break
        # The paper is not in Redis (evicted, restarted): load it from the database and retry,
        # without counting this request against the limits twice.
        if papers.load(token) is None:
            raise ValidationError(_("No such attempt."), code="no_attempt")
        limits = []
    if code == 0:
        if int(result[2]):
            burst.flush(wait=0)
        deadline = dt.datetime.fromtimestamp(int(result[1]) / 1000, tz=dt.UTC)
        return SavedAnswer(None, deadline, None)
    if code in _REFUSALS:
        error_code, message = _REFUSALS[code]
        raise ValidationError(str(message), code=error_code)
    if code == -1:
        raise ValidationError(_("No such attempt."), code="no_attempt")
    attempt = Attempt.objects.get(token=token)
    _refuse_closed(attempt, now)


_CHOSEN_FIELD = AttemptQuestion._meta.get_field("chosen")


def _save_answer(attempt_id: int, question_id: int, chosen: list[int], now: dt.datetime) -> bool:
    """One statement: write the answer only if the attempt is still open and in time. Written by
    hand because this is the busiest write of the campaign and the ORM's join-and-subquery form
    of the same condition costs more to build than the database takes to run it."""
    item, attempt = AttemptQuestion._meta.db_table, Attempt._meta.db_table
    sql = (
        f'UPDATE "{item}" SET "chosen" = %s, "answered_at" = %s '
        f'WHERE "attempt_id" = %s AND "question_id" = %s AND EXISTS ('
        f'SELECT 1 FROM "{attempt}" WHERE "id" = %s AND "status" = %s AND "deadline" >= %s)'
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                _CHOSEN_FIELD.get_db_prep_value(chosen, connection),
                _CHOSEN_FIELD_DT.get_db_prep_value(now, connection),
                attempt_id,
                question_id,
                attempt_id,
                Attempt.Status.OPEN,
                _CHOSEN_FIELD_DT.get_db_prep_value(now, connection),
            ],
        )
        return cursor.rowcount == 1


_CHOSEN_FIELD_DT = AttemptQuestion._meta.get_field("answered_at")


# --- submit and expiry ------------------------------------------------------------------------
def attempt_finish(*, attempt: Attempt, acting_user=None) -> Attempt:
    """Submit (or, past the deadline, close) an attempt; a second call changes nothing."""
    # With Redis: refuse further answers, then write every answer accepted so far, so the
    # score below is taken from a complete paper.
    burst.close(attempt.token)
    burst.settle()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if attempt.is_finished:
            return attempt
        quiz = attempt.quiz
        now = _now()
        late = now > attempt.deadline
        attempt.finished_at = attempt.deadline if late else now
        attempt.status = Attempt.Status.EXPIRED if late else Attempt.Status.SUBMITTED
        attempt.duration_ms = max(
            int((attempt.finished_at - attempt.started_at).total_seconds() * 1000), 0
        )
        items = (
            AttemptQuestion.objects.filter(attempt=attempt)
            .select_related("question")
            .only("id", "chosen", "answered_at", "question__kind", "question__answer")
        )
        total, correct, answered, correct_ids = Decimal(0), 0, 0, []
        for item in items:
            in_time = item.answered_at is not None and item.answered_at <= attempt.deadline
            chosen = item.chosen if in_time else None
            answered += bool(chosen)
            points, is_correct = score_answer(
                kind=item.question.kind,
                answer=item.question.answer,
                chosen=chosen,
                points=quiz.points_per_question,
                partial=quiz.partial_credit,
            )
            total += points
            if is_correct:
                correct += 1
                correct_ids.append(item.pk)
        # is_correct feeds the per-question statistics; points are recomputed for the review.
        if correct_ids:
            AttemptQuestion.objects.filter(pk__in=correct_ids).update(is_correct=True)
        attempt.score, attempt.correct_count = total, correct
        if answered >= 5 and attempt.duration_ms < TOO_FAST_SECONDS_PER_ANSWER * 1000 * answered:
            attempt.flags = [*attempt.flags, "too_fast"]
        attempt.save(
            update_fields=[
                "finished_at",
                "status",
                "duration_ms",
                "score",
                "correct_count",
                "flags",
            ]
        )
        changed = leaderboard.record(attempt)
        audit_record(
            actor=acting_user or attempt.user,
            actor_label=attempt.masked_name,
            event_type=f"quiz.{attempt.status}",
            target=attempt,
            score=str(total),
            duration_ms=attempt.duration_ms,
            flags=attempt.flags,
        )
        transaction.on_commit(lambda: leaderboard.mirror_entries(changed))
    return attempt


def attempts_close_overdue(*, quiz: Quiz | None = None, now: dt.datetime | None = None) -> int:
    """Close every attempt left open past its deadline (run by a scheduler; also lazily)."""
    burst.settle()
    qs = Attempt.objects.filter(status=Attempt.Status.OPEN, deadline__lt=now or timezone.now())
    if quiz is not None:
        qs = qs.filter(quiz=quiz)
    closed = 0
    for attempt in qs.iterator():
        attempt_finish(attempt=attempt)
        closed += 1
    return closed


def attempt_set_excluded(
    *, acting_user, attempt: Attempt, excluded: bool, reason: str = ""
) -> Attempt:
    policy.require(acting_user, Action.CAMPAIGN_MANAGE, attempt.quiz.campaign)
    burst.settle()
    reason = (reason or "").strip()
    if excluded and not reason:
        raise ValidationError(_("Say why the attempt is excluded."), code="reason_required")
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        attempt.excluded, attempt.excluded_reason = excluded, reason if excluded else ""
        attempt.save(update_fields=["excluded", "excluded_reason"])
        days = set(
            Attempt.objects.filter(
                quiz_id=attempt.quiz_id, participant=attempt.participant
            ).values_list("day", flat=True)
        )
        results = leaderboard.recompute(attempt.quiz_id, attempt.participant, days)
        audit_record(
            actor=acting_user,
            event_type="quiz.exclude" if excluded else "quiz.include",
            target=attempt,
            reason=reason,
            score=str(attempt.score),
        )
        transaction.on_commit(
            lambda: leaderboard.mirror_recomputed(attempt.quiz_id, attempt.participant, results)
        )
    return attempt


# --- submit with Redis in front ---------------------------------------------------------------
@dataclass(frozen=True)
class QuickResult:
    token: str
    status: str
    score: Decimal
    max_score: int
    correct_count: int
    duration_ms: int
    rank: "leaderboard.Row | None"
    day_rank: "leaderboard.Row | None"


def attempt_submit_quick(*, token: str, limits=()) -> QuickResult | None:
    """Submit through Redis: one script closes the attempt, scores it, updates the leaderboard
    mirror, reads the ranks and queues the submission for the database (written within a
    second, and before anything reads it: burst.settle). None when this path cannot decide (no
    Redis, not PostgreSQL, paper not cached, attempt already closed): attempt_finish decides.
    Raises rate_limited like the other paths."""
    client = fast_redis.client()
    if client is None or connection.vendor != "postgresql":
        return None
    limits = list(limits)
    for _attempt in range(3):
        result = burst.submit(
            token=token,
            paper_key=papers.cache_key(token),
            now_ms=int(_now().timestamp() * 1000),
            limits=limits,
            too_fast_seconds=TOO_FAST_SECONDS_PER_ANSWER,
        )
        code = int(result[0])
        if code == -7:  # answer keys not in Redis yet: put them there, then try again
            burst.remember_answer_keys(client, [int(q) for q in result[1:]])
        elif code == -2:  # the mirror was lost: rebuild it from the database, then try again
            leaderboard.rebuild(int(result[1]))
        else:
            break
        limits = []  # counted once
    if code == -3:
        raise ValidationError(_("Too many submits."), code="rate_limited")
    if code != 0:
        return None
    (_code, status, tenths, correct, duration, rank, info, day_rank, day_info, max_score, due,
     participant) = result  # fmt: skip
    if int(due):
        burst.flush(wait=0)
    return QuickResult(
        token=token,
        status=status,
        score=Decimal(int(tenths)) / 10,
        max_score=int(max_score),
        correct_count=int(correct),
        duration_ms=int(duration),
        rank=leaderboard.row_from(participant, rank, info),
        day_rank=leaderboard.row_from(participant, day_rank, day_info),
    )
