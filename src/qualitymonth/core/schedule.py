"""The periodic jobs, as data, and how one is run (`qualitymonth scheduler` fires them).

Every job is a management command that is safe to repeat. Each firing claims its slot in the
database first (core.models.JobRun, unique per job and slot), so when two schedulers run (two
nodes, or one restarted while the other still runs) a slot is done once; minute jobs that would
overlap a slow run are skipped by APScheduler's max_instances=1.
"""

import datetime as dt
import logging
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    command: str  # a qualitymonth command line, without the program name
    cron: dict  # APScheduler CronTrigger fields, in settings.TIME_ZONE
    applies: Callable[[], bool] = field(default=lambda: True)  # False: nothing to do here


def _tasks_in_database() -> bool:
    return settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db.")


JOBS = [
    # Attempts left open past their deadline are closed (scored) within a minute.
    Job("quiz-close-overdue", "quiz close-overdue", {"minute": "*"}),
    # The command dashboard's facts follow the day's changes (DASHBOARD_REFRESH_ON_READ=0).
    Job("dashboard-refresh", "dashboard refresh", {"minute": "*"}),
    # Units hear about overdue and due-soon cases and rectification orders each working morning.
    Job("complaints-remind", "complaints remind", {"hour": "8", "minute": "30"}),
    Job("hazards-remind", "supervision remind-hazards", {"hour": "8", "minute": "35"}),
    # Publicity periods that ended come off the public site.
    Job("publicity-expire", "supervision-publicity expire", {"hour": "0", "minute": "10"}),
    # Personal data of long-finished cases is removed (COMPLAINT_RETENTION_DAYS).
    Job("complaints-purge", "complaints purge-personal-data", {"hour": "3", "minute": "0"}),
    # Expired sessions, old task results and old job claims are removed.
    Job("clear-sessions", "clearsessions", {"hour": "3", "minute": "20"}),
    Job(
        "prune-tasks",
        "prune_db_task_results --min-age-days 14",
        {"hour": "3", "minute": "30"},
        applies=_tasks_in_database,
    ),
    Job("prune-job-runs", "scheduler prune --days 30", {"hour": "3", "minute": "40"}),
]


def job_named(name: str) -> Job:
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)


def job_run(job: Job, slot: dt.datetime) -> str | None:
    """Run the job for this slot unless another scheduler already took it; returns what the
    command printed (None when the slot was taken or the job does not apply to this
    deployment). Errors are kept on the claim and raised."""
    from qualitymonth.core.models import JobRun

    if not job.applies():
        return None
    slot = slot.replace(second=0, microsecond=0)
    try:
        with transaction.atomic():
            claim = JobRun.objects.create(job=job.name, slot=slot)
    except IntegrityError:
        logger.info("%s for %s already run elsewhere", job.name, slot)
        return None
    out = StringIO()
    name, *arguments = shlex.split(job.command)
    try:
        call_command(name.replace("-", "_"), *arguments, stdout=out, stderr=out)
    except Exception as error:
        claim.outcome = f"failed: {type(error).__name__}"[:200]
        raise
    else:
        claim.outcome = (out.getvalue().strip().splitlines() or ["ok"])[-1][:200]
    finally:
        claim.finished_at = timezone.now()
        claim.save(update_fields=["outcome", "finished_at"])
    return out.getvalue()
