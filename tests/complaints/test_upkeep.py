import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from qualitymonth.complaints.models import Complaint
from qualitymonth.complaints.services import complaint_step, complaint_submit
from qualitymonth.core.models import AuditEvent
from tests.complaints.conftest import complaint_data, png_upload

pytestmark = pytest.mark.django_db


def test_personal_data_of_long_closed_cases_is_removed(
    region, unit, route, staff_user, django_capture_on_commit_callbacks
):
    route(unit.code, 0.9)
    old = complaint_submit(data=complaint_data(attachments=[png_upload()]), region=region)
    recent = complaint_submit(data=complaint_data(complainant_mobile="13700001111"), region=region)
    for case in (old, recent):
        complaint_step(complaint=case, step="not_accept", acting_user=staff_user,
                       message="不属于本部门职责", reason="not_within_duty")  # fmt: skip
        complaint_step(complaint=case, step="close", acting_user=staff_user)
    Complaint.objects.filter(pk=old.pk).update(closed_at=timezone.now() - dt.timedelta(days=400))
    path = old.attachments.get().file.path
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the purge commits
        call_command("complaints", "purge-personal-data", "--older-than-days", "365", stdout=out)
    assert "1 cases" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.complainant_mobile == "" and old.personal_data_removed_at
    assert old.respondent_name  # the business and the facts stay for the statistics
    assert not old.attachments.exists()
    import os

    assert not os.path.exists(path)
    assert recent.complainant_mobile == "13700001111"
    assert AuditEvent.objects.filter(event_type="complaint.personal_data_purged").exists()
    with pytest.raises(CommandError):
        call_command("complaints", "purge-personal-data", "--older-than-days", "3")


def test_the_daily_reminder_counts_overdue_and_due_soon_per_unit(region, unit, route):
    route(unit.code, 0.9)
    late = complaint_submit(data=complaint_data(), region=region)
    complaint_submit(data=complaint_data(complainant_mobile="13700001111"), region=region)
    Complaint.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    out = io.StringIO()
    call_command("complaints", "remind", stdout=out)
    assert f"{unit.name}: 1 overdue" in out.getvalue()
    assert AuditEvent.objects.filter(event_type="complaint.reminder").count() == 1


def test_the_reminder_says_when_nothing_is_due(db):
    out = io.StringIO()
    call_command("complaints", "remind", stdout=out)
    assert "No case" in out.getvalue()
