"""Vote storm: gunicorn on PostgreSQL + Redis, many signed-in voters voting at once.

In one run it measures a bare endpoint (/healthz) and then the contest's vote endpoint
(POST /api/contest-entries/{id}/vote, session cookie + CSRF token, like the site's own button).
One request in ten repeats a vote already accepted, which must be refused. Afterwards it checks that
the votes stored equal the votes accepted and that every entry's count equals its stored votes.
The last line is one JSON object.

Needs PostgreSQL and Redis (BENCH_PG, default postgres://postgres@127.0.0.1:5432/postgres, where
a throw-away database is created and dropped; BENCH_REDIS, default redis://127.0.0.1:6379/12).
"""

import json
import os
import random
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import (
    bracketed,
    django_in_process,
    hammer,
    manage,
    pg_admin,
    server_env,
    signed_in_session,
    start_gunicorn,
)

PORT = int(os.environ.get("BENCH_PORT", "8767"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
WORKERS = os.environ.get("BENCH_WORKERS", "3")
VOTERS = int(os.environ.get("BENCH_VOTERS", "3000"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/12")
CSRF = "benchcsrftoken0123456789abcdefgh"  # 32 characters: Django's unmasked secret format


def _pg_admin(sql: str) -> None:
    pg_admin(PG, sql)


def _prepare(env: dict) -> tuple[list[int], list[str]]:
    """Open the demo contest's voting for the run and sign in VOTERS accounts; returns the
    entry ids and one session key per voter."""
    django_in_process(env)
    from django.contrib.auth import get_user_model

    from qualitymonth.contest.models import Contest, Entry
    from qualitymonth.core.identity import remember_account

    contest = Contest.objects.get()
    contest.votes_per_day = 1000  # the storm measures throughput, not the daily cap
    contest.save(update_fields=["votes_per_day"])
    entries = list(
        Entry.objects.filter(contest=contest, status="approved").values_list("pk", flat=True)
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"voter{n:05d}", password="!") for n in range(VOTERS)]
    )
    keys = []
    for user in users:
        keys.append(signed_in_session(user))
        remember_account(user)  # what logging in does too
    return entries, keys


def _check() -> dict:
    from django.db.models import Sum

    from qualitymonth.contest.models import Entry, Vote
    from qualitymonth.contest.services import votes_flush

    votes_flush(wait=10.0)  # what the flush worker would write a moment later
    bench_votes = Vote.objects.filter(voided_at=None)
    counted = Entry.objects.aggregate(n=Sum("vote_count"))["n"] or 0
    return {"stored": bench_votes.count(), "counted": counted}


def main() -> int:
    db = f"qm_bench_vote_{os.getpid()}"
    _pg_admin(f"CREATE DATABASE {db}")
    var = Path(tempfile.mkdtemp(prefix="qm-bench-vote-"))
    env = server_env(
        var,
        DATABASE_URL=PG.rsplit("/", 1)[0] + f"/{db}",
        REDIS_URL=REDIS,
        CACHE_KEY_PREFIX=f"benchvote{os.getpid()}",
        VOTE_IP_LIMIT_FACTOR="100000",  # every simulated voter comes from 127.0.0.1
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
        entries, sessions = _prepare(env)
        before = _check()
        server = start_gunicorn(env, PORT, WORKERS)

        bare = hammer(PORT, lambda _c: ("GET", "/healthz", None), seconds=SECONDS, clients=CLIENTS)

        # Every (voter, entry) pair once, shuffled; one request in ten repeats an earlier pair.
        pairs = [(v, e) for v in range(len(sessions)) for e in entries]
        random.Random(7).shuffle(pairs)
        fresh = iter(pairs)
        lock = threading.Lock()
        acknowledged: list[tuple[int, int]] = []
        pending: dict[int, tuple[str, tuple[int, int]]] = {}
        outcomes: Counter = Counter()
        rng = random.Random(11)

        def next_vote(client: int):
            with lock:
                if acknowledged and rng.random() < 0.1:
                    pair = rng.choice(acknowledged)  # a vote already accepted, sent again
                    pending[client] = ("repeat", pair)
                else:
                    pair = next(fresh, None)
                    if pair is None:
                        return None
                    pending[client] = ("fresh", pair)
                voter, entry = pair
            headers = {
                "Cookie": f"sessionid={sessions[voter]}; csrftoken={CSRF}",
                "X-CSRFToken": CSRF,
                "Origin": "http://localhost",
                "Referer": "http://localhost/contest/",
            }
            return ("POST", f"/api/contest-entries/{entry}/vote", b"", headers)

        def on_vote(client: int, status: int, body: bytes):
            with lock:
                kind, pair = pending[client]
                if status == 200:
                    outcomes["accepted"] += 1
                    if kind == "fresh":
                        acknowledged.append(pair)
                    if kind == "repeat":
                        outcomes["repeat_accepted"] += 1
                elif status == 409 and b'"duplicate"' in body:
                    outcomes["duplicates_refused"] += 1
                    if kind == "fresh":
                        outcomes["fresh_refused"] += 1
                else:
                    outcomes[f"status_{status}"] += 1

        vote = hammer(PORT, next_vote, seconds=SECONDS, clients=CLIENTS, on_response=on_vote)
        bare_after = hammer(
            PORT, lambda _c: ("GET", "/healthz", None), seconds=SECONDS, clients=CLIENTS
        )
        after = _check()
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        from django.db import connections

        connections.close_all()
        _pg_admin(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")

    stored = after["stored"] - before["stored"]
    counted = after["counted"] - before["counted"]
    errors = bare["errors"] + bare_after["errors"]
    errors += sum(n for k, n in outcomes.items() if k.startswith("status_"))
    errors += outcomes["repeat_accepted"] + outcomes["fresh_refused"]
    bare_first, bare = bare, bracketed(bare, bare_after)
    base = bare["rps"] or 1
    print(
        f"gunicorn workers={WORKERS}, clients={CLIENTS}, {SECONDS:.0f}s per endpoint, "
        f"{len(sessions)} signed-in voters, {len(entries)} entries, PostgreSQL + Redis"
    )
    print(f"{'endpoint':<10}{'req/s':>9}{'requests':>10}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}")
    for name, r in (("bare", bare), ("vote", vote)):
        print(
            f"{name:<10}{r['rps']:>9}{r['requests']:>10}{r['p50_ms']:>9}{r['p99_ms']:>9}"
            f"{round(r['rps'] / base, 3):>8}"
        )
    print(
        f"votes accepted {outcomes['accepted']}, stored {stored}, counted on entries {counted}; "
        f"repeats refused {outcomes['duplicates_refused']}, repeats accepted "
        f"{outcomes['repeat_accepted']}; other answers "
        f"{ {k: n for k, n in outcomes.items() if k.startswith('status_')} }"
    )
    summary = {
        "bare_rps": bare["rps"],
        "vote_rps": vote["rps"],
        "vote_ratio": round(vote["rps"] / base, 3),
        "p99_ms": {"bare": bare["p99_ms"], "vote": vote["p99_ms"]},
        "errors": errors,
        "stored_votes": stored,
        "accepted_votes": outcomes["accepted"],
        "counted_votes": counted,
        "duplicates_refused": outcomes["duplicates_refused"],
    }
    summary["bare_rps_first_last"] = [bare_first["rps"], bare_after["rps"]]
    print(json.dumps(summary))
    return 0 if stored == outcomes["accepted"] == counted and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
