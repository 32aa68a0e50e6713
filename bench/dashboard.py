"""The command dashboard at a province's scale, on PostgreSQL.

Creates a throw-away database (BENCH_PG, default postgres://postgres@127.0.0.1:5432/postgres),
migrates it and loads the Xiamen 2022 demo, then fills the demo campaign (September 2022) with
BENCH_COMPLAINTS complaints (1,000,000; `qualitymonth complaints synth` over the campaign's
days), BENCH_ATTEMPTS finished quiz attempts (1,000,000), BENCH_ACTIVITIES activities in all
(2,000) and BENCH_REGISTRATIONS registrations (100,000), all in bulk (no model signals), and
rebuilds the dashboard's facts once (`qualitymonth dashboard rebuild`, timed). Then, with one
gunicorn worker, one request at a time: the bare /healthz, the office dashboard's data (the
API the page and the large screen read, as the campaign office), the office dashboard page, the
public results page (cached, and once with the cache cleared), and the data again right after a
complaint changed (the stale day rebuilt before reading). Medians of BENCH_REPEAT requests
after a warm-up. Finally the Word report through the CLI. The last line is one JSON object.

BENCH_KEEP_DB=name keeps (or reuses) a database of that name, so the synthesis runs once.
"""

import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import (
    BIN,
    django_in_process,
    manage,
    median_get,
    pg_admin,
    pg_database_exists,
    server_env,
    signed_in_session,
    start_gunicorn,
)

PORT = int(os.environ.get("BENCH_PORT", "8771"))
COMPLAINTS = int(os.environ.get("BENCH_COMPLAINTS", "1000000"))
ATTEMPTS = int(os.environ.get("BENCH_ATTEMPTS", "1000000"))
ACTIVITIES = int(os.environ.get("BENCH_ACTIVITIES", "2000"))
REGISTRATIONS = int(os.environ.get("BENCH_REGISTRATIONS", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
KEEP = os.environ.get("BENCH_KEEP_DB", "")
BATCH = 10_000


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def fill_activities(campaign, rng: random.Random) -> list:
    from qualitymonth.campaigns.models import Activity

    have = list(campaign.activities.all())
    statuses = ["completed"] * 6 + ["published"] * 2 + ["cancelled", "submitted", "draft"]
    new = []
    for number in range(max(0, ACTIVITIES - len(have))):
        model = have[number % len(have)]
        starts = datetime.datetime.combine(
            campaign.starts_on + datetime.timedelta(days=rng.randrange(30)),
            datetime.time(9, 30),
            tzinfo=model.starts_at.tzinfo,
        )
        new.append(
            Activity(
                campaign=campaign,
                title=f"{model.title}（第{number + 2}场）"[:120],
                summary=model.summary,
                organiser_id=model.organiser_id,
                focus_area_id=model.focus_area_id,
                kind=model.kind,
                activity_type=model.activity_type,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=3),
                district_id=model.district_id,
                venue=model.venue,
                capacity=200,
                status=rng.choice(statuses),
                search_text=model.search_text,
            )
        )
    Activity.objects.bulk_create(new, batch_size=BATCH)
    through = Activity.domains.through
    domains = {a.pk: list(a.domains.values_list("pk", flat=True)) for a in have}
    links = []
    for number, activity in enumerate(new):
        for domain_id in domains[have[number % len(have)].pk]:
            links.append(through(activity_id=activity.pk, domain_id=domain_id))
    through.objects.bulk_create(links, batch_size=BATCH)
    return list(campaign.activities.exclude(status__in=["draft", "cancelled"]))


def fill_registrations(activities, rng: random.Random) -> None:
    from django.db import connection

    from qualitymonth.campaigns.models import Registration

    made = Registration.objects.filter(name="张三", mobile__startswith="19").count()
    while made < REGISTRATIONS:
        rows = []
        for _ in range(min(BATCH, REGISTRATIONS - made)):
            activity = rng.choice(activities)
            checked = rng.random() < 0.7 and activity.status == "completed"
            rows.append(
                Registration(
                    activity=activity,
                    name="张三",
                    mobile=f"19{made:09d}",
                    status="confirmed",
                    checked_in_at=activity.starts_at if checked else None,
                )
            )
            made += 1
        Registration.objects.bulk_create(rows, batch_size=BATCH)
        log(f"{made}/{REGISTRATIONS} registrations")
    # created_at is auto_now_add (it ignores a value given): move every registration to 2 to
    # 241 hours before its activity starts, in one statement.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE campaigns_registration r SET created_at = a.starts_at - "
            "((r.id % 240) + 2) * interval '1 hour' FROM campaigns_activity a "
            "WHERE a.id = r.activity_id"
        )


