"""Chinese working days: statutory deadlines (7, 15, 45 working days) count them.

The chinesecalendar package carries the State Council's holiday notices, adjusted working
weekends included, for the years it knows. Overrides kept in the database win over it (a year
the package does not know yet, a correction). Beyond both, Monday to Friday is assumed, and
`fallback_warning` says so, so the office can add that year's days. Nothing here raises for any
date.
"""

import datetime as dt
import uuid
from functools import lru_cache

import chinese_calendar
from django.core.cache import cache
from django.utils.translation import gettext as _

_OVERRIDES_VERSION_KEY = "workday-overrides-version"


def _known_years() -> tuple[int, int]:
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


KNOWN_FIRST_YEAR, KNOWN_LAST_YEAR = _known_years()


@lru_cache(maxsize=4)
def _overrides_for(version: str) -> tuple[dict[dt.date, bool], frozenset[int]]:
    from qualitymonth.core.models import WorkdayOverride

    days = dict(WorkdayOverride.objects.values_list("date", "is_workday"))
    return days, frozenset(day.year for day in days)


def _overrides() -> tuple[dict[dt.date, bool], frozenset[int]]:
    # One small table, read once per process until someone changes it. The version lives in the
    # shared cache, so every app node notices; it is a random token, so a flushed cache makes a
    # new one and a reload rather than reviving an old version.
    return _overrides_for(
        cache.get_or_set(_OVERRIDES_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)
    )


def overrides_changed() -> None:
    cache.set(_OVERRIDES_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _is_workday(day: dt.date, overrides: dict[dt.date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    if KNOWN_FIRST_YEAR <= day.year <= KNOWN_LAST_YEAR:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def is_workday(day: dt.date) -> bool:
    return _is_workday(day, _overrides()[0])


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The date of the n-th working day after start (start itself is not counted)."""
    if n < 0:
        raise ValueError("n must not be negative")
    overrides = _overrides()[0]
    day = start
    while n:
        day += dt.timedelta(days=1)
        if _is_workday(day, overrides):
            n -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after start up to and including end (0 when end is not after start)."""
    overrides = _overrides()[0]
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += _is_workday(day, overrides)
    return count


def uncertain_years(start: dt.date, end: dt.date) -> list[int]:
    """Years in the range that neither the package nor an override describes."""
    override_years = _overrides()[1]
    return [
        year
        for year in range(start.year, end.year + 1)
        if not KNOWN_FIRST_YEAR <= year <= KNOWN_LAST_YEAR and year not in override_years
    ]


def fallback_warning(start: dt.date, end: dt.date) -> str | None:
    years = uncertain_years(start, end)
    if not years:
        return None
    return _(
        "The official holiday calendar for %(years)s is not loaded: deadlines in it count Monday "
        "to Friday only. Add that year's holidays and adjusted working days as working-day "
        "overrides."
    ) % {"years": "、".join(str(year) for year in years)}
