"""Files the campaign hands out: iCalendar feeds, QR codes, the attendance certificate, Excel."""

import datetime as dt
import io
from collections.abc import Iterable

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Font

from qualitymonth.campaigns.models import Activity, Registration

ICAL_PRODID = "-//qualitymonth//Quality Month platform//ZH"


def activities_ical(activities: Iterable[Activity], *, name: str, base_url: str) -> bytes:
    """An RFC 5545 calendar; times in UTC so no VTIMEZONE block is needed by any client."""
    cal = Calendar()
    cal.add("prodid", ICAL_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = timezone.now()
    for activity in activities:
        event = Event()
        event.add("uid", f"activity-{activity.pk}@qualitymonth")
        event.add("dtstamp", stamp)
        event.add("dtstart", activity.starts_at.astimezone(dt.UTC))
        event.add("dtend", activity.ends_at.astimezone(dt.UTC))
        event.add("summary", activity.title)
        location = " ".join(
            filter(None, [activity.district.name if activity.district_id else "", activity.venue])
        )
        if location:
            event.add("location", location)
        event.add(
            "description", "\n".join(filter(None, [activity.summary, activity.organiser.name]))
        )
        event.add("url", f"{base_url}{activity.get_absolute_url()}")
        event.add(
            "status", "CANCELLED" if activity.status == Activity.Status.CANCELLED else "CONFIRMED"
        )
        event.add("last-modified", activity.updated_at)
        cal.add_component(event)
    return cal.to_ical()


def qr_svg_data_uri(content: str, *, scale: int = 6) -> str:
    return segno.make(content, error="m").svg_data_uri(scale=scale, border=2)


def qr_png(content: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(content, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def attendance_certificate_pdf(registration: Registration, *, verify_url: str) -> bytes:
    """An A4 landscape certificate in Chinese, with a QR code pointing back to the ticket."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    activity = registration.activity
    campaign = activity.campaign
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{_('Attendance certificate')} {registration.display_code}")
    pdf.setStrokeColorRGB(0.72, 0.11, 0.11)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setFillColorRGB(0.72, 0.11, 0.11)
    pdf.setFont("STSong-Light", 34)
    pdf.drawCentredString(width / 2, height - 48 * mm, "参 加 证 明")
    pdf.setFont("STSong-Light", 12)
    pdf.drawCentredString(width / 2, height - 58 * mm, "Certificate of Attendance")
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    pdf.setFont("STSong-Light", 18)
    date = timezone.localtime(activity.starts_at).strftime("%Y年%m月%d日")
    lines = [
        f"{registration.name}：",
        f"于{date}参加了{campaign.year}年“质量月”活动",
        f"“{activity.title}”，",
        "特发此证。",
    ]
    y = height - 85 * mm
    for line in lines:
        pdf.drawString(40 * mm, y, line)
        y -= 13 * mm
    pdf.setFont("STSong-Light", 14)
    pdf.drawRightString(width - 40 * mm, 42 * mm, activity.organiser.name)
    pdf.drawRightString(width - 40 * mm, 34 * mm, timezone.localdate().strftime("%Y年%m月%d日"))
    pdf.setFont("STSong-Light", 9)
    pdf.drawString(
        40 * mm, 22 * mm, f"{_('Ticket')} {registration.display_code} · {campaign.theme}"
    )
    pdf.drawImage(
        ImageReader(io.BytesIO(qr_png(verify_url, scale=4))), 40 * mm, 28 * mm, 28 * mm, 28 * mm
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def registrations_workbook(activity: Activity, registrations: Iterable[Registration]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报名 Registrations"
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
        ]
    )
    for cell in sheet[2]:
        cell.font = Font(bold=True)
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
    for letter, width in zip("ABCDEFG", [12, 12, 14, 12, 10, 18, 18], strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
