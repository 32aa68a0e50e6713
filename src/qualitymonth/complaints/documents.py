"""Excel export of a case list."""

from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.complaints.models import Complaint
from qualitymonth.core.spreadsheets import SpreadsheetWriter


def cases_workbook(cases: list[Complaint], personal: list[bool]) -> bytes:
    """One row per case; name, mobile and address only on rows where `personal` says so,
    masked otherwise."""
    book = SpreadsheetWriter()
    sheet = book.add_sheet(_("Cases"))
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
    sheet.append(header, bold=True)
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
                case.respondent_name,
                case.product_or_service,
                float(case.amount) if case.amount is not None else None,
                case.facts[:2000],
                case.complainant_name if show else case.masked_name,
                case.complainant_mobile if show else case.masked_mobile,
                case.complainant_address if show else case.masked_address,
                case.satisfaction,
            ]
        )
    return book.to_bytes()
