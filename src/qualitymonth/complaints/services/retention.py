"""Removing personal data from cases closed long enough ago: it was collected for handling the
case, and is kept no longer than that needs."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from qualitymonth.complaints.models import Attachment, Complaint
from qualitymonth.core.audit import audit_record

REMOVED = "（已删除）"


@transaction.atomic
def personal_data_purge(*, older_than_days: int, batch: int = 2000) -> int:
    """Blank the complainant's details and delete attachments of cases closed more than
    `older_than_days` ago. Returns how many cases were cleaned."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    ids = list(
        Complaint.objects.filter(
            status=Complaint.Status.CLOSED,
            closed_at__lt=cutoff,
            personal_data_removed_at__isnull=True,
        ).values_list("pk", flat=True)[:batch]
    )
    if not ids:
        return 0
    for attachment in Attachment.objects.filter(complaint_id__in=ids):
        # Delete the file before the row, while the row still says where it is.
        attachment.file.delete(save=False)
    Attachment.objects.filter(complaint_id__in=ids).delete()
    Complaint.objects.filter(pk__in=ids).update(
        complainant_name=REMOVED,
        complainant_mobile="",
        complainant_address="",
        complainant_email="",
        latitude=None,
        longitude=None,
        user=None,
        personal_data_removed_at=timezone.now(),
    )
    audit_record(
        actor=None,
        actor_label="retention",
        event_type="complaint.personal_data_purged",
        cases=len(ids),
        older_than_days=older_than_days,
    )
    return len(ids)
