"""The month view's phone agenda and the calendar search's length limit."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from qualitymonth.campaigns.forms import CalendarFilterForm
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def september(campaign, unit):
    make = ActivityFactory
    make(
        campaign=campaign,
        organiser=unit,
        title="计量服务",
        starts_at=_at(dt.date(2022, 9, 5), 9, 30),
    )
    make(
        campaign=campaign, organiser=unit, title="食品安全", starts_at=_at(dt.date(2022, 9, 5), 14)
    )
    make(
        campaign=campaign, organiser=unit, title="电梯安全", starts_at=_at(dt.date(2022, 9, 20), 10)
    )
    # In the grid's first week but in August: the agenda is the month only.
    make(
        campaign=campaign, organiser=unit, title="八月活动", starts_at=_at(dt.date(2022, 8, 29), 10)
    )


def _agenda(body: str) -> str:
    return re.search(r'<ol class="agenda">(.*?)</ol>', body, re.S).group(1)


def test_month_view_has_an_agenda_with_each_day_its_titles_and_times(client, september):
    response = client.get("/calendar/", {"view": "month", "month": "2022-09"})
    assert [day.date.day for day in response.context["agenda"]] == [5, 20]
    agenda = _agenda(response.content.decode())
    assert 'datetime="2022-09-05"' in agenda and 'datetime="2022-09-20"' in agenda
    assert re.search(r"09:30–12:30</span> 计量服务", agenda)
    assert re.search(r"14:00–17:00</span> 食品安全", agenda)
    assert "电梯安全" in agenda and "八月活动" not in agenda
    # The grid stays for wider screens; CSS chooses which one shows.
    assert '<table class="month">' in response.content.decode()


def test_month_agenda_of_an_empty_month_says_so(client, september):
    response = client.get("/calendar/", {"view": "month", "month": "2022-11"})
    assert response.context["agenda"] == []
    assert 'class="empty"' in _agenda(response.content.decode())


def test_month_agenda_follows_the_filters(client, september):
    response = client.get("/calendar/", {"view": "month", "month": "2022-09", "q": "电梯"})
    agenda = _agenda(response.content.decode())
    assert "电梯安全" in agenda and "计量服务" not in agenda


def test_phone_css_swaps_the_grid_for_the_agenda():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("qm/site.css")).read_text(encoding="utf-8")
    phone = re.search(r"@media \(max-width: 30rem\) \{([^@]*?)\}\s*$", css, re.M).group(1)
    assert "table.month { display: none; }" in phone and ".agenda { display: block; }" in phone
    # The coloured bars without a title are gone.
    assert "font-size: 0" not in css


def test_search_field_is_limited_in_the_page(client, activity):
    body = client.get("/calendar/").content.decode()
    limit = CalendarFilterForm.base_fields["q"].max_length
    assert f'maxlength="{limit}"' in body and 'aria-describedby="id_q_help"' in body


def test_a_search_longer_than_the_limit_is_ignored_with_a_message(client, activity):
    # 1,200 characters: the browser's field stops at the limit, a typed URL gets a note.
    response = client.get("/calendar/", {"q": "计" * 1200})
    assert response.status_code == 200
    assert activity in response.context["page"]
    body = response.content.decode()
    assert "msg-warning" in body and "1200" in body
