"""The enterprise registry and the one-stop service at scale: 100,000 enterprises and 500,000
needs on PostgreSQL, then the office's pages.

Creates a throw-away database (BENCH_PG, default postgres://postgres@127.0.0.1:5432/postgres),
migrates it, loads the demo, then COPYs BENCH_ENTERPRISES synthetic enterprises (default 100,000;
codes 91999998…, a division code that does not exist, with a valid check character, names with
示例) and BENCH_NEEDS needs (default 500,000) over the demo's service types and providers, filed
over the last year: old ones finished, recent ones open, their clocks spread around today so the
due-soon and overdue lists have content. It serves the database with one gunicorn worker and
times, one request at a time as the campaign office (who keeps the whole registry): the registry
list, the registry filtered (district + industry section + flag + name search), the needs list,
the needs list filtered, the due-soon and overdue lists, the dispatch suggestion of one submitted
need (the API the need's page also uses), and the bare /healthz endpoint for the ratio. Each
figure is the median of BENCH_REPEAT requests (default 15) after two warm-up requests. The last
line is one JSON object; `list_ms` and `filter_ms` are the slower of the registry's and the
needs' page.

BENCH_KEEP_DB=name keeps (or reuses) a database of that name, so the data is loaded once.
"""

import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

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

PORT = int(os.environ.get("BENCH_PORT", "8768"))
ENTERPRISES = int(os.environ.get("BENCH_ENTERPRISES", "100000"))
NEEDS = int(os.environ.get("BENCH_NEEDS", "500000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
KEEP = os.environ.get("BENCH_KEEP_DB", "")

# 91 (enterprise, company) + 999998 (no such division in GB/T 2260): no real code starts so.
USCC_PREFIX = "91999998"
SEED = 2022
# The number's daily sequence starts here: the demo's own needs use 0001, 0002 … of their day.
NUMBER_START = 5001
SEARCH_WORD = "鑫源"  # one of the brands, so the filtered list finds a few hundred names

_BRANDS = [
    "鑫源",
    "佳美",
    "恒达",
    "金鹭",
    "海韵",
    "鹭岛",
    "万家",
    "顺发",
    "嘉禾",
    "华兴",
    "新世纪",
    "宏图",
    "优品",
    "惠民",
    "精诚",
    "同福",
    "安心",
    "环岛",
    "瑞丰",
    "永固",
    "立信",
    "天成",
    "汇通",
    "中科",
    "宏发",
    "博远",
    "凯达",
    "信达",
    "盛世",
    "东方",
]
_TRADES = [
    ("机械制造", "34"),
    ("精密模具", "35"),
    ("电子科技", "39"),
    ("食品", "14"),
    ("纺织服装", "18"),
    ("塑料制品", "29"),
    ("建材", "30"),
    ("家具", "21"),
    ("包装印刷", "23"),
    ("电器商行", "52"),
    ("超市", "52"),
    ("餐饮管理", "62"),
    ("软件", "65"),
    ("物业服务", "70"),
    ("检测技术", "74"),
    ("健身会所", "89"),
    ("汽车维修", "81"),
    ("医疗器械", "35"),
    ("化工", "26"),
    ("水产品加工", "13"),
]
_FORMS = ["有限公司", "股份有限公司", "有限责任公司", "商行", "厂"]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玲建国志红文斌宇浩婷雪琳晨阳"
_ROADS = [
    "湖滨南路",
    "嘉禾路",
    "厦禾路",
    "莲前西路",
    "集美大道",
    "海沧大道",
    "同集南路",
    "翔安南路",
    "仙岳路",
    "环岛东路",
]


# --- the data -----------------------------------------------------------------------------------
def _uscc(n: int) -> str:
    from qualitymonth.core.validators import uscc_check_character

    first17 = f"{USCC_PREFIX}{n:09d}"
    return first17 + uscc_check_character(first17)


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2))))


