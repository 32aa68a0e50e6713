"""The report as a background job: the office starts it (audited, CSRF), follows its progress and
downloads the file from private storage; nobody else may; a failure is recorded, not a 500."""

import datetime
import logging
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from qualitymonth.core.models import AuditEvent, Membership
from qualitymonth.dashboard import report, services
from qualitymonth.dashboard.models import ReportJob
from tests.dashboard.test_report import report_campaign, report_provider  # noqa: F401
from tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

START = reverse("dashboard_reports:start")
LIST = reverse("dashboard_reports:list")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def office(report_campaign):  # noqa: F811
    user = MembershipFactory(
        unit=report_campaign.lead_unit, role=Membership.Role.CAMPAIGN_OFFICE
    ).user
    return _client(user)


@pytest.fixture
def unit_staff(report_campaign):  # noqa: F811
    unit = UnitFactory(region=report_campaign.region)
    report_campaign.co_organisers.add(unit)
    return _client(MembershipFactory(unit=unit, role=Membership.Role.UNIT_STAFF).user)


@pytest.fixture
def other_office(db):
    elsewhere = CampaignFactory(
        year=2023, starts_on=datetime.date(2023, 9, 1), ends_on=datetime.date(2023, 9, 30)
    )
    user = MembershipFactory(unit=elsewhere.lead_unit, role=Membership.Role.CAMPAIGN_OFFICE).user
    return _client(user)


