import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qualitymonth.contest import services
from qualitymonth.contest.models import AwardRule, Category, Contest, Criterion, Entry, Judge
from qualitymonth.core.models import Membership
from tests.factories import MembershipFactory, UnitFactory, UserFactory

VIDEO = Path(__file__).resolve().parents[2] / "src/qualitymonth/contest/demo/videos/entry-01.mp4"


def video_upload(name: str = "film.mp4", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, VIDEO.read_bytes() if data is None else data, "video/mp4")


def cover_upload(name: str = "cover.png") -> SimpleUploadedFile:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), (200, 40, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def set_phase(contest: Contest, phase: str) -> Contest:
    """Move the contest's dates so that now is in the given phase."""
    now = timezone.now()
    day = dt.timedelta(days=1)
    starts = {
        "upcoming": now + day,
        "submission": now - day,
        "review": now - 3 * day,
        "judging": now - 6 * day,
        "voting": now - 6 * day,
        "results": now - 30 * day,
    }[phase]
    contest.submission_opens = starts
    contest.submission_closes = starts + 2 * day
    contest.review_closes = starts + 4 * day
    contest.judging_closes = starts + 10 * day
    if phase == "voting":
        contest.voting_opens, contest.voting_closes = now - day, now + day
    else:
        contest.voting_opens = contest.review_closes
        contest.voting_closes = contest.review_closes + (day if phase != "judging" else day / 24)
    contest.results_at = max(contest.judging_closes, contest.voting_closes) + day
    contest.full_clean(exclude=["campaign"])
    contest.save()
    return contest


@pytest.fixture
def contest(campaign):
    contest = Contest(
        campaign=campaign,
        slug="video-contest",
        title="微视频大赛",
        theme="美好生活，质量引领",
        rules="原创作品。",
        min_seconds=1,
        max_seconds=60,
        max_file_mb=5,
        judges_per_entry=2,
        vote_weight=Decimal("0.20"),
        votes_per_day=3,
    )
    set_phase(contest, "submission")
    for n, (code, name) in enumerate([("public", "公益宣传类"), ("science", "科普知识类")]):
        Category.objects.create(contest=contest, code=code, name=name, order=n)
    for n, (name, weight) in enumerate([("主题契合", 40), ("内容创意", 30), ("制作水平", 30)]):
        Criterion.objects.create(contest=contest, name=name, weight=weight, order=n)
    AwardRule.objects.create(contest=contest, level="first", count=1)
    AwardRule.objects.create(contest=contest, level="second", count=1)
    return contest


@pytest.fixture
def judges(contest, campaign):
    """Three judges, each from their own unit."""
    made = []
    for n in range(3):
        unit = UnitFactory(region=campaign.region, code=f"judge-unit-{n}", name=f"评审单位{n}")
        user = MembershipFactory(
            unit=unit, role=Membership.Role.JUDGE, user=UserFactory(username=f"judge{n}")
        ).user
        made.append(Judge.objects.create(contest=contest, user=user, unit=unit))
    return made


@pytest.fixture
def make_entry(contest):
    counter = iter(range(1000))

    def make(author=None, *, category="public", approve_by=None, **fields):
        n = next(counter)
        author = author or UserFactory(username=f"author{n}")
        entry = services.entry_submit(
            contest=contest,
            author=author,
            category=contest.categories.get(code=category),
            title=fields.pop("title", f"作品{n}"),
            description=fields.pop("description", "一段关于质量的短片。"),
            author_name=fields.pop("author_name", f"作者{n}"),
            team=fields.pop("team", ""),
            unit=fields.pop("unit", None),
            video_file=video_upload(),
            cover_file=cover_upload(),
            originality_declared=True,
        )
        if approve_by is not None:
            services.entry_moderate(entry=entry, acting_user=approve_by, decision="approve")
            entry.refresh_from_db()
        return entry

    return make


@pytest.fixture
def approved(make_entry, office_user):
    """Four approved entries, two per category."""
    return [
        make_entry(category=code, approve_by=office_user)
        for code in ("public", "public", "science", "science")
    ]


def approve_all(entries, office_user):
    for entry in entries:
        services.entry_moderate(entry=entry, acting_user=office_user, decision="approve")
    return Entry.objects.filter(pk__in=[e.pk for e in entries])
