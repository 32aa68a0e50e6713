"""Complaints at scale: a million synthetic cases on PostgreSQL, then the back-office pages.

Creates a throw-away database (BENCH_PG, default postgres://postgres@127.0.0.1:5432/postgres),
migrates it, loads the demo, synthesises BENCH_CASES cases (default 1,000,000) with
`qualitymonth complaints synth`, serves it with one gunicorn worker and times, one request at a
time as the campaign office (who sees every case): the case list, a filtered list, the due-soon
list, the hotspots page, and the bare /healthz endpoint for comparison. Each figure is the
median of BENCH_REPEAT requests after a warm-up. The last line is one JSON object.

BENCH_KEEP_DB=name keeps (or reuses) a database of that name, so the synthesis runs once.
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import (
    django_in_process,
    manage,
    median_get,
    pg_admin,
    pg_database_exists,
    server_env,
    signed_in_session,
    start_gunicorn,
)

PORT = int(os.environ.get("BENCH_PORT", "8767"))
CASES = int(os.environ.get("BENCH_CASES", "1000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
KEEP = os.environ.get("BENCH_KEEP_DB", "")

PAGES = {
    "bare": "/healthz",
    "list": "/office/complaints/",
    "filter": "/office/complaints/?status=open&nature=quality&district=350206",
    "due_soon": "/office/complaints/?due=soon",
    "hotspots": "/office/complaints/hotspots/",
}


def _pg_admin(sql: str) -> None:
    pg_admin(PG, sql)


def _session_cookie(env: dict) -> str:
    """A logged-in session for the demo's campaign office, made in-process."""
    django_in_process(env)
    from django.conf import settings
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="office")
    return f"{settings.SESSION_COOKIE_NAME}={signed_in_session(user)}"


def main() -> int:
    db = KEEP or f"qm_bench_cx_{os.getpid()}"
    fresh = not (KEEP and pg_database_exists(PG, db))
    if fresh:
        _pg_admin(f"CREATE DATABASE {db}")
    var = Path(tempfile.mkdtemp(prefix="qm-bench-complaints-"))
    env = server_env(var, DATABASE_URL=PG.rsplit("/", 1)[0] + f"/{db}", REDIS_URL="")
    server = None
    try:
        synth_s = None
        if fresh:
            for args in (
                ["migrate", "--no-input", "-v", "0"],
                ["createcachetable"],  # no REDIS_URL: the cache is a table
                ["collectstatic", "--no-input", "-v", "0"],
                ["seed-demo", "--quiet-accounts"],
            ):
                manage(env, *args)
            started = time.monotonic()
            manage(env, "complaints", "synth", "--n", str(CASES))
            synth_s = round(time.monotonic() - started, 1)
            import psycopg

            with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        else:
            manage(env, "collectstatic", "--no-input", "-v", "0")
        cookie = _session_cookie(env)
        from qualitymonth.complaints.models import Complaint

        cases = Complaint.objects.count()
        server = start_gunicorn(env, PORT, "1")
        results = {
            name: median_get(PORT, path, cookie, repeat=REPEAT) for name, path in PAGES.items()
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        from django.db import connections

        connections.close_all()
        if not KEEP:
            _pg_admin(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")

    bare = results["bare"]["ms"] or 0.1
    print(f"{cases:,} cases on PostgreSQL; one gunicorn worker; median of {REPEAT} requests")
    if synth_s is not None:
        print(f"synthesis: {synth_s} s ({cases / synth_s:,.0f} cases/s)")
    print(f"{'page':<10}{'median ms':>11}{'max ms':>9}{'status':>8}{'× bare':>9}")
    for name, r in results.items():
        print(f"{name:<10}{r['ms']:>11}{r['max_ms']:>9}{r['status']:>8}{r['ms'] / bare:>9.1f}")
    summary = {
        "cases": cases,
        "bare_ms": results["bare"]["ms"],
        "list_ms": results["list"]["ms"],
        "filter_ms": results["filter"]["ms"],
        "due_soon_ms": results["due_soon"]["ms"],
        "hotspots_ms": results["hotspots"]["ms"],
        "synth_s": synth_s,
        "all_ok": all(r["status"] == 200 for r in results.values()),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
