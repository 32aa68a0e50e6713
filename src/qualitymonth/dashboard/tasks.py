"""Background tasks of the dashboard (django-tasks: immediate by default, a worker in production)."""

from django_tasks import task

from qualitymonth.dashboard import services


@task()
def write_campaign_report(job_id: int) -> None:
    """Write the end-of-campaign Word report of one ReportJob."""
    services.report_run(job_id=job_id)


@task()
def refresh_figures() -> int:
    """Rebuild the facts marked stale (what `qualitymonth dashboard refresh` does; a scheduler
    runs one or the other every minute so the large screen is never more than a minute behind)."""
    from qualitymonth.dashboard import facts

    return facts.refresh()
