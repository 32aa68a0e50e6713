"""Synthetic cases for scale tests: a year of a city's complaints in bulk inserts.

Texts come from the routing training data, businesses from a pool where a few draw many cases
(as real hotspots do), dates spread over the last year, statuses by age: old cases are finished,
recent ones open, some overdue. Deadlines are computed once per day of receipt, not per case.
"""

import datetime as dt
import random
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from qualitymonth.complaints.figures import SOURCE, campaign_days_for, received_day
from qualitymonth.complaints.models import Complaint, ProblemGroup
from qualitymonth.complaints.routing import router
from qualitymonth.complaints.selectors import intake_region
from qualitymonth.complaints.services.hotspots import respondent_key
from qualitymonth.complaints.taxonomy import Category, Nature
from qualitymonth.core.figures import mark_changed
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.workdays import add_workdays

S, K = Complaint.Status, Complaint.Kind
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁沈"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玲建国志红文斌宇浩婷雪琳晨阳"
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
    "乐购",
    "美家",
    "百味",
    "同福",
    "安心",
    "环岛",
]
_TRADES = [
    "电器商行",
    "数码店",
    "服装店",
    "鞋业",
    "超市",
    "便利店",
    "水果店",
    "餐饮店",
    "火锅店",
    "奶茶店",
    "美容美发店",
    "健身会所",
    "培训学校",
    "装饰工程公司",
    "物业服务公司",
    "旅行社",
    "口腔诊所",
    "汽车销售服务公司",
    "电动车行",
    "药房",
    "家具城",
    "母婴用品店",
    "眼镜店",
    "洗衣店",
    "海鲜排档",
    "建材商行",
    "农资店",
    "典当行",
    "驾驶员培训学校",
]
_DISTRICT_ROADS = [
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


def _texts() -> list[dict]:
    rows = []
    for path in router.training_files():
        import csv

        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows += [row for row in csv.DictReader(handle) if row.get("text")]
    if not rows:
        raise RuntimeError("No routing training data to draw texts from.")
    return rows


def _respondents(rng: random.Random, districts: list[Region], n: int) -> list[tuple]:
    pool = []
    for _ in range(n):
        district = rng.choice(districts)
        name = f"厦门市{district.name}{rng.choice(_BRANDS)}{rng.choice(_TRADES)}"
        address = f"{district.name}{rng.choice(_DISTRICT_ROADS)}{rng.randint(1, 999)}号"
        pool.append((name, address, district, respondent_key(name)))
    return pool


def _status(kind: str, age_days: int, rng: random.Random) -> str:
    finished_by_kind = {
        K.COMPLAINT: [S.NOT_ACCEPTED, S.MEDIATED, S.MEDIATED, S.MEDIATION_ENDED],
        K.REPORT: [S.CASE_OPENED, S.NOT_OPENED],
        K.ENQUIRY: [S.ANSWERED],
        K.SUGGESTION: [S.ANSWERED],
    }
    open_by_kind = {
        K.COMPLAINT: [S.TRIAGED, S.ACCEPTED, S.MEDIATING],
        K.REPORT: [S.TRIAGED, S.VERIFYING],
        K.ENQUIRY: [S.TRIAGED],
        K.SUGGESTION: [S.TRIAGED],
    }
    if age_days > 70 or rng.random() < age_days / 80:
        return S.CLOSED if rng.random() < 0.7 else rng.choice(finished_by_kind[kind])
    return rng.choice(open_by_kind[kind])


def synthesize(
    *,
    n: int,
    seed: int = 2022,
    batch: int = 5000,
    progress: Callable[[str], None] = print,
    start: dt.date | None = None,
    days: int = 365,
) -> int:
    """`n` cases received over `days` days from `start` (default: the year up to now)."""
    rng = random.Random(seed)
    region = intake_region()
    if region is None:
        raise RuntimeError("Load the demo (seed-demo) or set up a city first.")
    districts = list(Region.objects.filter(parent=region))
    units = {u.code: u.pk for u in Unit.objects.filter(is_active=True)}
    texts = _texts()
    pool = _respondents(rng, districts, max(200, n // 40))
    # A few businesses draw many cases: Pareto-like weights over the pool.
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(pool))]
    now = timezone.now()
    today = timezone.localdate()
    if start is None:
        first = now - timedelta(days=days)
    else:
        first = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    span = max(1, min(days * 86400, int((now - first).total_seconds())))
    due_cache: dict[tuple[dt.date, int], dt.date] = {}

    def due(day: dt.date, days: int) -> dt.date:
        key = (day, days)
        if key not in due_cache:
            due_cache[key] = add_workdays(day, days)
        return due_cache[key]

    per_day: dict[dt.date, int] = {}  # synthetic numbers are <date>9xxxxx, counted per day
    groups: dict[str, ProblemGroup] = {}
    counts: dict[str, list] = {}
    started, made = time.monotonic(), 0
    kinds = [K.COMPLAINT] * 70 + [K.REPORT] * 15 + [K.ENQUIRY] * 10 + [K.SUGGESTION] * 5
    while made < n:
        size = min(batch, n - made)
        cases, keys = [], []
        for _i in range(size):
            row = rng.choice(texts)
            name, address, district, rkey = rng.choices(pool, weights=weights)[0]
            kind = rng.choice(kinds)
            received_at = first + timedelta(seconds=rng.randint(0, span - 1))
            received = timezone.localdate(received_at)
            per_day[received] = per_day.get(received, 0) + 1
            age = (today - received).days
            status = _status(kind, age, rng)
            nature = row.get("nature") if row.get("nature") in Nature.values else Nature.OTHER
            category = row.get("category") if row.get("category") in Category.values else ""
            case = Complaint(
                tracking_number=f"{received:%Y%m%d}9{per_day.get(received, 0):05d}",
                kind=kind,
                channel=rng.choice(["web", "web", "web", "api", "open311"]),
                status=status,
                region_id=region.pk,
                complainant_name=rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN),
                complainant_mobile=f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}",
                complainant_address=f"{rng.choice(districts).name}某小区{rng.randint(1, 30)}号楼",
                respondent_name=name,
                respondent_address=address,
                respondent_key=rkey,
                request="请求退款并赔偿损失" if kind == K.COMPLAINT else "",
                facts=row["text"],
                district_id=district.pk,
                nature=nature,
                category=category,
                unit_id=units.get(row.get("unit", "")) or units.get("amr"),
                routed_by=Complaint.RoutedBy.MODEL,
                routing_confidence=round(rng.uniform(0.6, 0.99), 4),
                received_at=received_at,
            )
            if kind == K.COMPLAINT:
                case.accept_due = due(received, 7)
                if status not in (S.TRIAGED, S.NOT_ACCEPTED):
                    case.accepted_at = received_at + timedelta(days=rng.randint(1, 8))
                    case.mediation_due = due(timezone.localdate(case.accepted_at), 45)
            elif kind == K.REPORT:
                case.verify_due = due(received, 15)
            if status in Complaint.OPEN_STATUSES:
                case.due_on = case.mediation_due or case.accept_due or case.verify_due
                case.due_on = case.due_on or due(received, 7)
            else:
                case.finished_at = received_at + timedelta(days=rng.randint(1, 40))
                case.final_answer = "经调查核实，已依法处理并答复。"
                if status == S.CLOSED:
                    case.closed_at = case.finished_at + timedelta(days=rng.randint(0, 5))
                    if rng.random() < 0.6:
                        case.satisfaction = rng.choices([5, 4, 3, 2, 1], [50, 25, 12, 8, 5])[0]
            gkey = f"r:{rkey}:{nature}"
            if gkey not in groups:
                groups[gkey] = ProblemGroup(
                    region_id=region.pk,
                    key=gkey,
                    title=f"{name} · {Nature(nature).label}"[:200],
                    respondent_name=name,
                    nature=nature,
                    category=category or Category.DAILY_GOODS,
                    district_id=district.pk,
                    sample_text=row["text"][:500],
                )
            stats = counts.setdefault(gkey, [0, received_at, received_at])
            stats[0] += 1
            stats[1], stats[2] = min(stats[1], received_at), max(stats[2], received_at)
            cases.append(case)
            keys.append(gkey)
        with transaction.atomic():
            fresh = [g for g in groups.values() if g.pk is None]
            ProblemGroup.objects.bulk_create(fresh, batch_size=batch)
            for case, gkey in zip(cases, keys, strict=True):
                case.group_id = groups[gkey].pk
            Complaint.objects.bulk_create(cases, batch_size=batch)
            # Bulk inserts send no save signals: say which days of the dashboard's facts changed.
            mark_changed(
                SOURCE,
                campaign_days_for(region.pk, {received_day(case.received_at) for case in cases}),
            )
        made += size
        rate = made / max(time.monotonic() - started, 1e-6)
        progress(f"{made}/{n} cases ({rate:,.0f}/s)")
    for gkey, (count, first, last) in counts.items():
        group = groups[gkey]
        group.case_count, group.first_at, group.last_at = count, first, last
    ProblemGroup.objects.bulk_update(
        list(groups.values()), ["case_count", "first_at", "last_at"], batch_size=2000
    )
    progress(f"{n} cases, {len(groups)} problem groups in {time.monotonic() - started:.0f} s")
    return n
