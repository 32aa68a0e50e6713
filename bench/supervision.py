"""Supervision at a province's scale: 200,000 subjects and 1,000,000 inspection records on
PostgreSQL, then a "双随机" draw of 1,000 subjects with two inspectors each and the office's
inspection and hazard lists.

Creates a throw-away database (BENCH_PG, default postgres://postgres@127.0.0.1:5432/postgres),
migrates it, loads the demo, adds a bench unit with BENCH_INSPECTORS inspectors (default 60, every
district, every kind), COPYs BENCH_SUBJECTS synthetic subjects (default 200,000: elevators,
canteens and enterprises spread over the city's districts, names with 示例, registration codes
starting BENCHDT, licence numbers JYBENCH) and BENCH_INSPECTIONS inspections (default 1,000,000;
numbers B<year>-…, a prefix the platform never issues) over the last two years, one in ten with a
hazard whose deadline falls around today. Then it times, in the same process, the draw of a task
of BENCH_DRAW elevators (default 1,000) with two inspectors each — BENCH_DRAWS tasks (default 3),
median — and serves the database with one gunicorn worker to time, as the campaign office, the
inspections list, the hazards list and the bare /healthz for the ratio (median of BENCH_REPEAT
requests, default 15, after two warm-up requests). The last line is one JSON object.

BENCH_KEEP_DB=name keeps (or reuses) a database of that name, so the data is loaded once.
"""

import datetime as dt
import json
import os
import random
import statistics
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

