"""The daily reminder: each unit hears how many of its cases are overdue or due soon."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.complaints.models import Complaint
from qualitymonth.complaints.selectors import DUE_SOON_WORKDAYS
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Membership, Unit
from qualitymonth.core.notify import Notification, deliver
from qualitymonth.core.permissions import UNIT_ROLES
from qualitymonth.core.workdays import add_workdays


def remind_units() -> list[str]:
    today = timezone.localdate()
    soon_until = add_workdays(today, DUE_SOON_WORKDAYS)
    rows = (
        Complaint.objects.filter(status__in=Complaint.OPEN_STATUSES, unit__isnull=False)
        .values("unit_id")
        .annotate(
            overdue=Count("id", filter=Q(due_on__lt=today)),
            soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=soon_until)),
        )
        .filter(Q(overdue__gt=0) | Q(soon__gt=0))
    )
    units = Unit.objects.in_bulk([row["unit_id"] for row in rows])
    lines = []
    for row in rows:
        unit = units[row["unit_id"]]
        text = _("%(unit)s: %(overdue)s overdue and %(soon)s due within %(days)s working days.") % {
            "unit": unit.name,
            "overdue": row["overdue"],
            "soon": row["soon"],
            "days": 2,
        }
        emails = Membership.objects.filter(
            unit=unit, role__in=UNIT_ROLES, user__is_active=True
        ).values_list("user__email", flat=True)
        for email in {e for e in emails if e}:
            deliver(Notification(subject=_("Complaint deadlines"), text=text, email=email))
        audit_record(
            actor=None,
            actor_label="scheduler",
            event_type="complaint.reminder",
            target=unit,
            overdue=row["overdue"],
            soon=row["soon"],
        )
        lines.append(text)
    if not lines:
        lines.append(_("No case is overdue or due soon."))
    return lines
