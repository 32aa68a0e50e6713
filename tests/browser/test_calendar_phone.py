"""The public calendar on a 390 px phone: nothing sticks out, the month is a readable agenda."""

import pytest
from django.utils import timezone

from tests.browser.conftest import shot
from tests.factories import ActivityFactory, CampaignFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign():
    campaign = CampaignFactory()
    # A long unit name is what widened the filter selects past the screen.
    unit = UnitFactory(
        region=campaign.region,
        name="厦门市市场监督管理局集美分局质量发展与标准化科",
        short_name="集美分局质量发展与标准化科计量认证",
    )
    start = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    ActivityFactory(campaign=campaign, organiser=unit, title="计量服务中小企业行", starts_at=start)
    ActivityFactory(
        campaign=campaign,
        organiser=unit,
        title="食品安全进校园",
        starts_at=start.replace(hour=14, minute=30),
    )
    return campaign


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_calendar_fits_a_phone_and_shows_an_agenda_for_the_month(live_server, phone, campaign):
    phone.goto(f"{live_server.url}/calendar/")
    assert _overflow(phone) <= 0
    shot(phone, "calendar-list-phone")

    month = timezone.localdate().strftime("%Y-%m")
    phone.goto(f"{live_server.url}/calendar/?view=month&month={month}")
    assert _overflow(phone) <= 0
    assert not phone.locator("table.month").is_visible()
    agenda = phone.locator(".agenda")
    assert agenda.is_visible()
    text = agenda.inner_text()
    assert "09:30–12:30 计量服务中小企业行" in text and "14:30–17:30 食品安全进校园" in text
    shot(phone, "calendar-month-phone")


def test_calendar_keeps_the_month_grid_on_a_desktop(live_server, desktop, campaign):
    month = timezone.localdate().strftime("%Y-%m")
    desktop.goto(f"{live_server.url}/calendar/?view=month&month={month}")
    assert desktop.locator("table.month").is_visible()
    assert not desktop.locator(".agenda").is_visible()
