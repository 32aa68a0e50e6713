"""The end-of-campaign report through the API: start a job, follow it, download the file.

The same service, rights and audit trail as the pages: only the office of the campaign's region
starts a report or sees its jobs; a job it may not see is "not found"."""

import datetime

from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from qualitymonth.api.errors import ErrorOut
from qualitymonth.campaigns.models import Campaign
from qualitymonth.core.media import private_file_response
from qualitymonth.core.permissions import policy
from qualitymonth.core.schemas import Line
from qualitymonth.core.validators import DbInt
from qualitymonth.dashboard import services
from qualitymonth.dashboard.models import ReportJob
from qualitymonth.dashboard.permissions import DashboardAction

router = Router(tags=["dashboard"], auth=django_auth)


class ReportJobOut(Schema):
    id: int
    campaign: str = Field(description="The campaign's slug")
    status: str = Field(description="queued, running, done or failed")
    status_label: str
    progress: int = Field(description="0 to 100")
    step: str
    error: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    file_url: str | None = Field(description="The document, once the job is done")

    @staticmethod
    def resolve_campaign(job: ReportJob) -> str:
        return job.campaign.slug

    @staticmethod
    def resolve_status_label(job: ReportJob) -> str:
        return str(job.get_status_display())

    @staticmethod
    def resolve_file_url(job: ReportJob) -> str | None:
        if job.status != ReportJob.Status.DONE or not job.file:
            return None
        return reverse("api:dashboard_report_file", args=[job.pk])


def _job(request, job_id: int) -> ReportJob:
    job = services.report_job_for(request.user, job_id)
    if job is None:
        raise Http404
    return job


@router.post(
    "/office/dashboard/{slug}/reports",
    response={202: ReportJobOut},
    summary="Start writing the campaign's Word report (a background job)",
    description="The office of the campaign's region only. The answer is the job: follow it at "
    "its address until `status` is done (then `file_url`) or failed (then `error`).",
)
def report_start(request, slug: Line):
    campaign = Campaign.objects.select_related("region").filter(slug=slug[:60]).first()
    if campaign is None:
        raise Http404
    policy.require(request.user, DashboardAction.REPORT, campaign)
    job = services.report_start(campaign=campaign, acting_user=request.user)
    job.refresh_from_db()  # the immediate backend may have written it already
    return Status(202, job)


@router.get(
    "/office/dashboard/reports/{job_id}",
    response=ReportJobOut,
    summary="One report job: its status, progress and step",
)
def report_job(request, job_id: DbInt):
    return _job(request, job_id)


@router.get(
    "/office/dashboard/reports/{job_id}/file",
    response={404: ErrorOut},
    url_name="dashboard_report_file",
    summary="The written report (.docx), once the job is done",
    openapi_extra={
        "responses": {
            200: {
                "description": "The Word document, as an attachment with a Chinese file name",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def report_file(request, job_id: DbInt):
    job = _job(request, job_id)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    return private_file_response(
        services.report_file(job), download_name=services.report_filename(job.campaign)
    )
