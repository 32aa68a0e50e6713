"""Citizen registers on a phone → gets a ticket → unit staff checks the ticket in."""

import re

import pytest

from qualitymonth.campaigns.models import Registration
from tests.browser.conftest import settled, shot
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting():
    campaign = CampaignFactory()
    unit = UnitFactory(
        region=campaign.region, name="厦门市市场监督管理局", short_name="市市场监管局"
    )
    activity = ActivityFactory(
        campaign=campaign, organiser=unit, title="计量服务中小企业行（湖里站）", capacity=1
    )
    staff = UserFactory(username="amr-staff")
    MembershipFactory(user=staff, unit=unit)
    return activity


def test_citizen_registers_and_staff_checks_the_ticket_in(live_server, phone, desktop, setting):
    activity = setting
    # The citizen finds the activity by searching the calendar on a phone.
    phone.goto(f"{live_server.url}/calendar/")
    phone.fill("#id_q", "计量 湖里")
    phone.get_by_role("button", name=re.compile("筛选")).click()
    phone.wait_for_url(re.compile(r"[?&]q="))  # htmx swapped the results and pushed the address
    settled(phone)
    phone.get_by_role("link", name=activity.title).click()
    phone.wait_for_url(re.compile(rf"/activities/{activity.pk}/$"))
    # A wrong number is refused with a message and nothing typed is lost.
    phone.fill("#id_name", "王小红")
    phone.fill("#id_mobile", "12345")
    phone.locator("form.register-form button").click()
    phone.locator(".has-error .error").first.wait_for()  # the same URL comes back
    assert phone.locator(".has-error .error").count() == 1
    assert phone.input_value("#id_name") == "王小红"
    phone.fill("#id_mobile", "138 0013 8000")
    phone.locator("form.register-form button").click()
    phone.wait_for_url(re.compile(r"/tickets/"))
    code = phone.get_by_test_id("ticket-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert phone.locator("figure.qr img").is_visible()
    shot(phone, "ticket-phone")

    # The activity is now full: the next person lands on the wait list.
    phone.goto(f"{live_server.url}/activities/{activity.pk}/")
    phone.fill("#id_name", "李四")
    phone.fill("#id_mobile", "13900000001")
    phone.locator("form.register-form button").click()
    phone.wait_for_url(re.compile(r"/tickets/"))
    assert Registration.objects.get(mobile="13900000001").status == Registration.Status.WAITLISTED

    # Unit staff log in and check the first ticket in by typing its code.
    desktop.goto(f"{live_server.url}/office/")
    desktop.fill("#id_username", "amr-staff")
    desktop.fill("#id_password", "pw-12345678")
    desktop.locator("form button.primary").click()
    desktop.wait_for_url(re.compile(r"/office/$"))
    desktop.get_by_role("link", name=activity.title).click()
    desktop.get_by_role("link", name="签到").first.click()
    desktop.fill("#id_code", code.lower())
    desktop.locator("[data-checkin-form] button").click()
    result = desktop.get_by_test_id("checkin-result")
    result.wait_for()
    assert code in result.inner_text() and "msg-success" in result.get_attribute("class")
    shot(desktop, "checkin-ok")
    # The same ticket a second time is refused with a clear message.
    desktop.fill("#id_code", code)
    desktop.locator("[data-checkin-form] button").click()
    desktop.locator("[data-testid=checkin-result].msg-error").wait_for()
    assert code in desktop.get_by_test_id("checkin-result").inner_text()
    shot(desktop, "checkin-twice")
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 1

    # Back on the phone, the ticket shows it was checked in.
    phone.goto(live_server.url + Registration.objects.get(mobile="13800138000").get_absolute_url())
    assert "签到" in phone.locator(".ticket-status").inner_text()
