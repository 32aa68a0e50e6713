"""The end-of-campaign report as a background job: started by the office (audited), written by a
task that says how far it got, kept in private storage, its failure recorded and not raised."""

import datetime
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qualitymonth.campaigns.models import Campaign
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import client_int
from qualitymonth.dashboard.models import ReportJob
from qualitymonth.dashboard.permissions import DashboardAction

log = logging.getLogger(__name__)

# A job queued or running longer than this has lost its worker: it is marked failed.
REPORT_ABANDONED_AFTER = datetime.timedelta(minutes=30)


def report_file(job: ReportJob):
    """The job's file (in private storage: see ReportJob.file)."""
    return job.file


def report_filename(campaign) -> str:
    """The file name the office downloads: "2025年厦门市质量月活动总结报告.docx"."""
    with translation.override(settings.LANGUAGE_CODE):
        name = _("%(year)s %(region)s Quality Month summary report") % {
            "year": campaign.year,
            "region": campaign.region.name,
        }
    return f"{name}.docx".replace("/", "-")


# --- reads -------------------------------------------------------------------------------------
def reportable_campaigns(user) -> list[Campaign]:
    """The campaigns whose report this user may write (the office of their region)."""
    campaigns = Campaign.objects.select_related("region").order_by("-year", "region__code")
    return [c for c in campaigns if policy.can(user, DashboardAction.REPORT, c)]


def report_jobs(campaign: Campaign) -> QuerySet[ReportJob]:
    return ReportJob.objects.filter(campaign=campaign).select_related("requested_by")


def report_job_for(user, job_id) -> ReportJob | None:
    """The job if this user may see it (the office of its campaign), else None."""
    job_id = client_int(job_id)
    if job_id is None:
        return None
    job = ReportJob.objects.select_related("campaign__region").filter(pk=job_id).first()
    if job is None or not policy.can(user, DashboardAction.REPORT, job.campaign):
        return None
    return job


# --- writes ------------------------------------------------------------------------------------
def report_start(*, campaign: Campaign, acting_user) -> ReportJob:
    """Queue the report of `campaign`; the task starts once this transaction has committed."""
    from qualitymonth.dashboard.tasks import write_campaign_report

    policy.require(acting_user, DashboardAction.REPORT, campaign)
    with transaction.atomic():
        # One report at a time per campaign: a second click gets the job already under way.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        busy = ReportJob.objects.filter(
            campaign=campaign, status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]
        )
        abandoned = timezone.now() - REPORT_ABANDONED_AFTER
        busy.filter(created_at__lt=abandoned).update(
            status=ReportJob.Status.FAILED,
            error=_("No worker finished this report in time; start it again."),
            finished_at=timezone.now(),
        )
        under_way = busy.filter(created_at__gte=abandoned).order_by("-created_at").first()
        if under_way is not None:
            return under_way
        job = ReportJob.objects.create(
            campaign=campaign, requested_by=acting_user, step=_("Waiting for a worker")
        )
        audit_record(
            actor=acting_user,
            event_type="dashboard.report_requested",
            target=job,
            campaign=campaign.slug,
        )
        transaction.on_commit(lambda: write_campaign_report.enqueue(job.pk))
    return job


def report_progress(*, job: ReportJob, progress: int, step: str) -> None:
    """Say how far the job got (a plain update: no audit row for every step)."""
    job.progress, job.step = max(0, min(progress, 100)), str(step)[:100]
    ReportJob.objects.filter(pk=job.pk).update(progress=job.progress, step=job.step)


def report_run(*, job_id: int, today=None) -> ReportJob | None:
    """Write the job's document (the task's body). A failure is recorded on the job, with the
    traceback in the log; it is not raised, so a worker goes on with the next task."""
    # python-docx and matplotlib load only where a report is written, not with every page.
    from qualitymonth.dashboard.report import write_report

    with transaction.atomic():
        job = (
            ReportJob.objects.select_for_update()
            .select_related("campaign__region", "campaign__lead_unit")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status != ReportJob.Status.QUEUED:
            return job  # gone, or already taken by another worker
        job.status, job.progress, job.step = ReportJob.Status.RUNNING, 1, _("Started")
        job.save(update_fields=["status", "progress", "step"])
    try:
        with tempfile.TemporaryFile(suffix=".docx") as handle:
            write_report(
                job.campaign,
                handle,
                today=today,
                progress=lambda percent, step: report_progress(
                    job=job, progress=percent, step=step
                ),
            )
            handle.seek(0)
            report_file(job).save(report_filename(job.campaign), File(handle), save=False)
    except Exception as error:
        log.exception("The report of job %s (%s) could not be written", job.pk, job.campaign)
        return _finish(
            job,
            # What went wrong is in the server's log with its traceback; the page says so
            # rather than show a path or a query.
            failed=_("The report could not be written (%(kind)s); the details are in the log.")
            % {"kind": type(error).__name__},
        )
    return _finish(job)


def _finish(job: ReportJob, *, failed: str = "") -> ReportJob:
    with transaction.atomic():
        job.finished_at = timezone.now()
        if failed:
            job.status, job.error = ReportJob.Status.FAILED, failed[:300]
        else:
            job.status, job.progress, job.step = ReportJob.Status.DONE, 100, _("Ready")
        job.save(update_fields=["status", "progress", "step", "error", "file", "finished_at"])
        audit_record(
            actor=None,
            actor_label="report task",
            event_type="dashboard.report_failed" if failed else "dashboard.report_written",
            target=job,
            outcome=AuditEvent.Outcome.FAILED if failed else AuditEvent.Outcome.SUCCESS,
            error=job.error,
        )
    return job
