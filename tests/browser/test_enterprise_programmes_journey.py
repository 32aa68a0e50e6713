"""The enterprise capabilities beyond the one-stop service, on a phone (390×844, Chinese UI).

1. The campaign office makes a programme of a 计量服务中小企业行 activity, builds its target list
   from filters (SMEs in 湖里区: a preview, then a confirmation), plans a visit for one target; the
   programme's page shows the planned visit, and the public campaign page its figures without
   any enterprise's name.
2. An enterprise's user records its chief quality officer with the letter of appointment,
   registers the CQO for a CQO training, scores the enterprise against GB/T 19580 with evidence,
   submits it after the confirmation page and reads the radar with the table of numbers.

Steps are found by the forms' addresses and ids; what the pages say is checked in Chinese."""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation
from PIL import Image

from qualitymonth.campaigns.models import Activity
from qualitymonth.core.models import Region
from qualitymonth.enterprises.models import (
    ChiefQualityOfficer,
    EnterpriseMember,
    Need,
    Programme,
    ProgrammeTarget,
    SelfAssessment,
    ServiceType,
    Training,
    TrainingAttendance,
)
from qualitymonth.enterprises.reference import load_services
from qualitymonth.enterprises.services.trainings import training_mark
from tests.browser.conftest import shot
from tests.enterprises.conftest import make_enterprise
from tests.factories import ActivityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-12345678"
# GB/T 19580's seven categories: (score, evidence), out of 110/90/90/130/100/80/400.
SCORES = {
    "leadership": ("88", "高层领导每季度主持质量例会，质量方针已发布。"),
    "strategy": ("70", "三年质量发展规划及年度分解目标。"),
    "customers": ("72.5", "客户满意度测评每年两次，投诉48小时内响应。"),
    "resources": ("100", "设立首席质量官，计量器具全部建档。"),
    "processes": ("80", "关键过程作业指导书覆盖率100%。"),
    "measurement": ("60", "质量数据月度分析，改进项目12项。"),
    "results": ("300", "一次交验合格率99.2%，主营收入增长8%。"),
}
TOTAL = "770.5"