def fill_attempts(campaign, rng: random.Random) -> None:
    from qualitymonth.core.models import Region
    from qualitymonth.quiz.models import Attempt

    quiz = campaign.quizzes.first()
    districts = list(Region.objects.filter(parent=campaign.region).values_list("pk", flat=True))
    has_district = any(f.name == "district" for f in Attempt._meta.get_fields())
    top = quiz.max_score or 100
    made = Attempt.objects.filter(participant__startswith="b", display_name="答题者").count()
    started_run = time.monotonic()
    while made < ATTEMPTS:
        rows = []
        for _ in range(min(BATCH, ATTEMPTS - made)):
            day = campaign.starts_on + datetime.timedelta(days=rng.randrange(30))
            started = datetime.datetime.combine(
                day, datetime.time(rng.randrange(8, 22), rng.randrange(60)), tzinfo=datetime.UTC
            )
            duration = rng.randint(60_000, 600_000)
            attempt = Attempt(
                quiz=quiz,
                participant=f"b{made % (ATTEMPTS // 3 + 1)}",
                display_name="答题者",
                day=day,
                status="submitted",
                started_at=started,
                deadline=started + datetime.timedelta(minutes=15),
                finished_at=started + datetime.timedelta(milliseconds=duration),
                score=round(min(top, max(0, rng.gauss(top * 0.78, top * 0.12))), 1),
                duration_ms=duration,
            )
            if has_district and districts:
                attempt.district_id = rng.choice(districts)
            rows.append(attempt)
            made += 1
        Attempt.objects.bulk_create(rows, batch_size=BATCH)
        rate = made / max(time.monotonic() - started_run, 1e-6)
        log(f"{made}/{ATTEMPTS} attempts ({rate:,.0f}/s)")


def bench_campaign():
    """The demo campaign (BENCH_CAMPAIGN names another by its slug)."""
    from qualitymonth.campaigns.models import Campaign

    slug = os.environ.get("BENCH_CAMPAIGN")
    return Campaign.objects.get(slug=slug) if slug else Campaign.objects.order_by("-year").first()


def fill(env: dict) -> dict:
    """Everything above the demo, in bulk (what an earlier, interrupted run left is kept).
    Returns the timings."""
    django_in_process(env)
    campaign = bench_campaign()
    timings = {}
    rng = random.Random(2022)
    from qualitymonth.complaints.models import Complaint

    started = time.monotonic()
    missing = COMPLAINTS - Complaint.objects.count()
    if missing > 0:
        manage(
            env,
            "complaints",
            "synth",
            "--n",
            str(missing),
            "--start",
            campaign.starts_on.isoformat(),
            "--days",
            str((campaign.ends_on - campaign.starts_on).days + 1),
        )
    timings["complaints_s"] = round(time.monotonic() - started, 1)
    started = time.monotonic()
    activities = fill_activities(campaign, rng)
    fill_registrations(activities, rng)
    fill_attempts(campaign, rng)
    timings["others_s"] = round(time.monotonic() - started, 1)
    started = time.monotonic()
    manage(env, "dashboard", "rebuild", "--campaign", campaign.slug)
    timings["rebuild_s"] = round(time.monotonic() - started, 1)
    return timings


