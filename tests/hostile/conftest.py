"""One of everything the API and the forms act on, so every operation has something to reach."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from qualitymonth.core.models import Membership
from tests.factories import ActivityFactory, MembershipFactory, RegistrationFactory, UserFactory


@dataclass
class World:
    campaign: object
    unit: object
    other_unit: object
    activity: object
    submitted: object  # an activity waiting for review: the office's steps act on it
    registration: object
    complaint: object
    complaint_mobile: str
    quiz: object
    attempt: object
    article: object
    story: object
    contest: object
    entry: object
    assignment: object
    clients: dict = field(default_factory=dict)


SENT = {"requests": 0}


def _forget_limits() -> None:
    """Clear the cache but the sessions: with Redis they live in the cache, and a cleared
    session would sign the office and the authors out between two requests."""
    from django.conf import settings

    if not settings.SESSION_ENGINE.endswith(".cache"):
        cache.clear()
        return
    from qualitymonth.core import redis as fast_redis

    client = fast_redis.client()
    stale = [k for k in client.scan_iter(count=1000) if "django.contrib.sessions" not in k]
    if stale:
        client.delete(*stale)


def send(client: Client, method: str, url: str, **kwargs):
    """One request, with the limits' counters cleared first: the limits have their own tests
    (tests/core/test_client_address.py); here every request must reach the input handling."""
    _forget_limits()
    SENT["requests"] += 1
    return getattr(client, method.lower())(url, **kwargs)


@pytest.fixture
def world(campaign, unit, other_unit, office_user, staff_user, monkeypatch):
    from qualitymonth.complaints.routing.router import Guess
    from qualitymonth.complaints.services import CaseInput, complaint_submit
    from qualitymonth.contest import services as contest_services
    from qualitymonth.contest.models import Assignment, Judge
    from qualitymonth.quiz.services import Participant, attempt_start
    from qualitymonth.showcase.models import Article, BrandStory
    from tests.contest.conftest import contest as contest_fixture
    from tests.contest.conftest import cover_upload, set_phase, video_upload
    from tests.quiz.conftest import make_bank
    from tests.quiz.conftest import quiz as quiz_fixture
    from tests.showcase.test_article_office import png

    # The classifier is not under test (and is slow): every text goes to the unit.
    guesses = {
        "nature": Guess("quality", 0.8),
        "category": Guess("food", 0.8),
        "unit": Guess(unit.code, 0.95),
    }
    monkeypatch.setattr(
        "qualitymonth.complaints.routing.router.classify", lambda text: dict(guesses)
    )
    campaign.region.name = "厦门市"
    campaign.region.save(update_fields=["name"])

    activity = ActivityFactory(campaign=campaign, organiser=unit, capacity=100_000)
    submitted = ActivityFactory(campaign=campaign, organiser=unit, status=activity.Status.SUBMITTED)
    registration = RegistrationFactory(activity=activity, mobile="13900000001")
    mobile = "13912345678"
    complaint = complaint_submit(
        data=CaseInput(
            kind="complaint",
            complainant_name="李小红",
            complainant_mobile=mobile,
            complainant_address="厦门市思明区湖滨南路100号",
            respondent_name="厦门市湖里区鹭佳电器商行",
            respondent_address="湖里区嘉禾路88号",
            request="退货退款",
            facts="电饭煲使用两次后无法加热，商家拒绝退换。",
            product_or_service="电饭煲",
            amount="399",
            district="湖里区",
        ),
        region=campaign.region,
    )
    make_bank()
    quiz = quiz_fixture.__wrapped__(campaign, None)
    attempt = attempt_start(
        quiz=quiz,
        participant=Participant(key="m:13800138000", name="13800138000", mobile="13800138000"),
    )
    article = Article(
        title="读懂能效标识",
        slug="hostile-article",
        summary="s",
        body="<p>b</p>",
        category="consumer",
        unit=unit,
    )
    article.save()
    story = BrandStory(
        campaign=campaign,
        title="草稿故事",
        slug="hostile-story",
        enterprise="示例工坊",
        summary="s",
        body="<p>b</p>",
        unit=unit,
    )
    story.cover.save("cover.png", ContentFile(png().read()), save=False)
    story.save()

    contest = contest_fixture.__wrapped__(campaign)
    author = UserFactory(username="author")
    entry = contest_services.entry_submit(
        contest=contest,
        author=author,
        category=contest.categories.get(code="public"),
        title="作品",
        description="一段关于质量的短片。",
        author_name="作者",
        video_file=video_upload(),
        cover_file=cover_upload(),
        originality_declared=True,
    )
    judge_user = MembershipFactory(
        unit=unit, role=Membership.Role.JUDGE, user=UserFactory(username="judge")
    ).user
    judge = Judge.objects.create(contest=contest, user=judge_user, unit=unit)
    assignment = Assignment.objects.create(entry=entry, judge=judge)
    set_phase(contest, "submission")

    clients = {"anonymous": Client()}
    for role, user in [
        ("office", office_user),
        ("staff", staff_user),
        ("author", author),
        ("judge", judge_user),
    ]:
        clients[role] = Client()
        clients[role].force_login(user)
    assert Decimal(0) == 0 and dt and timezone  # keep imports honest for ruff
    return World(
        campaign=campaign,
        unit=unit,
        other_unit=other_unit,
        activity=activity,
        submitted=submitted,
        registration=registration,
        complaint=complaint,
        complaint_mobile=mobile,
        quiz=quiz,
        attempt=attempt,
        article=article,
        story=story,
        contest=contest,
        entry=entry,
        assignment=assignment,
        clients=clients,
    )


def pytest_terminal_summary(terminalreporter):
    if SENT["requests"]:
        terminalreporter.write_line(f"hostile input: {SENT['requests']} requests sent")
