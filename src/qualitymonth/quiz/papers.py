"""What the answer endpoint needs to know about a paper, kept in the cache for its lifetime.

A paper never changes once drawn (questions, option orders, deadline), so caching it is safe;
whether the attempt is still open is always checked by the database write itself.
"""

import datetime as dt
import json
from dataclasses import dataclass

from django.core.cache import cache

from qualitymonth.core import redis as fast_redis
from qualitymonth.quiz.models import Attempt, AttemptQuestion

EXTRA_SECONDS = 3600


@dataclass(frozen=True)
class Paper:
    attempt_id: int
    participant: str
    deadline: dt.datetime
    items: dict[int, tuple[str, list[int]]]  # question id -> (kind, option order)


def _key(token: str) -> str:
    return f"quiz:paper:{token}"


WHO_SECONDS = 14 * 86400


def who_key(token: str) -> str:
    return fast_redis.key(f"quiz:who:{token}")


def cache_key(token: str) -> str:
    """The paper's full Redis key (for scripts that read it inside Redis)."""
    return fast_redis.key(_key(token))


def _encode(attempt: Attempt, items) -> str:
    return json.dumps(
        {
            "a": attempt.pk,
            "p": attempt.participant,
            "d": attempt.deadline.isoformat(),
            # For the scripts in Redis (quiz/burst.py): deadline and start in ms, who, which quiz.
            "dm": int(attempt.deadline.timestamp() * 1000),
            "s": int(attempt.started_at.timestamp() * 1000),
            "q": attempt.quiz_id,
            "dy": attempt.day.isoformat(),
            "n": attempt.masked_name,
            "u": attempt.user_id,
            "r": f"{attempt.quiz} · {attempt.display_name}",
            # The scoring rule as it stood when the attempt started.
            "pp": attempt.quiz.points_per_question,
            "pc": attempt.quiz.partial_credit,
            "mx": attempt.quiz.max_score,
            "i": [[qid, kind, order] for qid, kind, order in items],
        }
    )


def _decode(raw: str) -> Paper:
    data = json.loads(raw)
    return Paper(
        data["a"],
        data["p"],
        dt.datetime.fromisoformat(data["d"]),
        {qid: (kind, order) for qid, kind, order in data["i"]},
    )


def remember(attempt: Attempt, items) -> None:
    ttl = int((attempt.deadline - attempt.started_at).total_seconds()) + EXTRA_SECONDS
    client = fast_redis.client()
    if client is not None:
        pipe = client.pipeline(transaction=False)
        pipe.set(fast_redis.key(_key(attempt.token)), _encode(attempt, items), ex=ttl)
        # Whose attempt it is, for "my rank" reads long after the paper itself has expired.
        pipe.set(who_key(attempt.token), attempt.participant, ex=WHO_SECONDS)
        pipe.execute()
    else:
        cache.set(_key(attempt.token), _encode(attempt, items), ttl)


def recall(token: str) -> Paper | None:
    client = fast_redis.client()
    raw = client.get(fast_redis.key(_key(token))) if client is not None else cache.get(_key(token))
    return _decode(raw) if raw else None


def load(token: str) -> Paper | None:
    """From the database (a cache miss: evicted, or Redis restarted), and cache it again."""
    attempt = Attempt.objects.filter(token=token).select_related("quiz").first()
    if attempt is None:
        return None
    items = [
        (item.question_id, item.question.kind, item.option_order)
        for item in AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("question")
        .only("question_id", "option_order", "question__kind")
    ]
    remember(attempt, items)
    return _decode(_encode(attempt, items))
