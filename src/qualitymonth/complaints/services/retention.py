"""Removing personal data from cases finished long enough ago: it was collected for handling the
case, and is kept no longer than that needs.

A case is finished in any final status (not accepted, mediated, answered, closed…), not only
once someone closes it: many are never closed, and would otherwise keep the complainant's name
and number forever. What stays is what the statistics need: kind, category, nature, unit,
district, respondent, dates, and the text with personal details scrubbed out.
"""

from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from qualitymonth.complaints.models import Attachment, CaseEvent, Complaint, ProblemGroup, Rerouting
from qualitymonth.core.audit import audit_record
from qualitymonth.core.privacy import scrub_personal_text

REMOVED = "（个人信息已删除）"
# What the purge wrote before it scrubbed text and location. Cases marked with it are purged
# again, once, so that text is scrubbed too (there is no other trace of the older purge).
LEGACY_REMOVED = "（已删除）"

_CASE_TEXT = ("facts", "request", "final_answer", "satisfaction_comment")


def purgeable_cases(*, older_than_days: int):
    """Finished cases whose handling ended more than `older_than_days` ago and still hold
    personal data."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    return (
        Complaint.objects.filter(status__in=Complaint.FINISHED_STATUSES)
        .filter(Q(personal_data_removed_at__isnull=True) | Q(complainant_name=LEGACY_REMOVED))
        # Closing comes after finishing, so it is the later date; a case with neither (an old
        # import) counts from its receipt, the only date it has.
        .annotate(ended_at=Coalesce("closed_at", "finished_at", "received_at"))
        .filter(ended_at__lt=cutoff)
    )


@transaction.atomic
def personal_data_purge(*, older_than_days: int, batch: int = 2000) -> int:
    """Blank the complainant's details, scrub the case's free text, keep only the district of
    its location and delete its attachments, for one batch of finished cases past retention.
    Returns how many cases were cleaned (0 when none is left: call until then)."""
    cases = list(
        purgeable_cases(older_than_days=older_than_days)
        .select_for_update(of=("self",))
        .order_by("pk")
        .only("pk", "status", "group_id", *_CASE_TEXT)[:batch]
    )
    if not cases:
        return 0
    ids = [case.pk for case in cases]
    now = timezone.now()
    for case in cases:
        for field in _CASE_TEXT:
            setattr(case, field, scrub_personal_text(getattr(case, field)))
        case.complainant_name = REMOVED
        case.complainant_mobile = case.complainant_address = case.complainant_email = ""
        case.user = None
        # The typed place and the map point can name a home; the district is enough to count.
        case.location = ""
        case.latitude = case.longitude = None
        case.personal_data_removed_at = now
    Complaint.objects.bulk_update(
        cases,
        [
            *_CASE_TEXT,
            "complainant_name",
            "complainant_mobile",
            "complainant_address",
            "complainant_email",
            "user",
            "location",
            "latitude",
            "longitude",
            "personal_data_removed_at",
        ],
        batch_size=500,
    )
    events = _scrub(CaseEvent.objects.filter(complaint_id__in=ids), "message", "note")
    reroutings = _scrub(Rerouting.objects.filter(complaint_id__in=ids), "text")
    _scrub(
        ProblemGroup.objects.filter(pk__in={c.group_id for c in cases if c.group_id}), "sample_text"
    )
    attachments = list(Attachment.objects.filter(complaint_id__in=ids))
    files = [(attachment.file.storage, attachment.file.name) for attachment in attachments]
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    # Files are deleted once the rows are gone for good: a rolled-back purge must not leave rows
    # pointing at files that no longer exist.
    transaction.on_commit(lambda: _delete_files(files))
    audit_record(
        actor=None,
        actor_label="retention",
        event_type="complaint.personal_data_purged",
        cases=len(ids),
        by_status=dict(Counter(case.status for case in cases)),
        attachments=len(files),
        case_events=events,
        reroutings=reroutings,
        older_than_days=older_than_days,
    )
    return len(ids)


def _scrub(queryset, *fields: str) -> int:
    """Scrub the given text fields of every row; returns how many rows changed."""
    changed = []
    for row in queryset.only("pk", *fields):
        before = [getattr(row, field) for field in fields]
        for field in fields:
            setattr(row, field, scrub_personal_text(getattr(row, field)))
        if before != [getattr(row, field) for field in fields]:
            changed.append(row)
    if changed:
        queryset.model.objects.bulk_update(changed, list(fields), batch_size=500)
    return len(changed)


def _delete_files(files) -> None:
    for storage, name in files:
        storage.delete(name)