PORT = int(os.environ.get("BENCH_PORT", "8769"))
SUBJECTS = int(os.environ.get("BENCH_SUBJECTS", "200000"))
INSPECTIONS = int(os.environ.get("BENCH_INSPECTIONS", "1000000"))
INSPECTORS = int(os.environ.get("BENCH_INSPECTORS", "60"))
DRAW = int(os.environ.get("BENCH_DRAW", "1000"))
DRAWS = int(os.environ.get("BENCH_DRAWS", "3"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
KEEP = os.environ.get("BENCH_KEEP_DB", "")
SEED = 2026
UNIT_CODE = "bench-amr"


def _copy(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _office():
    from qualitymonth.core.models import Membership

    membership = (
        Membership.objects.filter(user__username="office", role=Membership.Role.CAMPAIGN_OFFICE)
        .select_related("unit__region", "user")
        .first()
    )
    return membership.user, membership.unit.region


def _districts(city):
    from qualitymonth.core.models import Region

    return list(Region.objects.filter(parent=city, level=Region.Level.DISTRICT).order_by("code"))


# --- the data -----------------------------------------------------------------------------------
def load_unit_and_inspectors(city) -> None:
    from django.contrib.auth import get_user_model

    from qualitymonth.core.models import Membership, Unit
    from qualitymonth.supervision.models import Inspector, SubjectKind

    unit, _ = Unit.objects.get_or_create(
        code=UNIT_CODE,
        defaults={
            "region": city,
            "name": "示例市场监督管理局（基准测试）",
            "short_name": "示例监管局",
            "kind": Unit.Kind.MARKET_SUPERVISION,
        },
    )
    districts = _districts(city)
    User = get_user_model()
    for i in range(INSPECTORS):
        user, _ = User.objects.get_or_create(username=f"bench-insp-{i}")
        Membership.objects.get_or_create(user=user, unit=unit, role=Membership.Role.INSPECTOR)
        inspector, _ = Inspector.objects.get_or_create(
            user=user,
            defaults={
                "unit": unit,
                "name": f"示例检查员{i}",
                "certificate_number": f"BENCH-{i:04d}",
                "kinds": list(SubjectKind.values),
            },
        )
        inspector.districts.set(districts)


def load_subjects(city, n: int) -> None:
    from django.utils import timezone

    from qualitymonth.supervision.models import Canteen, Elevator, Subject

    rng = random.Random(SEED)
    districts = _districts(city)
    now = timezone.now()
    kinds = ["elevator"] * 6 + ["canteen"] * 2 + ["enterprise"] * 2
    columns = [
        "region_id", "district_id", "kind", "name", "address", "risk_grade", "is_active",
        "created_at", "updated_at",
    ]  # fmt: skip
    plan = [(rng.choice(kinds), rng.choice(districts)) for _ in range(n)]

    def rows():
        for i, (kind, district) in enumerate(plan):
            label = {
                "elevator": "示例大厦电梯",
                "canteen": "示例学校食堂",
                "enterprise": "示例企业",
            }
            yield (
                city.pk, district.pk, kind, f"{label[kind]}{i}", f"{district.name}示例路{i % 997}号",
                rng.choice("ABCD"), True, now, now,
            )  # fmt: skip

    _copy(Subject._meta.db_table, columns, rows())
    bench = Subject.objects.filter(name__startswith="示例", region=city)
    # Read before each COPY: the connection is busy while one runs.
    elevators = list(bench.filter(kind="elevator").values_list("pk", flat=True).order_by("pk"))
    _copy(
        Elevator._meta.db_table,
        [
            "subject_id",
            "registration_code",
            "building",
            "user_unit",
            "maintenance_company",
            "last_maintained_on",
            "certificate_number",
            "certificate_expires_on",
        ],
        (
            (
                pk,
                f"BENCHDT{pk:013d}",
                "示例大厦",
                "示例物业",
                "示例维保公司",
                now.date() - dt.timedelta(days=pk % 30),
                "",
                None,
            )
            for pk in elevators
        ),
    )
    canteens = list(bench.filter(kind="canteen").values_list("pk", flat=True).order_by("pk"))
    _copy(
        Canteen._meta.db_table,
        ["subject_id", "school", "school_kind", "canteen", "licence_number"],
        (
            (
                pk,
                "示例学校",
                ("kindergarten", "primary", "secondary")[pk % 3],
                "食堂",
                f"JYBENCH{pk:07d}"[:16],
            )
            for pk in canteens
        ),
    )


def load_inspections(city, n: int) -> None:
    from django.utils import timezone

    from qualitymonth.core.models import Unit
    from qualitymonth.supervision.models import Hazard, Inspection, Subject
    from qualitymonth.supervision.services.checklists import checklist_current

    rng = random.Random(SEED + 1)
    unit = Unit.objects.get(code=UNIT_CODE)
    checklists = {
        "canteen": checklist_current(city, "canteen").pk,
        "elevator": checklist_current(city, "elevator").pk,
        "enterprise": checklist_current(city, "sampling").pk,
    }
    subjects = list(
        Subject.objects.filter(name__startswith="示例", region=city).values_list("pk", "kind")
    )
    starter = Unit.objects.get(code=UNIT_CODE).inspectors.values_list("user_id", flat=True)[0]
    now = timezone.now()
    today = timezone.localdate()
    hazard_of: list[tuple[int, dt.date]] = []  # (row index, inspected on) of those with a hazard
    columns = [
        "number", "subject_id", "unit_id", "checklist_id", "started_by_id", "inspected_on",
        "status", "result", "summary", "representative_name", "representative_refused",
        "refusal_note", "signed_at", "created_at", "updated_at",
    ]  # fmt: skip

    def rows():
        for i in range(n):
            subject, kind = rng.choice(subjects)
            day = today - dt.timedelta(days=rng.randint(0, 730))
            problem = rng.random() < 0.1
            if problem:
                hazard_of.append((i, day))
            at = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
            yield (
                f"B{day.year}-{i:07d}", subject, unit.pk, checklists[kind], starter, day,
                "signed", "rectify" if problem else "no_problem", "", "示例负责人", False, "",
                at, at, now,
            )  # fmt: skip

    _copy(Inspection._meta.db_table, columns, rows())
    first = (
        Inspection.objects.filter(number__startswith="B")
        .order_by("pk")
        .values_list("pk", flat=True)[0]
    )
    subject_of = dict(
        Inspection.objects.filter(pk__gte=first).values_list("pk", "subject_id").iterator()
    )

    def hazards():
        for index, day in hazard_of:
            pk = first + index
            deadline = day + dt.timedelta(days=15)
            done = deadline < today - dt.timedelta(days=30) or rng.random() < 0.3
            yield (
                pk, subject_of[pk], unit.pk, "示例隐患", "示例整改要求", deadline,
                "closed" if done else "open", now if done else None, now, "",
            )  # fmt: skip

    _copy(
        Hazard._meta.db_table,
        [
            "inspection_id",
            "subject_id",
            "unit_id",
            "description",
            "order_text",
            "deadline",
            "status",
            "closed_at",
            "created_at",
            "reinspection_note",
        ],
        hazards(),
    )


# --- the timings --------------------------------------------------------------------------------
def time_draws(office, city) -> list[float]:
    from django.utils import timezone

    from qualitymonth.core.models import Unit
    from qualitymonth.supervision.models import CheckItem, Plan
    from qualitymonth.supervision.services import draws

    item, _ = CheckItem.objects.get_or_create(
        region=city,
        code="bench-elevator",
        defaults={
            "title": "示例电梯检查（基准测试）",
            "subject_kind": "elevator",
            "kind": CheckItem.Kind.KEY,
            "checklist_code": "elevator",
        },
    )
    plan, _ = Plan.objects.get_or_create(
        region=city, year=timezone.localdate().year, title="示例抽查计划（基准测试）"
    )
    unit = Unit.objects.get(code=UNIT_CODE)
    today = timezone.localdate()
    timings = []
    for i in range(DRAWS):
        task = draws.task_create(
            plan=plan,
            title=f"示例电梯抽查{i}",
            unit=unit,
            subject_kind="elevator",
            check_items=[item],
            starts_on=today,
            ends_on=today + dt.timedelta(days=30),
            acting_user=office,
            count=DRAW,
        )
        started = time.perf_counter()
        draws.task_draw(task=task, acting_user=office)
        timings.append((time.perf_counter() - started) * 1000)
        assert task.drawn.count() == DRAW
    return timings


def main() -> int:
    db = KEEP or f"qm_bench_sv_{os.getpid()}"
    fresh = not (KEEP and pg_database_exists(PG, db))
    if fresh:
        pg_admin(PG, f"CREATE DATABASE {db}")
    var = Path(tempfile.mkdtemp(prefix="qm-bench-supervision-"))
    env = server_env(var, DATABASE_URL=PG.rsplit("/", 1)[0] + f"/{db}", REDIS_URL="")
    server = None
    try:
        load_s = None
        if fresh:
            for args in (
                ["migrate", "--no-input", "-v", "0"],
                ["createcachetable"],  # no REDIS_URL: the cache is a table
                ["collectstatic", "--no-input", "-v", "0"],
                ["seed-demo", "--quiet-accounts"],
            ):
                manage(env, *args)
        else:  # a kept database: bring its schema up to date
            manage(env, "migrate", "--no-input", "-v", "0")
            manage(env, "collectstatic", "--no-input", "-v", "0")
        django_in_process(env)
        office, city = _office()
        if fresh:
            started = time.monotonic()
            load_unit_and_inspectors(city)
            load_subjects(city, SUBJECTS)
            load_inspections(city, INSPECTIONS)
            load_s = round(time.monotonic() - started, 1)
            import psycopg

            with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        from django.conf import settings
        from django.urls import reverse

        from qualitymonth.supervision.models import Hazard, Inspection, Subject

        draw_timings = time_draws(office, city)
        counts = {
            "subjects": Subject.objects.count(),
            "inspections": Inspection.objects.count(),
            "hazards": Hazard.objects.count(),
        }
        cookie = f"{settings.SESSION_COOKIE_NAME}={signed_in_session(office)}"
        pages = {
            "bare": "/healthz",
            "inspections": reverse("sv_inspection:list"),
            "hazards": reverse("sv_hazard:list"),
            "overdue": reverse("sv_hazard:list") + "?tab=overdue",
        }
        server = start_gunicorn(env, PORT, "1")
        results = {
            name: median_get(PORT, path, cookie, repeat=REPEAT) for name, path in pages.items()
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        from django.db import connections

        connections.close_all()
        if not KEEP:
            pg_admin(PG, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")

    bare = results["bare"]["ms"] or 0.1
    draw_ms = round(statistics.median(draw_timings), 1)
    print(
        f"{counts['subjects']:,} subjects, {counts['inspections']:,} inspections, "
        f"{counts['hazards']:,} hazards on PostgreSQL; one gunicorn worker; median of {REPEAT}"
    )
    if load_s is not None:
        print(f"loading: {load_s} s")
    print(f"draw of {DRAW:,} subjects × 2 inspectors: {draw_ms} ms (median of {DRAWS})")
    print(f"{'page':<12}{'median ms':>11}{'max ms':>9}{'status':>8}{'× bare':>9}")
    for name, r in results.items():
        print(f"{name:<12}{r['ms']:>11}{r['max_ms']:>9}{r['status']:>8}{r['ms'] / bare:>9.1f}")
    summary = {
        "subjects": counts["subjects"],
        "inspections": counts["inspections"],
        "draw_ms": draw_ms,
        "list_ms": results["inspections"]["ms"],
        "hazards_ms": max(results["hazards"]["ms"], results["overdue"]["ms"]),
        "bare_ms": results["bare"]["ms"],
        "all_ok": all(r["status"] == 200 for r in results.values()),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