def _copy(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def _office_city():
    from qualitymonth.core.models import Membership

    membership = (
        Membership.objects.filter(user__username="office", role=Membership.Role.CAMPAIGN_OFFICE)
        .select_related("unit__region")
        .first()
    )
    return membership.unit.region


def load_enterprises(n: int) -> None:
    """n enterprises of the office's city, spread over its districts, industries, sizes and flags."""
    from django.utils import timezone

    from qualitymonth.core.models import Region
    from qualitymonth.enterprises.models import Enterprise, Industry, normalise_name

    rng = random.Random(SEED)
    city = _office_city()
    districts = list(Region.objects.filter(parent=city, level=Region.Level.DISTRICT))
    industries = {i.code: i.pk for i in Industry.objects.filter(section__isnull=False)}
    sizes = [s.value for s in Enterprise.Size]
    now = timezone.now()
    columns = [
        "region_id", "uscc", "uscc_exception_reason", "name", "name_key",
        "legal_representative", "registered_address", "operating_address", "district_id",
        "industry_id", "size", "main_products", "contact_name", "contact_mobile",
        "is_key_industry", "is_sme", "is_specialised", "created_at", "updated_at",
    ]  # fmt: skip

    def rows():
        for i in range(n):
            district = rng.choice(districts)
            trade, industry = rng.choice(_TRADES)
            # The serial number keeps names apart, as real registries have many near-twins.
            name = f"厦门{rng.choice(_BRANDS)}{trade}示例{i}{rng.choice(_FORMS)}"
            address = f"厦门市{district.name}{rng.choice(_ROADS)}{rng.randint(1, 999)}号"
            created = now - dt.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
            yield (
                city.pk, _uscc(i), "", name, normalise_name(name), _person(rng), address,
                address, district.pk, industries.get(industry), rng.choice(sizes), trade,
                _person(rng), f"1380{rng.randint(0, 9999999):07d}", rng.random() < 0.1,
                rng.random() < 0.6, rng.random() < 0.05, created, created,
            )  # fmt: skip

    normalise_name("厦门市示例")  # reads the region names once: not while the COPY runs
    _copy(Enterprise._meta.db_table, columns, rows())


def load_needs(n: int) -> None:
    """n needs filed over the last year: finished when old, open when recent, with clocks that
    fall before, on and after today."""
    from django.utils import timezone

    from qualitymonth.core.workdays import add_workdays
    from qualitymonth.enterprises.models import Enterprise, Need, Provider, ServiceType

    S = Need.Status
    rng = random.Random(SEED + 1)
    city = _office_city()
    enterprises = list(
        Enterprise.objects.filter(uscc__startswith=USCC_PREFIX).values_list("pk", flat=True)
    )
    types = list(ServiceType.objects.filter(is_active=True))
    offering = {t.pk: [] for t in types}
    for provider in Provider.objects.filter(is_active=True).prefetch_related("service_types"):
        for t in provider.service_types.all():
            if t.pk in offering:
                offering[t.pk].append(provider.pk)
    types = [t for t in types if offering[t.pk]]
    office = _office_user()
    now = timezone.now()
    today = timezone.localdate()
    # Every deadline up front: add_workdays reads the shared cache, and the connection is busy
    # with the COPY once the rows are being written.
    limits = {t.response_workdays for t in types} | {t.completion_workdays for t in types}
    first = today - dt.timedelta(days=366)
    due = {
        (first + dt.timedelta(days=d), w): add_workdays(first + dt.timedelta(days=d), w)
        for d in range(366 + 20)
        for w in limits
    }

    def by(day: dt.date, workdays: int) -> dt.date:
        return due[(day, workdays)]

    sequence: dict[dt.date, int] = {}
    columns = [
        "number", "region_id", "enterprise_id", "service_type_id", "description", "products",
        "filed_by_id", "status", "provider_id", "submitted_at", "respond_by", "complete_by",
        "accepted_at", "dispatched_at", "delivered_at", "closed_at", "decline_reason",
        "fee_standard", "fee_charged", "relief", "rating", "rating_comment", "public_consent",
    ]  # fmt: skip

    def rows():
        for _ in range(n):
            age = rng.randint(0, 364)  # days since it was filed
            filed = now - dt.timedelta(days=age, minutes=rng.randint(0, 600))
            day = timezone.localtime(filed).date()
            sequence[day] = sequence.get(day, NUMBER_START - 1) + 1
            service = rng.choice(types)
            respond_by = by(day, service.response_workdays)
            # A need is answered within a few days and served within weeks; some are late.
            accepted_day = day + dt.timedelta(days=rng.randint(0, service.response_workdays + 3))
            complete_by = by(accepted_day, service.completion_workdays)
            status = _need_status(rng, age, accepted_day, today)
            provider = None
            if status in (S.DISPATCHED, S.IN_SERVICE, S.DELIVERED, S.CLOSED):
                provider = rng.choice(offering[service.pk])
            accepted = status not in (S.SUBMITTED, S.DECLINED)
            accepted_at = filed + dt.timedelta(days=(accepted_day - day).days) if accepted else None
            finished = status in (S.DELIVERED, S.CLOSED)
            delivered_at = accepted_at + dt.timedelta(days=rng.randint(1, 30)) if finished else None
            fee = rng.choice((None, 200, 800, 1500)) if finished and service.is_charged else None
            yield (
                f"N{day:%Y%m%d}{sequence[day]:04d}", city.pk, rng.choice(enterprises), service.pk,
                f"示例需求：{service.name}", "", office, status, provider, filed, respond_by,
                complete_by if accepted else None, accepted_at,
                accepted_at if provider else None, delivered_at,
                delivered_at if status == S.CLOSED else (filed if status == S.DECLINED else None),
                "示例：不属于服务范围" if status == S.DECLINED else "",
                fee, fee // 2 if fee else None, "reduced" if fee else "",
                rng.randint(3, 5) if status == S.CLOSED and rng.random() < 0.8 else None,
                "", False,
            )  # fmt: skip

    _copy(Need._meta.db_table, columns, rows())


def _need_status(rng: random.Random, age: int, accepted_day: dt.date, today: dt.date) -> str:
    from qualitymonth.enterprises.models import Need

    S = Need.Status
    if rng.random() < 0.04:
        return S.DECLINED
    if accepted_day > today or (age <= 3 and rng.random() < 0.7):
        return S.SUBMITTED
    if age > 60 or rng.random() < age / 70:
        return S.CLOSED if rng.random() < 0.85 else S.DELIVERED
    return rng.choice((S.ACCEPTED, S.DISPATCHED, S.DISPATCHED, S.IN_SERVICE, S.IN_SERVICE))


def _office_user() -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="office").pk


