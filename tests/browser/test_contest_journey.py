"""A citizen submits a micro-video on a phone → the office approves it → in the voting phase the
citizen votes for it and sees the count go up; a second vote the same day is refused."""

import re
from decimal import Decimal

import pytest

from qualitymonth.contest.models import Category, Contest, Criterion, Entry
from qualitymonth.contest.services import votes_flush
from qualitymonth.core.models import Membership
from tests.browser.conftest import shot
from tests.contest.conftest import VIDEO, set_phase
from tests.factories import CampaignFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def contest():
    campaign = CampaignFactory()
    contest = Contest(
        campaign=campaign,
        slug="video-2026",
        title="“美好生活，质量引领”微视频大赛",
        theme="美好生活，质量引领",
        rules="原创作品，时长 1 至 5 分钟。",
        min_seconds=1,
        max_seconds=300,
        vote_weight=Decimal("0.2"),
    )
    set_phase(contest, "submission")
    Category.objects.create(contest=contest, code="science", name="科普知识类")
    Criterion.objects.create(contest=contest, name="主题契合", weight=100)
    MembershipFactory(
        user=UserFactory(username="office"),
        unit=campaign.lead_unit,
        role=Membership.Role.CAMPAIGN_OFFICE,
    )
    UserFactory(username="citizen", first_name="张小明")
    return contest


def _log_in(page, base: str, next_url: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-12345678")
    page.locator("form button.primary").click()


def test_submit_approve_vote_and_see_the_count(live_server, phone, desktop, contest, tmp_path):
    from PIL import Image

    cover = tmp_path / "cover.png"
    Image.new("RGB", (320, 180), (31, 79, 138)).save(cover)
    base = live_server.url
    _log_in(phone, base, f"/contest/{contest.slug}/submit/", "citizen")
    phone.wait_for_url(re.compile(r"/submit/"))
    phone.fill("#id_title", "读懂一张食品标签")
    phone.fill("#id_description", "三分钟读懂配料表、生产日期和保质期。")
    # A text file named .mp4 is refused with a clear message; what was typed stays.
    fake = tmp_path / "notes.mp4"
    fake.write_text("不是视频")
    phone.set_input_files("#id_video", str(fake))
    phone.set_input_files("#id_cover", str(cover))
    phone.check("#id_originality_declared")
    phone.get_by_test_id("submit-entry").click()
    phone.locator(".has-error .error").first.wait_for()
    assert "MP4、MOV 或 WebM" in phone.content()
    assert phone.input_value("#id_title") == "读懂一张食品标签"
    shot(phone, "contest-submit-error")
    phone.set_input_files("#id_video", str(VIDEO))
    phone.set_input_files("#id_cover", str(cover))
    phone.check("#id_originality_declared")
    phone.get_by_test_id("submit-entry").click()
    phone.wait_for_url(re.compile(r"/mine/"))
    assert phone.get_by_test_id("status").inner_text().strip() == "待审核"
    shot(phone, "contest-submitted")
    entry = Entry.objects.get()

    _log_in(desktop, base, f"/office/contest/{contest.slug}/moderation/", "office")
    desktop.get_by_role("link", name="读懂一张食品标签").click()
    desktop.locator("video").first.wait_for()
    assert desktop.locator("video").count() == 1
    desktop.get_by_test_id("approve").click()
    desktop.locator(".msg-success").wait_for()
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.APPROVED

    set_phase(Contest.objects.get(pk=contest.pk), "voting")
    phone.goto(f"{base}/contest/{contest.slug}/")
    phone.get_by_role("link", name=re.compile("读懂一张食品标签")).click()
    phone.wait_for_url(re.compile(rf"/contest/entries/{entry.pk}/"))
    # The player reads the video through Range requests and knows its length.
    phone.wait_for_function("document.querySelector('video').readyState >= 1")
    assert phone.evaluate("document.querySelector('video').duration") > 1
    assert phone.get_by_test_id("vote-count").inner_text() == "0"
    phone.get_by_test_id("vote").click()
    phone.locator(".vote .msg-success").wait_for()
    assert phone.get_by_test_id("vote-count").inner_text() == "1"
    shot(phone, "contest-voted")
    phone.get_by_test_id("vote").click()
    phone.locator(".vote .msg-error").wait_for()
    assert "明天再来" in phone.locator(".vote .msg-error").inner_text()
    assert phone.get_by_test_id("vote-count").inner_text() == "1"
    votes_flush()
    assert Entry.objects.get(pk=entry.pk).vote_count == 1
