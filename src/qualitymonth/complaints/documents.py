"""Excel export of a case list."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from qualitymonth.complaints.models import Complaint


def _safe(value: str) -> str:
    # A cell starting with = + - @ is a formula to Excel: citizens' text must stay text.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def cases_workbook(cases: list[Complaint], personal: list[bool]) -> bytes:
    """One row per case; name, mobile and address only on rows where `personal` says so,
    masked otherwise."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Cases"))
    header = [
        _("Tracking number"),
        _("Kind"),
        _("Status"),
        _("Received"),
        _("Deadline"),
        _("Responsible unit"),
        _("Nature"),
        _("Category"),
        _("District"),
        _("Business complained about"),
        _("Product or service"),
        _("Amount (yuan)"),
        _("What happened"),
        _("Complainant"),
        _("Mobile number"),
        _("Address"),
        _("Satisfaction"),
    ]
    sheet.append([_cell(h, bold=True, sheet=sheet) for h in header])
    for case, show in zip(cases, personal, strict=True):
        sheet.append(
            [
                case.tracking_number,
                case.get_kind_display(),
                case.get_status_display(),
                timezone.localtime(case.received_at).strftime("%Y-%m-%d %H:%M"),
                case.due_on.isoformat() if case.due_on else "",
                case.unit.name if case.unit_id else "",
                case.get_nature_display(),
                case.get_category_display(),
                case.district.name if case.district_id else "",
                _safe(case.respondent_name),
                _safe(case.product_or_service),
                float(case.amount) if case.amount is not None else None,
                _safe(case.facts[:2000]),
                _safe(case.complainant_name) if show else case.masked_name,
                case.complainant_mobile if show else case.masked_mobile,
                _safe(case.complainant_address) if show else case.masked_address,
                case.satisfaction,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value, *, bold: bool, sheet):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    return cell