def _suggestion_path() -> str:
    """The suggestion API of one submitted need whose service the most providers offer."""
    from django.db.models import Count

    from qualitymonth.enterprises.models import Need, ServiceType

    busiest = (
        ServiceType.objects.annotate(offered_by=Count("providers"))
        .order_by("-offered_by", "code")
        .first()
    )
    need = (
        Need.objects.filter(status=Need.Status.SUBMITTED, service_type=busiest)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"/api/office/needs/{need}/suggestions"


def _pages() -> dict[str, str]:
    from qualitymonth.core.models import Region
    from qualitymonth.enterprises.models import Industry

    city = _office_city()
    district = Region.objects.filter(parent=city, level=Region.Level.DISTRICT).order_by("code")[0]
    section = Industry.objects.get(code="34").section.code  # manufacturing
    return {
        "bare": "/healthz",
        "registry_list": "/office/enterprises/",
        "registry_filter": f"/office/enterprises/?district={district.code}&section={section}"
        f"&flag=sme&q={quote(SEARCH_WORD)}",
        "needs_list": "/office/needs/",
        "needs_filter": f"/office/needs/?status=submitted&category=metrology&district={district.code}",
        "due_soon": "/office/needs/?clock=due_soon",
        "overdue": "/office/needs/?clock=overdue",
        "suggest": _suggestion_path(),
    }


def _session_cookie() -> str:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="office")
    return f"{settings.SESSION_COOKIE_NAME}={signed_in_session(user)}"


def main() -> int:
    db = KEEP or f"qm_bench_ent_{os.getpid()}"
    fresh = not (KEEP and pg_database_exists(PG, db))
    if fresh:
        pg_admin(PG, f"CREATE DATABASE {db}")
    var = Path(tempfile.mkdtemp(prefix="qm-bench-enterprises-"))
    env = server_env(var, DATABASE_URL=PG.rsplit("/", 1)[0] + f"/{db}", REDIS_URL="")
    server = None
    load_s = None
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
            # A kept database gets the migrations added since (indexes, for one).
            manage(env, "migrate", "--no-input", "-v", "0")
            manage(env, "createcachetable")
            manage(env, "collectstatic", "--no-input", "-v", "0")
        django_in_process(env)
        from qualitymonth.enterprises.models import Enterprise, Need

        if fresh:
            started = time.monotonic()
            load_enterprises(ENTERPRISES)
            load_needs(NEEDS)
            load_s = round(time.monotonic() - started, 1)
            import psycopg

            with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        enterprises, needs = Enterprise.objects.count(), Need.objects.count()
        pages = _pages()
        cookie = _session_cookie()
        server = start_gunicorn(env, PORT, "1")
        results = {
            name: median_get(PORT, path, cookie, repeat=REPEAT) for name, path in pages.items()
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        if "DJANGO_SETTINGS_MODULE" in os.environ:
            from django.db import connections

            connections.close_all()
        if not KEEP:
            pg_admin(PG, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")

    bare = results["bare"]["ms"] or 0.1
    print(
        f"{enterprises:,} enterprises, {needs:,} needs on PostgreSQL; one gunicorn worker; "
        f"median of {REPEAT} requests as the campaign office"
    )
    if load_s is not None:
        print(f"load: {load_s} s ({(ENTERPRISES + NEEDS) / load_s:,.0f} rows/s, COPY)")
    print(f"{'page':<17}{'median ms':>11}{'max ms':>9}{'status':>8}{'× bare':>9}  path")
    for name, r in results.items():
        print(
            f"{name:<17}{r['ms']:>11}{r['max_ms']:>9}{r['status']:>8}{r['ms'] / bare:>9.1f}"
            f"  {pages[name]}"
        )
    ms = {name: r["ms"] for name, r in results.items()}
    summary = {
        "enterprises": enterprises,
        "needs": needs,
        "list_ms": max(ms["registry_list"], ms["needs_list"]),
        "filter_ms": max(ms["registry_filter"], ms["needs_filter"]),
        "due_soon_ms": ms["due_soon"],
        "suggest_ms": ms["suggest"],
        "bare_ms": ms["bare"],
        "registry_list_ms": ms["registry_list"],
        "registry_filter_ms": ms["registry_filter"],
        "needs_list_ms": ms["needs_list"],
        "needs_filter_ms": ms["needs_filter"],
        "overdue_ms": ms["overdue"],
        "load_s": load_s,
        "all_ok": all(r["status"] == 200 for r in results.values()),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
