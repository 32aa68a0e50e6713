"""The end-of-campaign Word report: the office's list of jobs, "write the report", the job's
progress (refreshed by htmx while it runs) and the download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import slug_re
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitymonth.campaigns.models import Campaign
from qualitymonth.core.media import private_file_response
from qualitymonth.core.views import office_required, paginate, render_partial, require
from qualitymonth.dashboard import services
from qualitymonth.dashboard.models import ReportJob
from qualitymonth.dashboard.permissions import DashboardAction

T = "dashboard/"


def _job_or_404(request, pk) -> ReportJob:
    job = services.report_job_for(request.user, pk)
    if job is None:
        raise Http404
    return job


@office_required
def report_list(request):
    campaigns = services.reportable_campaigns(request.user)
    if not campaigns:
        raise PermissionDenied
    slug = str(request.GET.get("campaign") or "")[:60]
    campaign = next((c for c in campaigns if c.slug == slug), campaigns[0])
    page = paginate(request, services.report_jobs(campaign), per_page=20)
    return render(
        request,
        T + "report_list.html",
        {"campaigns": campaigns, "campaign": campaign, "page": page},
    )


@office_required
@require_POST
def report_start(request):
    slug = str(request.POST.get("campaign") or "")[:60]
    campaign = None
    if slug_re.match(slug):  # anything else names no campaign (and PostgreSQL refuses NUL)
        campaign = Campaign.objects.select_related("region").filter(slug=slug).first()
    if campaign is None:
        raise Http404
    require(request.user, DashboardAction.REPORT, campaign)
    job = services.report_start(campaign=campaign, acting_user=request.user)
    messages.success(request, _("The report is being written."))
    return redirect("dashboard_reports:job", job.pk)


@office_required
def report_job(request, pk):
    job = _job_or_404(request, pk)
    return render_partial(request, T + "report_job.html", "status", {"job": job})


@office_required
def report_download(request, pk):
    job = _job_or_404(request, pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    return private_file_response(
        services.report_file(job), download_name=services.report_filename(job.campaign)
    )
