"""The demo contest of the Xiamen campaign, in its public-voting phase whenever the demo is tried:
12 approved entries with votes, two waiting for review, three judges part-way through scoring."""

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from qualitymonth.contest.demo.entries import ENTRIES, PENDING
from qualitymonth.contest.models import (
    Assignment,
    AwardLevel,
    AwardRule,
    Category,
    Contest,
    Criterion,
    Entry,
    Judge,
    Vote,
)
from qualitymonth.contest.services.judging import judges_assign, weighted_total
from qualitymonth.contest.services.voting import fingerprint
from qualitymonth.core.models import Unit
from qualitymonth.showcase.demo.loader import _cover

VIDEOS = Path(__file__).resolve().parent / "videos"
SLUG = "micro-video-2022-xiamen"
RULES = """面向全市市民、学校、企业和社会组织征集原创微视频（时长和文件大小以本页列出的要求为准），围绕“美好生活，质量引领”，讲述身边的质量故事、普及质量知识、展示质量品牌。

作品须为原创，不得含有侵犯他人著作权、肖像权的内容；每人最多提交 5 件作品。作品经审核通过后公开展示，并进入评审和网络投票。

最终得分由专家评审和网络投票两部分组成，其中网络投票占 20%。每人每天可投 10 票，同一作品每天限投 1 票；主办方对异常投票进行核查，发现刷票的作废相应票数。"""

CATEGORIES = [  # code, name, English name
    ("public-service", "公益宣传类", "Public service"),
    ("popular-science", "科普知识类", "Popular science"),
    ("brand-story", "品牌故事类", "Brand stories"),
]
CRITERIA = [
    ("主题契合", "紧扣“美好生活，质量引领”", 30),
    ("内容创意", "视角新颖、故事真实感人", 30),
    ("制作水平", "画面、声音、剪辑", 25),
    ("传播价值", "易懂、愿意转发", 15),
]
JUDGES = [("judge", None), ("expert", None), ("judge2", "consumer_council")]


@transaction.atomic
def load(campaign) -> None:
    existing = Contest.objects.filter(slug=SLUG).first()
    if existing:
        # An earlier demo install: its categories get their English names (blank ones only).
        for code, _name, name_en in CATEGORIES:
            existing.categories.filter(code=code, name_en="").update(name_en=name_en)
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    contest = Contest.objects.create(
        campaign=campaign,
        slug=SLUG,
        title="“美好生活，质量引领”微视频大赛",
        theme="美好生活，质量引领",
        rules=RULES,
        submission_opens=now - dt.timedelta(days=40),
        submission_closes=now - dt.timedelta(days=12),
        review_closes=now - dt.timedelta(days=5),
        judging_closes=now + dt.timedelta(days=10),
        voting_opens=now - dt.timedelta(days=4),
        voting_closes=now + dt.timedelta(days=10),
        results_at=now + dt.timedelta(days=12),
        max_file_mb=300,
        min_seconds=3,
        max_seconds=300,
        judges_per_entry=2,
        vote_weight=Decimal("0.20"),
        votes_per_day=10,
    )
    categories = {
        code: Category.objects.create(
            contest=contest, code=code, name=name, name_en=name_en, order=n
        )
        for n, (code, name, name_en) in enumerate(CATEGORIES)
    }
    criteria = [
        Criterion.objects.create(
            contest=contest, name=name, description=text, weight=weight, order=n
        )
        for n, (name, text, weight) in enumerate(CRITERIA)
    ]
    for level, count in [
        (AwardLevel.FIRST, 1),
        (AwardLevel.SECOND, 1),
        (AwardLevel.THIRD, 1),
        (AwardLevel.EXCELLENCE, 1),
    ]:
        AwardRule.objects.create(contest=contest, level=level, count=count)
    units = {u.code: u for u in Unit.objects.all()}
    users = get_user_model().objects
    judges = [
        Judge.objects.create(
            contest=contest,
            user=users.get(username=username),
            unit=units.get(unit) if unit else None,
        )
        for username, unit in JUDGES
        if users.filter(username=username).exists()
    ]
    citizen = users.filter(username="citizen").first()
    rng = random.Random(2022)
    approved = []
    for n, row in enumerate(ENTRIES + PENDING):
        video, category, title, author_name, team, unit, description, colour = row
        author = citizen if (citizen and n in (0, 12)) else _creator(users, n)
        is_pending = n >= len(ENTRIES)
        entry = Entry(
            contest=contest,
            category=categories[category],
            author=author,
            author_name=author_name,
            team=team,
            unit=units.get(unit) if unit else None,
            title=title,
            description=description,
            originality_declared=True,
            video_format="mp4",
            codec="h264",
            width=320,
            height=180,
            duration_seconds=float(4 + (n % 12 + 1) % 4),
            status=Entry.Status.PENDING if is_pending else Entry.Status.APPROVED,
            approved_at=None if is_pending else now - dt.timedelta(days=6, hours=n),
        )
        entry.video.save(video, ContentFile((VIDEOS / video).read_bytes()), save=False)
        entry.cover.save(f"{Path(video).stem}.jpg", _cover(colour), save=False)
        entry.save()
        if not is_pending:
            approved.append(entry)
    _votes(approved, now, rng)
    _judging(contest, judges, approved, criteria, rng)


def _creator(users, n: int):
    user, created = users.get_or_create(username=f"creator{n:02d}", defaults={"first_name": "作者"})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _votes(entries: list[Entry], now, rng: random.Random) -> None:
    """Real vote rows over the past days, so counts, flags and voiding work as in production."""
    votes = []
    for entry in entries:
        for n in range(rng.randint(8, 60)):
            day = timezone.localdate(now) - dt.timedelta(days=rng.randint(0, 3))
            votes.append(
                Vote(
                    entry=entry,
                    voter=f"m:demo{entry.pk}-{n}",
                    day=day,
                    ip_hash=fingerprint(f"198.51.100.{rng.randint(1, 254)}"),
                    device_hash=fingerprint(f"demo-device-{rng.randint(1, 400)}"),
                    created_at=now - dt.timedelta(hours=rng.randint(1, 90)),
                )
            )
    # One burst from one address, flagged, for the office's review page.
    burst = entries[-1]
    for n in range(6):
        votes.append(
            Vote(
                entry=burst,
                voter=f"m:burst{n}",
                day=timezone.localdate(now),
                ip_hash=fingerprint("203.0.113.7"),
                device_hash=fingerprint("203.0.113.7|burst"),
                flagged="ip",
                created_at=now - dt.timedelta(minutes=30 - n),
            )
        )
    Vote.objects.bulk_create(votes)
    for entry in entries:
        entry.vote_count = sum(1 for v in votes if v.entry_id == entry.pk)
    Entry.objects.bulk_update(entries, ["vote_count"])


def _judging(contest, judges, entries, criteria, rng: random.Random) -> None:
    """Two judges per entry, assigned by the service; the first judge has finished, the others
    are part-way."""
    office = get_user_model().objects.filter(is_superuser=True).first()
    if not judges or office is None:
        return
    judges_assign(contest=contest, acting_user=office)
    for n, assignment in enumerate(
        Assignment.objects.filter(entry__contest=contest).order_by("id")
    ):
        if assignment.judge_id != judges[0].pk and n % 3:
            continue
        scores = {str(c.pk): float(rng.randint(5, 10)) for c in criteria}
        assignment.scores = scores
        assignment.total = weighted_total(criteria, scores)
        assignment.comment = "主题鲜明，节奏还可以更紧凑。"
        assignment.scored_at = timezone.now() - dt.timedelta(days=1)
        assignment.save()
