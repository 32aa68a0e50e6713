"""An enterprise's person signs up on a phone, proves a mobile and claims the company → the office
approves the claim → the company files a calibration need → the office dispatches it to the
metrology institute → the institute visits, reports and delivers → the company rates it → the
office sees it closed on time.

The pages' new strings are translated in var/po/ until the lead merges them, so steps are found
by their forms' addresses and ids, not by their (still English) labels."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from PIL import Image

from qualitymonth.core.models import Membership, Unit
from qualitymonth.core.sms import ConsoleBackend
from qualitymonth.core.validators import validate_uscc
from qualitymonth.enterprises.models import (
    Claim,
    Enterprise,
    EnterpriseMember,
    Need,
    Provider,
    ServiceType,
)
from qualitymonth.enterprises.reference import load_services
from tests.browser.conftest import shot
from tests.enterprises.conftest import make_uscc, wrong_check
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE = "13912345678"
PASSWORD = "pw-12345678"
CHOOSE_AGAIN = "For your safety the browser forgets a chosen file: choose the licence image again."


@pytest.fixture
def one_stop(campaign, office_user):
    """The catalogue as shipped, a registered company, and the metrology institute (a unit whose
    staff serve its needs) offering calibration."""
    load_services()
    enterprise = Enterprise.objects.create(
        region=campaign.region,
        uscc=make_uscc(16),
        name="厦门市鹭岛衡器有限公司",
        legal_representative="陈某",
        registered_address="湖里区测试路16号",
    )
    unit = UnitFactory(
        region=campaign.region, code="metrology", name="厦门市计量检定测试院", kind=Unit.Kind.NQI
    )
    MembershipFactory(unit=unit, role=Membership.Role.UNIT_STAFF, user=UserFactory(username="jl"))
    institute = Provider.objects.create(
        region=campaign.region,
        kind=Provider.Kind.INSTITUTION,
        name="厦门市计量检定测试院",
        unit=unit,
    )
    institute.service_types.add(ServiceType.objects.get(code="calibration"))
    return enterprise


def png(path):
    Image.new("RGB", (120, 80), "white").save(path, format="PNG")
    return str(path)


def pdf(path):
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    return str(path)


def login(page, username: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button.primary").click()


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways ({width}px)"


def in_chinese(text) -> str:
    """What the page says (the pages speak Chinese; the tests' own code speaks English)."""
    with translation.override("zh-hans"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def uscc_refusal(code: str) -> str:
    with translation.override("zh-hans"):
        try:
            validate_uscc(code)
        except ValidationError as error:
            return error.messages[0]
    raise AssertionError(f"{code} passes the check")


def accept_confirmations(page) -> None:
    # Destructive and final steps ask first (site.js, data-confirm); the person says yes.
    page.on("dialog", lambda dialog: dialog.accept())


def test_enterprise_signs_up_claims_files_a_need_and_rates_it(
    live_server, phone, desktop, browser, one_stop, settings, tmp_path
):
    settings.QM_SMS_SHOW_CODES_ON_PAGE = True
    ConsoleBackend.outbox.clear()
    enterprise = one_stop
    accept_confirmations(phone)
    accept_confirmations(desktop)

    # Sign up: the services page sends an enterprise to /enterprises/.
    phone.goto(f"{live_server.url}/services/")
    phone.locator('.hero a[href="/enterprises/"]').click()
    phone.wait_for_url(re.compile(r"/enterprises/signup/"))
    phone.fill("#id_username", "luhengqi")
    phone.fill("#id_name", "陈晓东")
    phone.fill("#id_password1", "Hengqi-2024-scales")
    phone.fill("#id_password2", "Hengqi-2024-scales")
    no_sideways_scroll(phone)
    shot(phone, "enterprise-signup")
    phone.locator("form button.primary").click()

    # Prove the mobile with the code the demo shows on the page.
    phone.wait_for_url(re.compile(r"/enterprises/mobile/"))
    phone.fill("#id_mobile", MOBILE)
    phone.locator("form.verify button").click()
    notice = phone.locator(".messages").inner_text()
    code = re.search(r"\b(\d{6})\b", notice).group(1)
    assert any(to == MOBILE and code in text for to, text in ConsoleBackend.outbox)
    phone.fill("#id_code", code)
    phone.locator("form.verify button").click()
    phone.wait_for_url(re.compile(r"/enterprises/claim/"))

    # A code with a wrong check character is refused by name; nothing typed is lost.
    licence = png(tmp_path / "营业执照.png")
    phone.fill("#id_uscc", wrong_check(enterprise.uscc))
    phone.fill("#id_position", "质量负责人")
    phone.set_input_files("#id_licence", licence)
    phone.locator("form button.primary").click()
    error = phone.locator(".has-error .error")
    error.first.wait_for()  # the same URL comes back: wait for the answer, not the old page
    assert error.count() == 1
    assert error.inner_text() == uscc_refusal(wrong_check(enterprise.uscc))  # 校验码不正确
    assert phone.input_value("#id_uscc") == wrong_check(enterprise.uscc)
    assert phone.input_value("#id_position") == "质量负责人"
    # The file input comes back empty (browsers never keep it): the page says to choose again.
    assert in_chinese(CHOOSE_AGAIN) in phone.locator("form[enctype]").inner_text()
    no_sideways_scroll(phone)
    shot(phone, "enterprise-claim-error")
    assert not Claim.objects.exists()
    phone.fill("#id_uscc", enterprise.uscc.lower())  # as typed from the licence, any case
    phone.set_input_files("#id_licence", licence)  # the browser forgets a chosen file
    phone.locator("form button.primary").click()
    phone.wait_for_url(re.compile(r"/enterprises/mine/"))
    assert enterprise.name in phone.get_by_test_id("claims").inner_text()
    no_sideways_scroll(phone)
    shot(phone, "enterprise-claim-sent")

    # The office checks the licence and approves.
    desktop.goto(f"{live_server.url}/office/enterprises/claims/?status=pending")
    login(desktop, "office")
    desktop.get_by_role("link", name=enterprise.name).click()
    # The licence is streamed by a view that checks the office's scope: wait until it is loaded.
    desktop.wait_for_function(
        "() => { const img = document.querySelector('figure img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    assert desktop.locator("figure img").evaluate("img => img.naturalWidth") == 120
    desktop.locator('form[action$="/approve/"] button').click()
    desktop.locator(".msg-success").wait_for()
    assert EnterpriseMember.objects.filter(
        enterprise=enterprise, user__username="luhengqi"
    ).exists()

    # The company files a calibration need for its weighing instruments.
    phone.goto(f"{live_server.url}/services/new/")
    assert phone.input_value("#id_enterprise") == str(enterprise.pk)
    calibration = ServiceType.objects.get(code="calibration")
    phone.select_option("#id_service_type", str(calibration.pk))
    phone.fill("#id_description", "在用电子台秤12台、地磅1台需要校准，希望下周二、三上门。")
    no_sideways_scroll(phone)
    shot(phone, "enterprise-need-form")
    phone.locator("form.card button.primary").click()
    phone.wait_for_url(re.compile(r"/services/N\d+/$"))
    number = re.search(r"/services/(N\d+)/", phone.url).group(1)
    assert phone.get_by_test_id("status").inner_text() == in_chinese(Need.Status.SUBMITTED.label)
    no_sideways_scroll(phone)
    shot(phone, "enterprise-need-filed")

    # The office dispatches it to the institute the platform suggests.
    desktop.goto(f"{live_server.url}/office/needs/{number}/")
    desktop.locator('form[action$="/dispatch/"] button.primary').click()
    desktop.locator(".msg-success").wait_for()
    need = Need.objects.get(number=number)
    assert need.status == Need.Status.DISPATCHED
    assert need.provider.unit.code == "metrology"

    # The institute's metrologist, on a phone at the company, starts, visits, reports, delivers.
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    try:
        staff = context.new_page()
        accept_confirmations(staff)
        staff.goto(f"{live_server.url}/office/needs/queue/")
        login(staff, "jl")
        staff.get_by_role("link", name=number).click()
        staff.locator('form[action$="/start/"] button').click()
        staff.locator(".msg-success").wait_for()
        staff.fill("#visit #id_visited_on", f"{timezone.localdate():%Y-%m-%d}")
        staff.fill("#visit #id_notes", "现场校准电子台秤12台、地磅1台，1台台秤超差已调整。")
        staff.fill("#visit #id_problems_found", "1")
        staff.fill("#visit #id_problems_solved", "1")
        staff.set_input_files("#visit #id_photo", png(tmp_path / "现场.png"))
        staff.locator("#visit button").click()
        staff.locator(".msg-success").wait_for()
        staff.fill("#deliverable #id_title", "校准证书")
        staff.set_input_files("#deliverable #id_file", pdf(tmp_path / "校准证书.pdf"))
        staff.locator("#deliverable button").click()
        staff.locator(".msg-success").wait_for()
        staff.fill("#deliver #id_fee_standard", "650")
        staff.fill("#deliver #id_fee_charged", "0")
        staff.select_option("#deliver #id_relief", "waived")
        no_sideways_scroll(staff)
        shot(staff, "enterprise-provider-delivering")
        staff.locator("#deliver button.primary").click()
        staff.locator(".msg-success").wait_for()
    finally:
        context.close()
    need.refresh_from_db()
    assert need.status == Need.Status.DELIVERED

    # The company sees the visit and the certificate, and rates the service 5.
    phone.goto(f"{live_server.url}/services/{number}/")
    assert "校准证书" in phone.get_by_test_id("deliverables").inner_text()
    assert phone.get_by_test_id("visits").count() == 1
    phone.locator('#rate input[name="rating"][value="5"]').check()
    phone.fill("#rate #id_comment", "上门及时，证书当天拿到。")
    phone.locator("#rate button.primary").click()
    phone.locator(".msg-success").wait_for()
    no_sideways_scroll(phone)
    shot(phone, "enterprise-rated")
    need.refresh_from_db()
    assert (need.status, need.rating) == (Need.Status.CLOSED, 5)

    # The office finds it among the closed needs: closed (the timeline's last step) before the
    # day its time limit gave, and counted as on time in the service's figures.
    desktop.goto(f"{live_server.url}/office/needs/?status=closed")
    assert number in desktop.get_by_test_id("needs").inner_text()
    desktop.get_by_role("link", name=number).click()
    assert desktop.get_by_test_id("status").inner_text() == in_chinese(Need.Status.CLOSED.label)
    complete_by = f"{need.complete_by:%Y-%m-%d}"
    assert complete_by in desktop.locator("dl.facts").inner_text()
    closed_on = desktop.locator("[data-testid=timeline] li time").last.inner_text()[:10]
    assert closed_on <= complete_by
    shot(desktop, "enterprise-office-closed")
    desktop.goto(f"{live_server.url}/services/results/")
    assert desktop.locator(".counts > div:nth-child(2) strong").inner_text() == "100 %"
