"""A citizen files a complaint on a phone → a unit handler accepts, mediates and closes it →
the citizen sees the answer and rates it."""

import re

import pytest

from qualitymonth.complaints.models import Complaint
from qualitymonth.complaints.routing.router import Guess
from tests.browser.conftest import shot
from tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(monkeypatch):
    campaign = CampaignFactory()
    unit = UnitFactory(
        region=campaign.region, code="amr", name="厦门市市场监督管理局", short_name="市市场监管局"
    )
    MembershipFactory(user=UserFactory(username="amr-staff"), unit=unit)
    # The shipped classifier is tested on its own; here the route is fixed.
    monkeypatch.setattr(
        "qualitymonth.complaints.routing.router.classify",
        lambda text: {
            "unit": Guess("amr", 0.94),
            "nature": Guess("quality", 0.8),
            "category": Guess("household_appliances", 0.8),
        },
    )
    return unit


def test_complaint_filed_on_a_phone_is_handled_and_rated(live_server, phone, desktop, setting):
    phone.goto(f"{live_server.url}/complaints/")
    phone.get_by_role("link", name=re.compile("我要投诉举报")).first.click()
    phone.wait_for_url(re.compile(r"/complaints/new/"))
    phone.fill("#id_complainant_name", "王小红")
    phone.fill("#id_complainant_mobile", "12345")
    phone.fill("#id_complainant_address", "思明区湖滨南路100号")
    phone.fill("#id_respondent_name", "厦门市湖里区鹭佳电器商行")
    phone.fill("#id_respondent_address", "湖里区嘉禾路88号")
    phone.fill("#id_product_or_service", "电饭煲")
    phone.fill("#id_amount", "399")
    phone.fill("#id_facts", "9月3日购买的电饭煲使用两次后无法加热，商家拒绝退换。")
    phone.fill("#id_request", "退货退款")
    phone.locator("form.complaint-form button.primary").click()
    # The bad number is named; everything typed is still there.
    phone.locator(".has-error .error").first.wait_for()  # the same URL comes back
    assert phone.locator(".has-error .error").count() == 1
    assert phone.input_value("#id_facts").startswith("9月3日购买的电饭煲")
    shot(phone, "complaint-form-error")
    phone.fill("#id_complainant_mobile", "139 1234 5678")
    phone.locator("form.complaint-form button.primary").click()
    phone.wait_for_url(re.compile(r"/complaints/submitted/"))
    number = phone.get_by_test_id("tracking-number").inner_text().strip()
    assert re.fullmatch(r"\d{14}", number)
    shot(phone, "complaint-submitted")

    # The handler of the unit the case was routed to takes it from acceptance to closure.
    desktop.goto(f"{live_server.url}/office/complaints/?status=open")
    desktop.fill("#id_username", "amr-staff")
    desktop.fill("#id_password", "pw-12345678")
    desktop.locator("form button.primary").click()
    desktop.get_by_role("link", name=number).click()
    assert "139****5678" in desktop.content()
    for step in ("受理", "开始调解"):
        desktop.get_by_role("link", name=step, exact=True).click()
        desktop.locator("#act button.primary").click()
        desktop.locator(".msg-success").wait_for()
    desktop.get_by_role("link", name="记录调解协议").click()
    desktop.fill("#id_message", "经调解，商家同意退货并全额退款399元。")
    desktop.locator("#act button.primary").click()
    desktop.locator(".msg-success").wait_for()
    desktop.get_by_role("link", name="办结", exact=True).click()
    desktop.locator("#act button.primary").click()
    desktop.locator(".msg-success").wait_for()
    shot(desktop, "complaint-handled")
    assert Complaint.objects.get(tracking_number=number).status == Complaint.Status.CLOSED

    # The citizen sees each step and the answer, and rates the handling.
    phone.goto(f"{live_server.url}/complaints/track/{number}/")
    assert phone.get_by_test_id("case-status").inner_text() == "已办结"
    assert "全额退款399元" in phone.get_by_test_id("final-answer").inner_text()
    phone.locator("label", has_text="★★★★★").first.click()
    phone.get_by_role("button", name="提交评价").click()
    phone.locator(".messages .msg-success").wait_for()
    shot(phone, "complaint-rated")
    assert Complaint.objects.get(tracking_number=number).satisfaction == 5
