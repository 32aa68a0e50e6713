"""The campaign office, on a phone, sets up a micro-video contest (a wrong rubric is refused and
nothing typed is lost), then writes, previews and publishes a science article with a cover."""

import re

import pytest

from qualitymonth.contest.models import Contest
from qualitymonth.core.models import Membership
from qualitymonth.showcase.models import Article
from tests.browser.conftest import shot
from tests.browser.test_contest_journey import _log_in
from tests.factories import CampaignFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign():
    campaign = CampaignFactory()
    MembershipFactory(
        user=UserFactory(username="office"),
        unit=campaign.lead_unit,
        role=Membership.Role.CAMPAIGN_OFFICE,
    )
    UserFactory(username="judge-a", first_name="评委甲")
    return campaign


def _row(page, prefix: str, n: int, **values) -> None:
    for name, value in values.items():
        selector = f"[name={prefix}-{n}-{name}]"
        if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)


def test_the_office_sets_up_a_contest_and_publishes_an_article(
    live_server, phone, campaign, tmp_path
):
    base = live_server.url
    _log_in(phone, base, "/office/contest/", "office")
    phone.get_by_role("link", name="新建大赛").click()
    phone.wait_for_url(re.compile(r"/office/contest/new/"))
    phone.fill("#id_title", "2027年微视频大赛")
    phone.fill("#id_slug", "video-2027")
    phone.fill("#id_theme", "美好生活，质量引领")
    phone.fill("#id_rules", "作品须为原创，时长 1 至 5 分钟。")
    for name, value in {
        "submission_opens": "2027-08-01T09:00",
        "submission_closes": "2027-08-31T18:00",
        "review_closes": "2027-09-05T18:00",
        "judging_closes": "2027-09-20T18:00",
        "voting_opens": "2027-09-06T09:00",
        "voting_closes": "2027-09-18T18:00",
        "results_at": "2027-09-25T10:00",
    }.items():
        phone.fill(f"#id_{name}", value)
    _row(phone, "categories", 0, code="public", name="公益宣传类")
    _row(phone, "criteria", 0, name="主题契合", weight="60")
    _row(phone, "criteria", 1, name="制作水平", weight="30")  # 90 %: refused
    _row(phone, "awards", 0, category_code="", level="first", count="1")
    _row(phone, "judges", 0, user="judge-a")
    phone.get_by_role("button", name="创建大赛").click()
    phone.wait_for_load_state()
    alerts = " ".join(phone.locator("[role=alert]").all_inner_texts())
    assert "各评分项权重合计为 90%，应为 100%。" in alerts
    assert phone.input_value("#id_title") == "2027年微视频大赛"  # nothing typed is lost
    assert phone.input_value("[name=judges-0-user]") == "judge-a"
    _row(phone, "criteria", 1, weight="40")
    phone.get_by_role("button", name="创建大赛").click()
    phone.wait_for_url(re.compile(r"/office/contest/video-2027/$"))
    shot(phone, "office-contest-created")
    contest = Contest.objects.get(slug="video-2027")
    assert [c.weight for c in contest.criteria.all()] == [60, 40]
    assert contest.judges.get().user.username == "judge-a"

    # A science article with a cover: written, previewed, published.
    from PIL import Image

    cover = tmp_path / "cover.png"
    Image.new("RGB", (640, 360), (20, 110, 90)).save(cover)
    phone.goto(f"{base}/office/science/new/")
    phone.fill("#id_title", "读懂家电能效标识")
    phone.select_option("#id_category", "product_safety")
    phone.select_option("#id_unit", str(campaign.lead_unit.pk))
    phone.fill("#id_summary", "能效等级数字越小越节能。")
    phone.fill("#id_body", "<p>1级最节能。</p><script>alert(1)</script>")
    phone.set_input_files("#id_cover", str(cover))
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_url(re.compile(r"/office/science/\d+/$"))
    phone.get_by_role("link", name="预览").click()
    phone.wait_for_load_state()
    assert "预览：该文章尚未发布。" in phone.content()
    assert phone.locator("img.cover").count() == 1
    phone.goto(f"{base}/office/science/")
    phone.get_by_role("button", name="发布").first.click()
    phone.wait_for_load_state()
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED and "<script" not in article.body
    shot(phone, "office-article-published")
