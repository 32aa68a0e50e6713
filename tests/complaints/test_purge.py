"""`complaints purge-personal-data`: every case finished (in any final status) longer ago than
the retention period loses the complainant's details, the personal details in its text, its
exact location and its attachments; open and recent cases are untouched; a second run changes
nothing."""

import datetime as dt
import io
import os
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from qualitymonth.complaints.models import CaseEvent, Complaint
from qualitymonth.complaints.services import complaint_submit
from qualitymonth.complaints.services.retention import LEGACY_REMOVED, personal_data_purge
from qualitymonth.core.models import AuditEvent, Region
from tests.complaints.conftest import complaint_data, png_upload

pytestmark = pytest.mark.django_db

PERSONAL_FACTS = "我叫张三丰，住思明区莲花路88号3号楼1201室，电话138-0013-8000，电饭煲无法加热。"


@pytest.fixture
def district(region):
    return Region.objects.get_or_create(
        code="350206", defaults={"name": "湖里区", "level": "district", "parent": region}
    )[0]


def _case(region, district, *, status, ended_days_ago, mobile="13912345678"):
    case = complaint_submit(
        data=complaint_data(
            complainant_mobile=mobile,
            complainant_email="zhang@example.com",
            facts=PERSONAL_FACTS,
            request="请联系我 13800138000 退款",
            location="莲花路88号3号楼1201室",
            latitude="24.480000",
            longitude="118.100000",
            attachments=[png_upload()],
        ),
        region=region,
    )
    ended = timezone.now() - dt.timedelta(days=ended_days_ago)
    Complaint.objects.filter(pk=case.pk).update(
        status=status,
        district=district,
        final_answer="已电话联系13912345678，商家同意退款。",
        finished_at=ended if status not in Complaint.OPEN_STATUSES else None,
        closed_at=ended if status == Complaint.Status.CLOSED else None,
    )
    CaseEvent.objects.create(complaint=case, step="answer", message="回电 13912345678", note="")
    case.refresh_from_db()
    return case


def _purge(days=365):
    out = io.StringIO()
    call_command("complaints", "purge-personal-data", "--older-than-days", str(days), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("status", Complaint.FINISHED_STATUSES)
def test_a_case_finished_in_any_final_status_is_purged(
    region, district, status, django_capture_on_commit_callbacks
):
    case = _case(region, district, status=status, ended_days_ago=400)
    path = case.attachments.get().file.path
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        assert "1 cases" in _purge()
    case.refresh_from_db()
    assert case.personal_data_removed_at
    assert (case.complainant_mobile, case.complainant_address, case.complainant_email) == (
        "",
        "",
        "",
    )
    assert "李小红" not in case.complainant_name
    # The text stays for the statistics, without the personal details.
    assert "电饭煲" in case.facts
    for secret in ("张三丰", "1201", "8000", "13800138000", "13912345678"):
        assert secret not in case.facts + case.request + case.final_answer
    assert "13912345678" not in CaseEvent.objects.get(complaint=case, step="answer").message
    # Only the district is left of where it happened.
    assert (case.location, case.latitude, case.longitude) == ("", None, None)
    assert case.district == district
    assert case.respondent_name
    assert not case.attachments.exists()
    assert not os.path.exists(path)
    event = AuditEvent.objects.get(event_type="complaint.personal_data_purged")
    assert event.detail["cases"] == 1 and event.detail["attachments"] == 1
    assert event.detail["by_status"] == {status: 1}


@pytest.mark.parametrize("status", Complaint.OPEN_STATUSES)
def test_an_open_case_is_untouched(region, district, status, django_capture_on_commit_callbacks):
    case = _case(region, district, status=status, ended_days_ago=400)
    Complaint.objects.filter(pk=case.pk).update(received_at=timezone.now() - dt.timedelta(days=900))
    path = case.attachments.get().file.path
    with django_capture_on_commit_callbacks(execute=True):
        assert "0 cases" in _purge()
    case.refresh_from_db()
    assert case.complainant_mobile == "13912345678" and case.facts == PERSONAL_FACTS
    assert case.location and case.latitude == Decimal("24.480000")
    assert case.attachments.exists() and os.path.exists(path)
    assert not AuditEvent.objects.filter(event_type="complaint.personal_data_purged").exists()


def test_a_recently_finished_case_is_kept(region, district):
    case = _case(region, district, status=Complaint.Status.ANSWERED, ended_days_ago=30)
    _purge()
    case.refresh_from_db()
    assert case.complainant_mobile == "13912345678" and not case.personal_data_removed_at


def test_retention_counts_from_closing_not_from_finishing(region, district):
    case = _case(region, district, status=Complaint.Status.CLOSED, ended_days_ago=10)
    Complaint.objects.filter(pk=case.pk).update(finished_at=timezone.now() - dt.timedelta(days=400))
    _purge()
    case.refresh_from_db()
    assert not case.personal_data_removed_at


def test_a_second_run_changes_nothing(region, district, django_capture_on_commit_callbacks):
    case = _case(region, district, status=Complaint.Status.MEDIATED, ended_days_ago=400)
    with django_capture_on_commit_callbacks(execute=True):
        _purge()
    case.refresh_from_db()
    first = (case.facts, case.final_answer, case.complainant_name, case.personal_data_removed_at)
    assert "0 cases" in _purge()
    case.refresh_from_db()
    assert (
        case.facts,
        case.final_answer,
        case.complainant_name,
        case.personal_data_removed_at,
    ) == first
    assert AuditEvent.objects.filter(event_type="complaint.personal_data_purged").count() == 1


def test_batches_continue_until_every_case_is_done(region, district):
    for n in range(3):
        _case(
            region,
            district,
            status=Complaint.Status.ANSWERED,
            ended_days_ago=400,
            mobile=f"1391234560{n}",
        )
    assert personal_data_purge(older_than_days=365, batch=2) == 2
    assert personal_data_purge(older_than_days=365, batch=2) == 1
    assert personal_data_purge(older_than_days=365, batch=2) == 0
    assert not Complaint.objects.exclude(complainant_mobile="").exists()


def test_a_case_purged_by_the_older_purge_has_its_text_scrubbed(region, district):
    case = _case(region, district, status=Complaint.Status.CLOSED, ended_days_ago=400)
    # What the purge left before: details blanked, text and location kept.
    Complaint.objects.filter(pk=case.pk).update(
        complainant_name=LEGACY_REMOVED,
        complainant_mobile="",
        personal_data_removed_at=timezone.now() - dt.timedelta(days=5),
    )
    assert "1 cases" in _purge()
    case.refresh_from_db()
    assert "张三丰" not in case.facts and case.location == ""
    assert "1 cases" not in _purge()
