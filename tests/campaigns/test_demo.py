import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from qualitymonth.campaigns.demo import xiamen2022 as data
from qualitymonth.campaigns.demo.loader import load_demo
from qualitymonth.campaigns.models import Activity, ActivityReport, Campaign, Registration
from qualitymonth.core.models import Membership

pytestmark = pytest.mark.django_db

NAMED = [
    "首席质量官培训",
    "计量服务中小企业行",
    "工业企业质量诊断帮扶行动",
    "校园食品安全守护行动",
    "安心乘梯守护行动",
    "卓越绩效",
    "质量专家企业行",
]


def test_the_demo_campaign_is_the_report():
    result = load_demo(today=dt.date(2026, 11, 24))
    campaign = result.campaign
    assert (
        campaign.theme == "推动质量变革创新 促进质量强市建设"
        and campaign.lead_unit.name == "厦门市市场监督管理局"
    )
    co = {u.name for u in campaign.co_organisers.all()}
    assert (
        len(co) == 16
        and {"厦门市公安局", "厦门市建设局", "厦门市文化和旅游局", "厦门市卫生健康委员会"} <= co
    )
    assert [f.name for f in campaign.focus_areas.all()] == [
        "开展质量宣传教育",
        "深化质量提升行动",
        "强化质量监管效能",
        "强化质量基础设施协同服务",
    ]
    assert [d.name for d in campaign.domains.all()] == [
        "农业",
        "产品",
        "服务",
        "交通",
        "工程",
        "文化",
        "旅游",
        "医疗",
        "金融",
    ]
    titles = list(campaign.activities.values_list("title", flat=True))
    assert len(titles) >= 70
    for name in NAMED:
        assert any(name in t for t in titles), name
    assert sum(1 for row in data.ACTIVITIES if row["themed"]) >= 43
    districts = Counter(
        campaign.activities.exclude(district=None).values_list("district__name", flat=True)
    )
    assert set(districts) == {"思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区"}


def test_the_demo_is_alive_today():
    today = timezone.localdate()
    campaign = load_demo(today=today).campaign
    assert campaign.starts_on < today < campaign.ends_on
    now = timezone.now()
    activities = campaign.activities.all()
    assert activities.filter(status=Activity.Status.COMPLETED).count() >= 5
    assert ActivityReport.objects.filter(activity__campaign=campaign).count() >= 5
    assert activities.filter(
        status=Activity.Status.PUBLISHED, starts_at__lte=now, ends_at__gte=now
    ).exists()
    upcoming_open = [
        a
        for a in activities.filter(status=Activity.Status.PUBLISHED, starts_at__gt=now)
        if a.registration_state() == "open"
    ]
    assert len(upcoming_open) >= 10
    assert Registration.objects.filter(
        activity__campaign=campaign, status=Registration.Status.WAITLISTED
    ).exists()
    assert activities.filter(status=Activity.Status.SUBMITTED).exists()
    public = activities.filter(status__in=Activity.PUBLIC_STATUSES).count()
    assert public >= 70


def test_seed_is_idempotent_and_makes_every_role(capsys):
    call_command("seed_demo")
    printed = capsys.readouterr().out
    assert all(f"  {name} " in printed for name in ("office", "citizen", "enterprise", "provider"))
    counts = (Campaign.objects.count(), Activity.objects.count(), Registration.objects.count())
    call_command("seed_demo", quiet_accounts=True)
    assert (
        Campaign.objects.count(),
        Activity.objects.count(),
        Registration.objects.count(),
    ) == counts
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Membership.Role.values)


def test_as_reported_uses_september_2022():
    campaign = load_demo(as_reported=True).campaign
    assert (campaign.starts_on, campaign.ends_on) == (dt.date(2022, 9, 1), dt.date(2022, 9, 30))
    first = campaign.activities.order_by("starts_at").first()
    assert timezone.localtime(first.starts_at).date().month == 9
    assert campaign.activities.filter(status=Activity.Status.PUBLISHED).count() == 0 or all(
        a.ends_at > timezone.now()
        for a in campaign.activities.filter(status=Activity.Status.PUBLISHED)
    )


def test_campaign_new_command_creates_an_empty_year(capsys):
    load_demo()
    call_command("campaign_new", year=2023)
    new = Campaign.objects.get(year=2023)
    assert (
        new.activities.count() == 0 and new.co_organisers.count() == 16 and new.domains.count() == 9
    )
