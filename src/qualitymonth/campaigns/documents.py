"""Files the campaign hands out: iCalendar feeds, QR codes, the attendance certificate, Excel."""

import datetime as dt
import re
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from qualitymonth.campaigns.models import Activity, Registration
from qualitymonth.core.documents import certificate_pdf
from qualitymonth.core.spreadsheets import SpreadsheetWriter

ICAL_PRODID = "-//qualitymonth//Quality Month platform//ZH"

# What str.splitlines() treats as a line break; and what RFC 5545 allows in no text value: every
# control character but tab and the line feed (which vText escapes), and what UTF-8 cannot encode.
_LINE_BREAKS_RE = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_ICAL_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _ical_text(value: str, *, one_line: bool = True) -> vText:
    """Calendar text that cannot break the feed. Titles are refused with line breaks at input,
    but rows stored before that rule (or through the admin) must still give a valid feed."""
    text = _LINE_BREAKS_RE.sub(" " if one_line else "\n", value or "")
    return vText(_ICAL_FORBIDDEN_RE.sub("", text))


def activities_ical(activities: Iterable[Activity], *, name: str, base_url: str) -> bytes:
    """An RFC 5545 calendar; times in UTC so no VTIMEZONE block is needed by any client."""
    cal = Calendar()
    cal.add("prodid", ICAL_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # An X- property is written as given unless typed as text: a line break in the name would
    # end the line (and could start a property of its own).
    cal.add("x-wr-calname", _ical_text(name))
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = timezone.now()
    for activity in activities:
        event = Event()
        event.add("uid", f"activity-{activity.pk}@qualitymonth")
        event.add("dtstamp", stamp)
        event.add("dtstart", activity.starts_at.astimezone(dt.UTC))
        event.add("dtend", activity.ends_at.astimezone(dt.UTC))
        event.add("summary", _ical_text(activity.title))
        location = " ".join(
            filter(None, [activity.district.name if activity.district_id else "", activity.venue])
        )
        if location:
            event.add("location", _ical_text(location))
        event.add(
            "description",
            _ical_text(
                "\n".join(filter(None, [activity.summary, activity.organiser.name])),
                one_line=False,
            ),
        )
        event.add("url", f"{base_url}{activity.get_absolute_url()}")
        event.add(
            "status", "CANCELLED" if activity.status == Activity.Status.CANCELLED else "CONFIRMED"
        )
        event.add("last-modified", activity.updated_at)
        cal.add_component(event)
    return cal.to_ical()


def attendance_certificate_pdf(registration: Registration, *, verify_url: str) -> bytes:
    activity = registration.activity
    date = timezone.localtime(activity.starts_at).strftime("%Y年%m月%d日")
    return certificate_pdf(
        title="参 加 证 明",
        subtitle="Certificate of Attendance",
        lines=[
            f"{registration.name}：",
            f"于{date}参加了{activity.campaign.year}年“质量月”活动",
            f"“{activity.title}”，",
            "特发此证。",
        ],
        issuer=activity.organiser.name,
        footer=" ".join((_("Ticket"), registration.display_code, "·", activity.campaign.theme)),
        verify_url=verify_url,
    )


def registrations_workbook(activity: Activity, registrations: Iterable[Registration]) -> bytes:
    book = SpreadsheetWriter()
    sheet = book.add_sheet("报名 Registrations", widths=[12, 12, 14, 12, 10, 18, 18])
    sheet.append([activity.title])
    sheet.append(
        [
            "票号 Ticket",
            "姓名 Name",
            "手机 Mobile",
            "状态 Status",
            "候补序号 Wait-list",
            "报名时间 Registered",
            "签到时间 Checked in",
        ],
        bold=True,
    )
    for r in registrations:
        sheet.append(
            [
                r.display_code,
                r.name,
                r.mobile,
                r.get_status_display(),
                r.waitlist_position,
                timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(r.checked_in_at).strftime("%Y-%m-%d %H:%M")
                if r.checked_in_at
                else "",
            ]
        )
    return book.to_bytes()
