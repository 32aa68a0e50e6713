"""Quiz burst benchmark: gunicorn on PostgreSQL + Redis, many simulated participants.

In one run it measures a bare endpoint (/healthz) and then the quiz's hot endpoints through the
JSON API: answer save, submit, leaderboard read (top 100 + my rank). It checks that every answer
acknowledged to a client is stored. The last line is one JSON object.

Needs PostgreSQL and Redis (BENCH_PG, default postgres://postgres@127.0.0.1:5432/postgres, where
a throw-away database is created and dropped; BENCH_REDIS, default redis://127.0.0.1:6379/13).
"""

import itertools
import json
import os
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import (
    bracketed,
    django_in_process,
    hammer,
    manage,
    pg_admin,
    server_env,
    start_gunicorn,
)

PORT = int(os.environ.get("BENCH_PORT", "8766"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
WORKERS = os.environ.get("BENCH_WORKERS", "3")
PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "6000"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")


def _pg_admin(sql: str) -> None:
    pg_admin(PG, sql)


def _prepare(env: dict) -> tuple[str, list[tuple[str, list[tuple[int, int]]]]]:
    """Start one attempt per simulated participant, in-process, and return the quiz slug and, per
    attempt, its token and (question id, a valid display choice) pairs."""
    django_in_process(env)
    from qualitymonth.quiz.models import Quiz
    from qualitymonth.quiz.services import Participant, attempt_start

    quiz = Quiz.objects.get(slug="quiz-2022-xiamen")
    quiz.attempts_per_day = 100
    quiz.save(update_fields=["attempts_per_day"])
    attempts = []
    for n in range(PARTICIPANTS):
        attempt = attempt_start(
            quiz=quiz, participant=Participant(key=f"b:{n}", name=f"1390000{n:04d}")
        )
        items = [(item.question_id, 0) for item in attempt.items.all()]
        attempts.append((attempt.token, items))
    return quiz.slug, attempts


def _stored(acknowledged: set[tuple[str, int]]) -> int:
    from qualitymonth.quiz import burst
    from qualitymonth.quiz.models import AttemptQuestion

    burst.flush(wait=10.0)  # answers still queued in Redis (submits flush them too)
    stored = set(
        AttemptQuestion.objects.filter(chosen__isnull=False).values_list(
            "attempt__token", "question_id"
        )
    )
    return len(acknowledged - stored)


def main() -> int:
    db = f"qm_bench_{os.getpid()}"
    _pg_admin(f"CREATE DATABASE {db}")
    var = Path(tempfile.mkdtemp(prefix="qm-bench-quiz-"))
    env = server_env(
        var,
        DATABASE_URL=PG.rsplit("/", 1)[0] + f"/{db}",
        REDIS_URL=REDIS,
        CACHE_KEY_PREFIX=f"bench{os.getpid()}",
        QUIZ_IP_LIMIT_FACTOR="1000",
    )
    server = None
    try:
        import redis

        redis.Redis.from_url(REDIS).flushdb()
        for args in (
            ["migrate", "--no-input", "-v", "0"],
            ["collectstatic", "--no-input", "-v", "0"],
            ["seed-demo", "--quiet-accounts"],
        ):
            manage(env, *args)
        slug, attempts = _prepare(env)
        server = start_gunicorn(env, PORT, WORKERS)

        bare = hammer(PORT, lambda _c: ("GET", "/healthz", None), seconds=SECONDS, clients=CLIENTS)

        slots = iter([(token, qid, choice) for token, items in attempts for qid, choice in items])
        slot_lock = threading.Lock()
        pending: dict[int, tuple[str, int]] = {}
        acknowledged: set[tuple[str, int]] = set()

        def next_answer(client: int):
            with slot_lock:
                slot = next(slots, None)
            if slot is None:
                return None
            token, qid, choice = slot
            pending[client] = (token, qid)
            return (
                "POST",
                f"/api/quiz/attempts/{token}/answers",
                json.dumps({"question_id": qid, "choices": [choice]}).encode(),
            )

        def on_answer(client: int, status: int, _body: bytes):
            if status == 200:
                with slot_lock:
                    acknowledged.add(pending[client])

        answer = hammer(PORT, next_answer, seconds=SECONDS, clients=CLIENTS, on_response=on_answer)

        tokens = iter([token for token, _items in attempts])
        token_lock = threading.Lock()

        def next_submit(_client: int):
            with token_lock:
                token = next(tokens, None)
            return None if token is None else ("POST", f"/api/quiz/attempts/{token}/submit", b"")

        submit = hammer(PORT, next_submit, seconds=SECONDS, clients=CLIENTS)

        readers = itertools.cycle([token for token, _items in attempts])
        board = hammer(
            PORT,
            lambda _c: ("GET", f"/api/quiz/{slug}/leaderboard?attempt={next(readers)}", None),
            seconds=SECONDS,
            clients=CLIENTS,
        )
        bare_after = hammer(
            PORT, lambda _c: ("GET", "/healthz", None), seconds=SECONDS, clients=CLIENTS
        )
        lost = _stored(acknowledged)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        from django.db import connections

        connections.close_all()
        _pg_admin(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")

    bare_first, bare = bare, bracketed(bare, bare_after)
    base = bare["rps"] or 1
    rows = {"bare": bare, "answer": answer, "submit": submit, "leaderboard": board}
    print(
        f"gunicorn workers={WORKERS}, clients={CLIENTS}, {SECONDS:.0f}s per endpoint, "
        f"{PARTICIPANTS} participants, PostgreSQL + Redis"
    )
    print(
        f"{'endpoint':<13}{'req/s':>9}{'requests':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}"
    )
    for name, r in rows.items():
        print(
            f"{name:<13}{r['rps']:>9}{r['requests']:>10}{r['p50_ms']:>9}{r['p99_ms']:>9}{r['errors']:>8}"
            f"{round(r['rps'] / base, 3):>8}"
        )
    print(f"answers acknowledged {len(acknowledged)}, lost {lost}")
    summary = {
        "bare_rps": bare["rps"],
        "answer_rps": answer["rps"],
        "submit_rps": submit["rps"],
        "leaderboard_rps": board["rps"],
        "answer_ratio": round(answer["rps"] / base, 3),
        "submit_ratio": round(submit["rps"] / base, 3),
        "leaderboard_ratio": round(board["rps"] / base, 3),
        "p99_ms": {name: r["p99_ms"] for name, r in rows.items()},
        "errors": sum(r["errors"] for r in rows.values()),
        "lost_answers": lost,
        "answers_acknowledged": len(acknowledged),
        "submits": submit["requests"],
    }
    summary["bare_rps_first_last"] = [bare_first["rps"], bare_after["rps"]]
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
