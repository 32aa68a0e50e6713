"""Statutory deadlines in Chinese working days, across holidays with adjusted working weekends,
and past the years the official calendar is known for."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from qualitymonth.core.models import WorkdayOverride
from qualitymonth.core.workdays import (
    KNOWN_LAST_YEAR,
    add_workdays,
    fallback_warning,
    is_workday,
    workdays_between,
)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # National Day 2024: 1–7 October off; Sunday 29 September and Saturday 12 October worked.
        (D(2024, 9, 27), 7, D(2024, 10, 12)),
        # National Day and Mid-Autumn 2025: 1–8 October off; Saturday 11 October worked.
        (D(2025, 9, 30), 7, D(2025, 10, 16)),
        # Spring Festival 2025: 28 January – 4 February off; 26 January and 8 February worked.
        (D(2025, 1, 24), 7, D(2025, 2, 10)),
        # Fifteen working days to verify a report received just before National Day 2025.
        (D(2025, 9, 26), 15, D(2025, 10, 23)),
        (D(2025, 3, 3), 0, D(2025, 3, 3)),
    ],
)
def test_deadlines_follow_the_state_councils_holidays(start, n, expected):
    assert add_workdays(start, n) == expected


def test_adjusted_weekends_are_working_days_and_holidays_are_not():
    assert is_workday(D(2025, 9, 28))  # a Sunday worked for National Day
    assert not is_workday(D(2025, 10, 3))  # a Friday of the holiday
    assert not is_workday(D(2025, 1, 29))  # Spring Festival


def test_beyond_the_known_years_monday_to_friday_and_a_warning():
    year = KNOWN_LAST_YEAR + 1
    start = D(year, 3, 1)
    while start.weekday() != 0:
        start += dt.timedelta(days=1)
    assert add_workdays(start, 5) == start + dt.timedelta(days=7)
    assert not is_workday(start + dt.timedelta(days=5))
    assert str(year) in fallback_warning(start, start)
    assert fallback_warning(D(2025, 1, 1), D(2025, 12, 31)) is None
    assert add_workdays(D(9998, 12, 30), 1)  # far future: still no crash


def test_an_override_wins_and_is_seen_at_once(django_capture_on_commit_callbacks):
    year = KNOWN_LAST_YEAR + 1
    new_year = D(year, 1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        WorkdayOverride.objects.create(date=new_year, is_workday=False, name="元旦")
    assert not is_workday(new_year)
    assert fallback_warning(new_year, new_year) is None  # the office has described that year
    with django_capture_on_commit_callbacks(execute=True):
        WorkdayOverride.objects.filter(date=new_year).delete()
    assert is_workday(new_year) == (new_year.weekday() < 5)


def test_days_between_counts_working_days_only():
    assert workdays_between(D(2025, 9, 30), D(2025, 10, 16)) == 7
    assert workdays_between(D(2025, 10, 16), D(2025, 9, 30)) == 0


def test_the_command_prints_the_date_and_refuses_bad_input():
    out, err = io.StringIO(), io.StringIO()
    call_command("calendar", "workdays-after", "2025-09-30", "7", stdout=out, stderr=err)
    assert out.getvalue().strip() == "2025-10-16"
    assert err.getvalue() == ""
    out = io.StringIO()
    call_command("calendar", "is-workday", "2025-09-28", stdout=out)
    assert out.getvalue().strip() == "yes"
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("calendar", "workdays-after", "30/09/2025", "7")
    with pytest.raises(CommandError, match="whole number"):
        call_command("calendar", "workdays-after", "2025-09-30", "-3")


def test_the_command_warns_beyond_the_known_years():
    err = io.StringIO()
    call_command(
        "calendar", "workdays-after", f"{KNOWN_LAST_YEAR + 1}-06-01", "3",
        stdout=io.StringIO(), stderr=err,
    )  # fmt: skip
    assert str(KNOWN_LAST_YEAR + 1) in err.getvalue()