@pytest.fixture
def done_job(report_campaign, office, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(START, {"campaign": report_campaign.slug})
    assert response.status_code == 302
    return ReportJob.objects.get(campaign=report_campaign)


def test_the_office_writes_the_report_and_downloads_it(
    report_provider,  # noqa: F811
    report_campaign,  # noqa: F811
    office,
    django_capture_on_commit_callbacks,
):
    page = office.get(LIST, {"campaign": report_campaign.slug})
    assert page.status_code == 200
    assert 'data-testid="report-start"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(START, {"campaign": report_campaign.slug})
    job = ReportJob.objects.get(campaign=report_campaign)
    assert response.url == reverse("dashboard_reports:job", args=[job.pk])
    # The immediate backend ran the task once the request's transaction committed.
    assert (job.status, job.progress, job.error) == ("done", 100, "")
    assert job.finished_at is not None
    events = AuditEvent.objects.filter(object_id=str(job.pk), object_type="dashboard.reportjob")
    assert set(events.values_list("event_type", flat=True)) == {
        "dashboard.report_requested",
        "dashboard.report_written",
    }
    page = office.get(response.url)
    assert 'data-testid="report-download"' in page.content.decode()
    assert "hx-trigger" not in page.content.decode()  # done: no more polling

    download = office.get(reverse("dashboard_reports:download", args=[job.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert body[:2] == b"PK"  # a .docx is a zip
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{report_campaign.year}" in disposition
    assert quote(report_campaign.region.name) in disposition and disposition.endswith(".docx")
    assert download["Cache-Control"] == "private, no-store"
    # Kept in private storage, never under the public MEDIA folder.
    private = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    assert (private / job.file.name).is_file()
    assert not (Path(settings.MEDIA_ROOT) / job.file.name).exists()

    listing = office.get(LIST, {"campaign": report_campaign.slug}).content.decode()
    assert reverse("dashboard_reports:download", args=[job.pk]) in listing


def test_the_job_page_polls_with_htmx_while_the_job_runs(report_campaign, office):  # noqa: F811
    job = ReportJob.objects.create(
        campaign=report_campaign, status="running", progress=40, step="Writing"
    )
    url = reverse("dashboard_reports:job", args=[job.pk])
    page = office.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page
    partial = office.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section class="card report-job"')
    assert "<html" not in partial and 'value="40"' in partial


def test_starting_needs_the_csrf_token(report_campaign):  # noqa: F811
    user = MembershipFactory(
        unit=report_campaign.lead_unit, role=Membership.Role.CAMPAIGN_OFFICE
    ).user
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(START, {"campaign": report_campaign.slug}).status_code == 403
    assert not ReportJob.objects.exists()


def test_others_may_not_start_see_or_download(
    report_campaign,  # noqa: F811
    done_job,
    unit_staff,
    other_office,
):
    citizen = _client(UserFactory())
    job_url = reverse("dashboard_reports:job", args=[done_job.pk])
    file_url = reverse("dashboard_reports:download", args=[done_job.pk])
    for client in (unit_staff, other_office, citizen):
        assert client.post(START, {"campaign": report_campaign.slug}).status_code == 403
        assert client.get(job_url).status_code in (403, 404)
        assert client.get(file_url).status_code in (403, 404)
    assert unit_staff.get(job_url).status_code == 404
    assert unit_staff.get(LIST).status_code == 403
    anonymous = Client()
    assert anonymous.get(file_url).status_code == 302  # to the login page
    assert ReportJob.objects.count() == 1


@pytest.mark.parametrize("campaign", ["", "no-such-campaign", "x" * 500, "\x00"])
def test_starting_an_unknown_campaign_is_not_found(office, campaign):
    assert office.post(START, {"campaign": campaign}).status_code == 404


@pytest.mark.parametrize("pk", ["99999999", "99999999999999999999999999"])
def test_an_unknown_job_is_not_found(office, pk):
    assert office.get(f"/office/dashboard/reports/{pk}/").status_code == 404
    assert office.get(f"/office/dashboard/reports/{pk}/file/").status_code == 404


def test_a_job_not_done_has_no_file(report_campaign, office):  # noqa: F811
    job = ReportJob.objects.create(campaign=report_campaign)
    assert office.get(reverse("dashboard_reports:download", args=[job.pk])).status_code == 404


def test_a_failed_job_is_recorded_and_shown(
    report_campaign,  # noqa: F811
    office,
    monkeypatch,
    caplog,
    django_capture_on_commit_callbacks,
):
    def broken(campaign, out, **kwargs):
        kwargs["progress"](30, "Writing the focus areas")
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(report, "write_report", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = office.post(START, {"campaign": report_campaign.slug})
    job = ReportJob.objects.get()
    assert job.status == "failed" and job.progress == 30
    # The page names the kind of failure; the message itself (a path, a query) stays in the log.
    assert "RuntimeError" in job.error and "the disk is full" not in job.error
    assert not job.file
    assert "Traceback" in caplog.text and "the disk is full" in caplog.text
    assert AuditEvent.objects.filter(
        event_type="dashboard.report_failed", outcome=AuditEvent.Outcome.FAILED
    ).exists()
    page = office.get(response.url)
    assert page.status_code == 200
    assert "RuntimeError" in page.content.decode()
    assert office.get(reverse("dashboard_reports:download", args=[job.pk])).status_code == 404


def test_a_job_already_taken_is_not_run_twice(report_campaign, monkeypatch):  # noqa: F811
    job = ReportJob.objects.create(campaign=report_campaign, status="running")
    monkeypatch.setattr(report, "write_report", pytest.fail)
    assert services.report_run(job_id=job.pk).status == "running"


def test_the_job_list_is_paginated_newest_first(
    report_campaign,  # noqa: F811
    office,
    django_assert_max_num_queries,
):
    jobs = [ReportJob.objects.create(campaign=report_campaign) for _ in range(25)]
    with django_assert_max_num_queries(12):
        page = office.get(LIST, {"campaign": report_campaign.slug}).content.decode()
    newest = reverse("dashboard_reports:job", args=[jobs[-1].pk])
    oldest = reverse("dashboard_reports:job", args=[jobs[0].pk])
    assert newest in page and oldest not in page
    assert (
        oldest in office.get(LIST, {"campaign": report_campaign.slug, "page": "2"}).content.decode()
    )


# --- the API -----------------------------------------------------------------------------------
def test_the_api_starts_follows_and_downloads_a_report(
    report_provider,  # noqa: F811
    report_campaign,  # noqa: F811
    office,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(f"/api/office/dashboard/{report_campaign.slug}/reports")
    assert response.status_code == 202
    job_id = response.json()["id"]
    assert response.json()["campaign"] == report_campaign.slug
    followed = office.get(f"/api/office/dashboard/reports/{job_id}").json()
    assert followed["status"] == "done" and followed["progress"] == 100
    assert followed["file_url"] == f"/api/office/dashboard/reports/{job_id}/file"
    download = office.get(followed["file_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_the_api_refuses_others_and_unknown_ids(
    report_campaign,  # noqa: F811
    done_job,
    unit_staff,
    other_office,
    office,
):
    for client in (unit_staff, other_office):
        started = client.post(f"/api/office/dashboard/{report_campaign.slug}/reports")
        assert started.status_code == 403
        assert client.get(f"/api/office/dashboard/reports/{done_job.pk}").status_code == 404
        assert client.get(f"/api/office/dashboard/reports/{done_job.pk}/file").status_code == 404
    assert Client().get(f"/api/office/dashboard/reports/{done_job.pk}").status_code == 401
    assert office.post("/api/office/dashboard/no-such/reports").status_code == 404
    huge = "/api/office/dashboard/reports/99999999999999999999999"
    assert office.get(huge).status_code == 422
    assert ReportJob.objects.count() == 1


def test_the_api_needs_the_csrf_token_to_start(report_campaign):  # noqa: F811
    user = MembershipFactory(
        unit=report_campaign.lead_unit, role=Membership.Role.CAMPAIGN_OFFICE
    ).user
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(f"/api/office/dashboard/{report_campaign.slug}/reports")
    assert response.status_code == 403
    assert not ReportJob.objects.exists()


def test_a_second_click_gets_the_job_under_way(report_campaign):  # noqa: F811
    from qualitymonth.dashboard import services

    user = MembershipFactory(
        unit=report_campaign.lead_unit, role=Membership.Role.CAMPAIGN_OFFICE
    ).user
    first = ReportJob.objects.create(campaign=report_campaign, status=ReportJob.Status.RUNNING)
    assert services.report_start(campaign=report_campaign, acting_user=user) == first
    # One whose worker died long ago is marked failed, and a new one starts.
    ReportJob.objects.filter(pk=first.pk).update(
        created_at=first.created_at - services.REPORT_ABANDONED_AFTER * 2
    )
    second = services.report_start(campaign=report_campaign, acting_user=user)
    assert second != first
    first.refresh_from_db()
    assert first.status == ReportJob.Status.FAILED