def in_chinese(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def login(page, username: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button.primary").click()


def fits_the_phone(page) -> None:
    """No sideways scrolling, and the page speaks Chinese."""
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner + 1, f"{page.url} scrolls sideways ({width}px > {inner}px)"
    assert page.evaluate("document.documentElement.lang").lower().startswith("zh"), page.url


def accept_confirmations(page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def png(path) -> str:
    Image.new("RGB", (160, 220), "white").save(path, format="PNG")
    return str(path)


# --- 1. the office's programme ---------------------------------------------------------------
@pytest.fixture
def tour(campaign, unit):
    """A 计量服务中小企业行 activity, the catalogue, and the city's registry: two SMEs in 湖里区,
    an SME in 思明区 and a large enterprise in 湖里区."""
    load_services()
    activity = ActivityFactory(
        campaign=campaign,
        organiser=unit,
        title="计量服务中小企业行（示例）",
        starts_at=timezone.now() + dt.timedelta(days=5),
    )
    huli = Region.objects.get(code="350206")
    siming = Region.objects.get(code="350203")
    enterprises = {
        "scales": make_enterprise(
            campaign.region, 101, name="厦门示例衡器有限公司", district=huli, is_sme=True
        ),
        "valves": make_enterprise(
            campaign.region, 102, name="厦门示例阀门有限公司", district=huli, is_sme=True
        ),
        "siming": make_enterprise(
            campaign.region, 103, name="厦门示例思明电子有限公司", district=siming, is_sme=True
        ),
        "large": make_enterprise(
            campaign.region, 104, name="厦门示例重工集团有限公司", district=huli, is_sme=False
        ),
    }
    return activity, enterprises


def test_office_runs_a_programme_from_targets_to_a_planned_visit(
    live_server, phone, browser, campaign, office_user, tour
):
    activity, enterprises = tour
    calibration = ServiceType.objects.get(code="calibration")
    planned_on = timezone.localdate() + dt.timedelta(days=7)
    accept_confirmations(phone)

    phone.goto(f"{live_server.url}/office/programmes/")
    login(phone, "office")
    phone.wait_for_url(re.compile(r"/office/programmes/$"))
    assert phone.locator("h1").inner_text() == in_chinese("Campaign programmes")
    fits_the_phone(phone)
    shot(phone, "programmes-list-empty")

    # A programme of the activity: calibration visits, 20 enterprises to reach.
    phone.locator('a[href="/office/programmes/new/"]').click()
    phone.wait_for_url(re.compile(r"/office/programmes/new/$"))
    phone.select_option("#id_activity", str(activity.pk))
    phone.select_option("#id_service_type", str(calibration.pk))
    phone.fill("#id_goal_enterprises", "20")
    fits_the_phone(phone)
    shot(phone, "programmes-new")
    phone.locator("form.stack button.primary").click()
    phone.wait_for_url(re.compile(r"/office/programmes/\d+/$"))
    programme = Programme.objects.get(activity=activity)
    assert programme.service_type == calibration and programme.goal_enterprises == 20
    fits_the_phone(phone)

    # The target list: SMEs in 湖里区, previewed first (nothing saved), then added.
    phone.locator(f'a[href="/office/programmes/{programme.pk}/targets/"]').click()
    phone.wait_for_url(re.compile(r"/targets/$"))
    phone.select_option("#id_district", "350206")
    phone.check("#id_is_sme")
    phone.locator("form.filters button").click()
    preview = phone.get_by_test_id("preview")
    preview.wait_for()
    text = preview.inner_text()
    assert enterprises["scales"].name in text and enterprises["valves"].name in text
    assert enterprises["siming"].name not in text and enterprises["large"].name not in text
    assert not ProgrammeTarget.objects.exists()
    fits_the_phone(phone)
    shot(phone, "programmes-targets-preview")
    preview.locator("form button.primary").click()
    phone.wait_for_url(re.compile(rf"/office/programmes/{programme.pk}/$"))
    phone.locator(".msg-success").wait_for()
    assert set(programme.targets.values_list("enterprise_id", flat=True)) == {
        enterprises["scales"].pk,
        enterprises["valves"].pk,
    }
    assert Programme.objects.get(pk=programme.pk).target_filter == {
        "district": "350206",
        "is_sme": True,
    }

    # A visit to the scales maker on a given day: a need, accepted, waiting to be dispatched.
    phone.check(f"#plan-{enterprises['scales'].pk}")
    phone.fill("#plan-visits #id_planned_on", f"{planned_on:%Y-%m-%d}")
    fits_the_phone(phone)
    phone.locator("#plan-visits button.primary").click()
    phone.locator(".msg-success").wait_for()
    need = Need.objects.get(programme=programme)
    assert need.enterprise == enterprises["scales"]
    assert (need.status, need.wished_from) == (Need.Status.ACCEPTED, planned_on)
    rows = phone.get_by_test_id("programme-needs").locator("tbody tr")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert need.number in row and enterprises["scales"].name in row
    assert f"{planned_on:%Y-%m-%d}" in row
    assert in_chinese(Need.Status.ACCEPTED.label) in row
    progress = phone.get_by_test_id("progress").inner_text()
    assert in_chinese("Target enterprises") in progress
    # The scales maker is "planned" in the target list; its box can no longer be ticked.
    assert phone.locator(f"#plan-{enterprises['scales'].pk}").is_disabled()
    fits_the_phone(phone)
    shot(phone, "programmes-detail-planned")

    # The public campaign page: the programme's figures, no enterprise named.
    public = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    try:
        citizen = public.new_page()
        citizen.goto(f"{live_server.url}/campaigns/{campaign.slug}/")
        panel = citizen.get_by_test_id("programmes-panel")
        panel.wait_for()
        assert activity.title in panel.inner_text()
        assert "/ 20" in panel.inner_text()  # reached / goal
        page_text = citizen.content()
        for enterprise in enterprises.values():
            assert enterprise.name not in page_text
        panel.scroll_into_view_if_needed()
        fits_the_phone(citizen)
        shot(citizen, "programmes-public-panel")
    finally:
        public.close()


# --- 2. the enterprise: CQO, CQO training, self-assessment -----------------------------------
@pytest.fixture
def company(campaign, unit, office_user):
    """An enterprise with one user, and a CQO training open for registration."""
    huli = Region.objects.get(code="350206")
    enterprise = make_enterprise(
        campaign.region, 201, name="厦门示例精密机械有限公司", district=huli, is_sme=True
    )
    user = UserFactory(username="qiye")
    EnterpriseMember.objects.create(enterprise=enterprise, user=user)
    activity = ActivityFactory(
        campaign=campaign,
        organiser=unit,
        title="首席质量官培训班（示例）",
        activity_type=Activity.Type.TRAINING,
        starts_at=timezone.now() + dt.timedelta(days=10),
        capacity=40,
    )
    training = training_mark(activity=activity, kind=Training.Kind.CQO, acting_user=office_user)
    return enterprise, training


def test_enterprise_records_its_cqo_registers_it_and_assesses_itself(
    live_server, phone, company, tmp_path
):
    enterprise, training = company
    activity = training.activity
    accept_confirmations(phone)

    # The trainings page, then my enterprise's page (signing in on the way).
    phone.goto(f"{live_server.url}/trainings/")
    assert activity.title in phone.get_by_test_id("trainings").inner_text()
    phone.goto(f"{live_server.url}/trainings/mine/")
    login(phone, "qiye")
    phone.wait_for_url(re.compile(r"/trainings/mine/"))
    assert phone.locator("h1").inner_text() == enterprise.name
    fits_the_phone(phone)

    # Record the CQO with the letter of appointment.
    phone.locator('a[href^="/trainings/cqos/new/"]').click()
    phone.wait_for_url(re.compile(r"/trainings/cqos/new/"))
    assert phone.locator("h1").inner_text() == in_chinese("Record a CQO")
    phone.fill("#id_name", "张质量")
    phone.fill("#id_mobile", "13900002222")
    phone.fill("#id_position", "质量总监")
    phone.fill("#id_appointed_on", "2024-03-01")
    phone.set_input_files("#id_appointment_letter", png(tmp_path / "任命书.png"))
    fits_the_phone(phone)
    shot(phone, "trainings-cqo-form")
    phone.locator("form.card button.primary").click()
    phone.wait_for_url(re.compile(r"/trainings/mine/\?enterprise="))
    phone.locator(".msg-success").wait_for()
    cqo = ChiefQualityOfficer.objects.get(enterprise=enterprise)
    assert (cqo.name, cqo.appointed_on) == ("张质量", dt.date(2024, 3, 1))
    assert cqo.appointment_letter.name.endswith(".png")
    assert "张质量" in phone.get_by_test_id("cqos").inner_text()
    fits_the_phone(phone)
    shot(phone, "trainings-cqo-recorded")

    # Register the CQO for the CQO training.
    phone.goto(f"{live_server.url}/trainings/")
    phone.locator(f'a[href="/trainings/{activity.pk}/register/"]').click()
    phone.wait_for_url(re.compile(rf"/trainings/{activity.pk}/register/$"))
    phone.select_option("#id_cqo", str(cqo.pk))
    fits_the_phone(phone)
    shot(phone, "trainings-register")
    phone.locator("form.card button.primary").click()
    phone.locator(".msg-success").wait_for()
    attendance = TrainingAttendance.objects.get(training=training)
    assert (attendance.enterprise, attendance.cqo) == (enterprise, cqo)
    fits_the_phone(phone)
    phone.goto(f"{live_server.url}/trainings/mine/")
    assert activity.title in phone.get_by_test_id("attendances").inner_text()

    # The GB/T 19580 self-assessment of this year: seven scores with their evidence.
    year = timezone.localdate().year
    phone.goto(f"{live_server.url}/excellence/")
    assert phone.locator("h1").inner_text() == in_chinese("Self-assessment (GB/T 19580)")
    fits_the_phone(phone)
    phone.select_option(f"#year-{enterprise.pk}", str(year))
    phone.locator(f'form[action="/excellence/{enterprise.pk}/start/"] button').click()
    phone.wait_for_url(re.compile(rf"/excellence/{enterprise.pk}/{year}/$"))
    for category, (score, evidence) in SCORES.items():
        phone.fill(f"#id_{category}", score)
        phone.fill(f"#id_{category}_evidence", evidence)
    fits_the_phone(phone)
    shot(phone, "excellence-form")
    phone.locator("form button.primary").last.click()
    phone.wait_for_url(re.compile(r"/excellence/a/\d+/$"))
    assessment = SelfAssessment.objects.get(enterprise=enterprise, year=year)
    assert assessment.status == SelfAssessment.Status.DRAFT
    assert assessment.scores.count() == 7

    # Submit: the confirmation page first, then yes.
    phone.locator(f'a[href="/excellence/a/{assessment.pk}/submit/"]').first.click()
    phone.wait_for_url(re.compile(r"/submit/$"))
    assert TOTAL in phone.locator("section.card").inner_text()
    fits_the_phone(phone)
    shot(phone, "excellence-confirm")
    phone.locator("section.card form button.primary").click()
    phone.wait_for_url(re.compile(rf"/excellence/a/{assessment.pk}/$"))
    phone.locator(".msg-success").wait_for()
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.SUBMITTED
    assert phone.get_by_test_id("status").inner_text() == in_chinese(
        SelfAssessment.Status.SUBMITTED.label
    )

    # The radar (an inline SVG) with the table of the same numbers beside it.
    radar = phone.locator("[data-testid=radar] svg")
    assert radar.count() == 1 and radar.is_visible()
    box = radar.bounding_box()
    assert box["width"] > 200 and box["x"] >= 0 and box["x"] + box["width"] <= 391
    table = phone.get_by_test_id("scores").inner_text()
    for score, _evidence in SCORES.values():
        assert score in table
    assert TOTAL in table
    assert TOTAL in phone.get_by_test_id("total").inner_text()
    fits_the_phone(phone)
    shot(phone, "excellence-radar")