def main() -> int:
    db = KEEP or f"qm_bench_db_{os.getpid()}"
    fresh = not (KEEP and pg_database_exists(PG, db))
    if fresh:
        pg_admin(PG, f"CREATE DATABASE {db}")
    var = Path(tempfile.mkdtemp(prefix="qm-bench-dashboard-"))
    env = server_env(var, DATABASE_URL=PG.rsplit("/", 1)[0] + f"/{db}", REDIS_URL="")
    server = None
    timings: dict = {}
    try:
        if fresh:
            for args in (
                ["migrate", "--no-input", "-v", "0"],
                ["createcachetable"],  # no REDIS_URL: the cache is a table
                ["collectstatic", "--no-input", "-v", "0"],
                ["seed-demo", "--quiet-accounts"],
            ):
                manage(env, *args)
        else:
            manage(env, "collectstatic", "--no-input", "-v", "0")
        if fresh or os.environ.get("BENCH_FILL", "1") == "1":
            timings = fill(env)
            import psycopg

            with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        else:
            django_in_process(env)
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.db.models import Count

        from qualitymonth.complaints.models import Complaint
        from qualitymonth.quiz.models import Attempt

        campaign = bench_campaign()
        counts = {
            "complaints": Complaint.objects.count(),
            "attempts": Attempt.objects.count(),
            "registrations": campaign.activities.aggregate(n=Count("registrations"))["n"],
            "activities": campaign.activities.count(),
        }
        office = get_user_model().objects.get(username="office")
        cookie = f"{settings.SESSION_COOKIE_NAME}={signed_in_session(office)}"
        server = start_gunicorn(env, PORT, "1")
        pages = {
            "bare": "/healthz",
            "dashboard_data": f"/api/office/dashboard/{campaign.slug}",
            "dashboard_page": f"/office/dashboard/?campaign={campaign.slug}",
            "public": f"/campaigns/{campaign.slug}/results/",
        }
        results = {
            name: median_get(PORT, path, cookie, repeat=REPEAT) for name, path in pages.items()
        }
        # The public page with its cache cleared: what the first visitor after expiry waits.
        from django.core.cache import cache

        cold = []
        for _ in range(3):
            cache.clear()
            cold.append(median_get(PORT, pages["public"], "", repeat=1, warm_up=0)["ms"])
        results["public_cold"] = {"ms": sorted(cold)[1], "max_ms": max(cold), "status": 200}
        # A complaint of the campaign changes: its day is rebuilt before the next read.
        stale = []
        for _ in range(3):
            case = Complaint.objects.filter(received_at__date=campaign.starts_on).first()
            case.satisfaction = 5 if case.satisfaction != 5 else 4
            case.save(update_fields=["satisfaction"])
            stale.append(
                median_get(PORT, pages["dashboard_data"], cookie, repeat=1, warm_up=0)["ms"]
            )
        results["dashboard_after_change"] = {
            "ms": sorted(stale)[1],
            "max_ms": max(stale),
            "status": 200,
        }
        out = var / "report.docx"
        started = time.monotonic()
        subprocess.run(
            [
                str(BIN / "qualitymonth"),
                "report",
                "campaign",
                "--campaign",
                campaign.slug,
                "--out",
                str(out),
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        report_s = round(time.monotonic() - started, 1)
        report_kb = out.stat().st_size // 1024
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        from django.db import connections

        connections.close_all()
        if not KEEP:
            pg_admin(PG, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")

    bare = results["bare"]["ms"] or 0.1
    print(
        f"{counts['complaints']:,} complaints, {counts['attempts']:,} quiz attempts, "
        f"{counts['registrations']:,} registrations, {counts['activities']:,} activities on "
        f"PostgreSQL; one gunicorn worker; median of {REPEAT} requests"
    )
    if timings:
        print(
            f"fill: complaints {timings['complaints_s']} s, the rest {timings['others_s']} s; "
            f"facts rebuilt from the raw rows in {timings['rebuild_s']} s"
        )
    print(f"{'request':<24}{'median ms':>11}{'max ms':>9}{'status':>8}{'× bare':>9}")
    for name, r in results.items():
        print(f"{name:<24}{r['ms']:>11}{r['max_ms']:>9}{r['status']:>8}{r['ms'] / bare:>9.1f}")
    print(f"Word report: {report_s} s, {report_kb} KB")
    summary = {
        "complaints": counts["complaints"],
        "attempts": counts["attempts"],
        "registrations": counts["registrations"],
        "activities": counts["activities"],
        "bare_ms": results["bare"]["ms"],
        "dashboard_ms": results["dashboard_data"]["ms"],
        "dashboard_page_ms": results["dashboard_page"]["ms"],
        "dashboard_after_change_ms": results["dashboard_after_change"]["ms"],
        "public_ms": results["public"]["ms"],
        "public_cold_ms": results["public_cold"]["ms"],
        "report_s": report_s,
        "rebuild_s": timings.get("rebuild_s"),
        "all_ok": all(r["status"] == 200 for r in results.values()),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
