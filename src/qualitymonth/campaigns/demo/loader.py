"""Loads the Xiamen 2022 demo campaign, placed around today or on the report's own dates.

Placed around today, the campaign began ten days ago: early activities are done (registrations,
check-ins, survey answers, outcome reports), a few are under way, the rest are open for
registration; a handful of plans wait in the back office for review.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from qualitymonth.campaigns.demo import xiamen2022 as data
from qualitymonth.campaigns.models import (
    Activity,
    ActivityReport,
    Campaign,
    Registration,
    SurveyResponse,
)
from qualitymonth.campaigns.services import activity_create, campaign_create
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Membership, Region, Unit

DEMO_PASSWORD = "qm-demo-2022"
DAYS_BEFORE_TODAY = 10

# username, full name, unit code, role (None: no unit), superuser
DEMO_ACCOUNTS = [
    ("admin", "平台管理员", None, None, True),
    ("office", "质量强市办 林主任", "amr", Membership.Role.CAMPAIGN_OFFICE, False),
    ("amr-staff", "市场监管局 陈科员", "amr", Membership.Role.UNIT_STAFF, False),
    ("amr-manager", "市场监管局 王科长", "amr", Membership.Role.UNIT_MANAGER, False),
    ("construction-staff", "建设局 黄科员", "construction", Membership.Role.UNIT_STAFF, False),
    ("health-staff", "卫健委 吴科员", "health", Membership.Role.UNIT_STAFF, False),
    ("inspector", "执法队 郑队员", "amr", Membership.Role.INSPECTOR, False),
    ("expert", "计量院 刘高工", "metrology", Membership.Role.EXPERT, False),
    ("judge", "评委 许老师", "amr", Membership.Role.JUDGE, False),
    ("judge2", "评委 何教授", "consumer_council", Membership.Role.JUDGE, False),
    ("citizen", "市民 张小明", None, None, False),
]
ROLE_LABELS = {
    "admin": "superuser / 超级管理员",
    "office": "campaign office / 质量月办公室",
    "amr-staff": "unit staff, 市市场监管局",
    "amr-manager": "unit manager, 市市场监管局",
    "construction-staff": "unit staff, 市建设局",
    "health-staff": "unit staff, 市卫健委",
    "inspector": "inspector / 检查员",
    "expert": "expert / 专家",
    "judge": "judge / 评委",
    "judge2": "judge / 评委 (消费者委员会)",
    "citizen": "citizen / 市民",
}

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红玲建国文辉志宏海燕鹏飞晓东雪梅丹凤云峰婷慧佳琳欣怡子涵浩然思远雨轩俊杰晨阳嘉怡"

# Day-of-campaign plans kept back in the workflow so the back office has something to review.
_HELD_BACK = {
    "submitted": 3,
    "returned": 1,
    "approved": 1,
    "draft": 1,
}


@dataclass
class SeedResult:
    campaign: Campaign
    created: bool
    accounts: list[tuple[str, str]] = field(default_factory=list)


def _person(rng: random.Random) -> tuple[str, str]:
    name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice([1, 2])))
    mobile = rng.choice(["13", "15", "17", "18", "19"]) + "".join(
        rng.choice("0123456789") for _ in range(9)
    )
    return name, mobile


def _english_names(queryset, rows) -> None:
    """Give reference rows of an earlier demo install their English names; a name the office
    has typed in since is kept."""
    english = {row["code"]: row["name_en"] for row in rows}
    for obj in queryset.filter(name_en="", code__in=list(english)):
        obj.name_en = english[obj.code]
        obj.save(update_fields=["name_en"])


def _regions() -> tuple[Region, Region]:
    province, _ = Region.objects.get_or_create(
        code=data.REGIONS["province"]["code"],
        defaults={
            "name": data.REGIONS["province"]["name"],
            "name_en": data.REGIONS["province"]["name_en"],
            "level": Region.Level.PROVINCE,
        },
    )
    city, _ = Region.objects.get_or_create(
        code=data.REGIONS["city"]["code"],
        defaults={
            "name": data.REGIONS["city"]["name"],
            "name_en": data.REGIONS["city"]["name_en"],
            "level": Region.Level.CITY,
            "parent": province,
        },
    )
    for district in data.REGIONS["districts"]:
        Region.objects.get_or_create(
            code=district["code"],
            defaults={
                "name": district["name"],
                "name_en": district["name_en"],
                "level": Region.Level.DISTRICT,
                "parent": city,
            },
        )
    _english_names(
        Region.objects.all(),
        [data.REGIONS["province"], data.REGIONS["city"], *data.REGIONS["districts"]],
    )
    return province, city


def _units(city: Region) -> dict[str, Unit]:
    units = {}
    for row in data.UNITS:
        unit, _ = Unit.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row["name_en"],
                "short_name": row["short_name"],
                "kind": row["kind"],
                "region": city,
            },
        )
        units[row["code"]] = unit
    _english_names(Unit.objects.all(), data.UNITS)
    return units


def _accounts(units: dict[str, Unit]) -> list[tuple[str, str]]:
    User = get_user_model()
    printed = []
    for username, full_name, unit_code, role, superuser in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": full_name,
                "is_superuser": superuser,
                "is_staff": superuser or role is not None,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if unit_code and role:
            Membership.objects.get_or_create(user=user, unit=units[unit_code], role=role)
        printed.append((username, ROLE_LABELS[username]))
    return printed


def campaign_start(*, as_reported: bool, today: dt.date) -> dt.date:
    return dt.date(2022, 9, 1) if as_reported else today - dt.timedelta(days=DAYS_BEFORE_TODAY)


@transaction.atomic
def load_demo(
    *, as_reported: bool = False, today: dt.date | None = None, seed: int = 2022
) -> SeedResult:
    today = today or timezone.localdate()
    rng = random.Random(seed)
    _province, city = _regions()
    units = _units(city)
    accounts = _accounts(units)
    existing = Campaign.objects.filter(region=city, year=data.CAMPAIGN["year"]).first()
    if existing:
        _english_names(existing.focus_areas.all(), data.FOCUS_AREAS)
        _english_names(existing.domains.all(), data.DOMAINS)
        if not existing.theme_en:
            existing.theme_en = data.CAMPAIGN["theme_en"]
            existing.save(update_fields=["theme_en"])
        return SeedResult(existing, False, accounts)

    start = campaign_start(as_reported=as_reported, today=today)
    admin_user = get_user_model().objects.get(username="admin")
    campaign = campaign_create(
        acting_user=None,
        year=data.CAMPAIGN["year"],
        region=city,
        theme=data.CAMPAIGN["theme"],
        theme_en=data.CAMPAIGN["theme_en"],
        slogan=data.CAMPAIGN["slogan"],
        description=data.CAMPAIGN["description"],
        starts_on=start,
        ends_on=start + dt.timedelta(days=29),
        lead_unit=units[data.LEAD_UNIT],
        co_organisers=[units[u["code"]] for u in data.UNITS if u["co_organiser"]],
        focus_areas=[(f["code"], f["name"], f["name_en"]) for f in data.FOCUS_AREAS],
        domains=[(d["code"], d["name"], d["name_en"]) for d in data.DOMAINS],
    )
    focus = {f.code: f for f in campaign.focus_areas.all()}
    domains = {d.code: d for d in campaign.domains.all()}
    districts = {r.name: r for r in city.children.all()}
    tz = timezone.get_current_timezone()
    now = timezone.now() if not as_reported else dt.datetime(2022, 9, 30, 23, 0, tzinfo=tz)

    held_back = _pick_held_back(start, now, tz)
    for row in data.ACTIVITIES:
        starts_at = _starts_at(row, start, tz)
        ends_at = starts_at + (
            dt.timedelta(days=row["days"]) if "days" in row else dt.timedelta(hours=row["hours"])
        )
        activity = activity_create(
            acting_user=admin_user,
            campaign=campaign,
            organiser=units[row["unit"]],
            data={
                "title": row["title"],
                "summary": row["summary"],
                "description": row["description"],
                "co_organisers": [units[c] for c in row.get("co_units", [])],
                "domains": [domains[c] for c in row["domains"]],
                "focus_area": focus[row["focus"]],
                "kind": row["kind"],
                "activity_type": row["type"],
                "starts_at": starts_at,
                "ends_at": ends_at,
                "district": districts.get(row["district"]) if row["district"] else None,
                "venue": row["venue"],
                "capacity": row["capacity"],
                "registration_opens_at": starts_at - dt.timedelta(days=14)
                if row["capacity"]
                else None,
                "registration_closes_at": starts_at - dt.timedelta(hours=2)
                if row["capacity"]
                else None,
            },
        )
        status = held_back.get(row["title"])
        if status:
            _hold_back(activity, status)
            continue
        published_at = min(starts_at - dt.timedelta(days=14), now)
        completed = ends_at < now
        Activity.objects.filter(pk=activity.pk).update(
            status=Activity.Status.COMPLETED if completed else Activity.Status.PUBLISHED,
            published_at=published_at,
        )
        activity.refresh_from_db()
        if activity.capacity:
            _registrations(activity, rng, now)
        if completed:
            _report(activity, rng, admin_user)

    _citizen_tickets(campaign, now)
    audit_record(
        actor=None,
        actor_label="seed-demo",
        event_type="demo.seed",
        target=campaign,
        as_reported=as_reported,
        activities=campaign.activities.count(),
    )
    return SeedResult(campaign, True, accounts)


def _starts_at(row: dict, start: dt.date, tz) -> dt.datetime:
    hour, minute = (int(x) for x in row["start"].split(":"))
    day = start + dt.timedelta(days=row["day"] - 1)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


def _pick_held_back(start: dt.date, now: dt.datetime, tz) -> dict[str, str]:
    """Plans late in the month by co-organisers stay in review: they are not yet public."""
    candidates = [
        row["title"]
        for row in data.ACTIVITIES
        if not row.get("themed") and _starts_at(row, start, tz) > now + dt.timedelta(days=5)
    ]
    chosen, index = {}, 0
    for status, count in _HELD_BACK.items():
        for _ in range(count):
            if index < len(candidates):
                chosen[candidates[-1 - index]] = status
                index += 1
    return chosen


def _hold_back(activity: Activity, status: str) -> None:
    notes = {
        "returned": "请补充活动安全保障方案和具体签到安排后重新提交。",
        "approved": "同意，请按计划发布。",
    }
    Activity.objects.filter(pk=activity.pk).update(status=status, review_note=notes.get(status, ""))


def _registrations(activity: Activity, rng: random.Random, now: dt.datetime) -> None:
    capacity = activity.capacity
    phase = activity.phase(now)
    if phase == "upcoming":
        # Small activities are full with people waiting; the others fill up as the day nears.
        if capacity <= 30:
            confirmed, waiting = capacity, rng.randint(2, 4)
        else:
            confirmed, waiting = int(capacity * rng.uniform(0.25, 0.7)), 0
    else:
        confirmed, waiting = int(capacity * rng.uniform(0.6, 0.95)), 0
    rows, used = [], set()
    for index in range(confirmed + waiting):
        name, mobile = _person(rng)
        while mobile in used:
            name, mobile = _person(rng)
        used.add(mobile)
        registration = Registration(activity=activity, name=name, mobile=mobile)
        if index < confirmed:
            registration.status = Registration.Status.CONFIRMED
            if phase != "upcoming" and activity.has_offline_part and rng.random() < 0.85:
                registration.checked_in_at = activity.starts_at - dt.timedelta(
                    minutes=rng.randint(0, 25)
                )
        else:
            registration.status = Registration.Status.WAITLISTED
            registration.waitlist_position = index - confirmed + 1
        rows.append(registration)
    Registration.objects.bulk_create(rows)
    # created_at is auto_now_add: place the registrations before the activity, in order.
    for offset, registration in enumerate(
        Registration.objects.filter(activity=activity).order_by("id")
    ):
        Registration.objects.filter(pk=registration.pk).update(
            created_at=min(
                activity.starts_at - dt.timedelta(days=7) + dt.timedelta(minutes=17 * offset), now
            )
        )
    if phase == "ended":
        surveys = []
        for registration in Registration.objects.filter(
            activity=activity, checked_in_at__isnull=False
        ):
            if rng.random() < 0.5:
                surveys.append(
                    SurveyResponse(
                        registration=registration,
                        overall=rng.choice([4, 5, 5, 5, 3]),
                        usefulness=rng.choice([4, 5, 5, 4, 3]),
                        organisation=rng.choice([5, 4, 5, 4]),
                        comment=rng.choice(
                            [
                                "",
                                "",
                                "内容很实用，希望多办。",
                                "专家讲解清楚，收获很大。",
                                "场地稍小，建议提前通知停车安排。",
                            ]
                        ),
                    )
                )
        SurveyResponse.objects.bulk_create(surveys)


def _report(activity: Activity, rng: random.Random, user) -> None:
    checked_in = activity.registrations.filter(checked_in_at__isnull=False).count()
    participants = checked_in + rng.randint(0, 15) if activity.capacity else rng.randint(40, 400)
    serves_enterprises = activity.activity_type in {
        "training",
        "service_tour",
        "consultation",
        "site_visit",
        "inspection",
    }
    enterprises = rng.randint(5, 60) if serves_enterprises else 0
    problems = rng.randint(2, 30) if serves_enterprises else rng.randint(0, 5)
    summary = (
        f"“{activity.title}”已按计划完成，共{participants}人次参与"
        + (f"，服务企业{enterprises}家，帮助解决质量问题{problems}个" if enterprises else "")
        + "。活动现场秩序良好，参与者反馈积极，相关材料已归档。"
    )
    ActivityReport.objects.create(
        activity=activity,
        participants=participants,
        enterprises_served=enterprises,
        problems_solved=problems,
        summary=summary,
        submitted_by=user,
    )


def _citizen_tickets(campaign: Campaign, now: dt.datetime) -> None:
    """The citizen account holds one upcoming ticket and one used one (certificate and survey)."""
    citizen = get_user_model().objects.get(username="citizen")
    public = campaign.activities.filter(
        capacity__gte=40, kind__in=[Activity.Kind.OFFLINE, Activity.Kind.HYBRID]
    )
    past = public.filter(status=Activity.Status.COMPLETED).order_by("-starts_at").first()
    upcoming = public.filter(
        status=Activity.Status.PUBLISHED, starts_at__gt=now + dt.timedelta(days=1)
    ).first()
    if past:
        Registration.objects.create(
            activity=past,
            user=citizen,
            name="张小明",
            mobile="13800138000",
            status=Registration.Status.CONFIRMED,
            checked_in_at=past.starts_at,
        )
    if upcoming:
        Registration.objects.create(
            activity=upcoming,
            user=citizen,
            name="张小明",
            mobile="13800138000",
            status=Registration.Status.CONFIRMED,
        )
