"""`qualitymonth scheduler`: fire the periodic jobs of core/schedule.py on time (APScheduler).

`scheduler run` (the default) blocks and fires jobs until stopped; `scheduler list` prints the
jobs and their next times; `scheduler once JOB` runs one job now; `scheduler prune --days N`
removes old claims.
"""

import contextlib
import datetime as dt
import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from qualitymonth.core import schedule

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the periodic jobs (quiz close-overdue, dashboard refresh, reminders, purges)."

    def add_arguments(self, parser):
        parser.add_argument(
            "action", nargs="?", default="run", choices=["run", "list", "once", "prune"]
        )
        parser.add_argument("job", nargs="?", help="once: the job's name (see list)")
        parser.add_argument("--days", type=int, default=30, help="prune: keep this many days")

    def handle(self, *args, action: str, job: str | None, days: int, **options):
        if action == "list":
            for item in schedule.JOBS:
                trigger = _trigger(item)
                when = trigger.get_next_fire_time(None, timezone.now())
                self.stdout.write(f"{item.name:22} {item.command:45} next {when:%Y-%m-%d %H:%M}")
        elif action == "once":
            try:
                item = schedule.job_named(job or "")
            except KeyError:
                raise CommandError(
                    f"No job {job!r}; `qualitymonth scheduler list` names them."
                ) from None
            out = schedule.job_run(item, timezone.now())
            self.stdout.write(
                "not run: already run this minute, or not for this deployment"
                if out is None
                else out
            )
        elif action == "prune":
            from qualitymonth.core.models import JobRun

            if days < 1:
                raise CommandError("--days must be at least 1.")
            cutoff = timezone.now() - dt.timedelta(days=days)
            removed, _ = JobRun.objects.filter(slot__lt=cutoff).delete()
            self.stdout.write(f"{removed} job runs older than {days} days removed")
        else:
            self._run()

    def _run(self) -> None:
        from apscheduler.events import EVENT_JOB_ERROR
        from apscheduler.schedulers.blocking import BlockingScheduler

        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        for item in schedule.JOBS:
            scheduler.add_job(
                _fire,
                _trigger(item),
                args=[item.name],
                id=item.name,
                max_instances=1,  # a slow run is not overlapped by the next minute's
                coalesce=True,  # after a pause, one run for all the missed slots
                misfire_grace_time=300,
            )
        scheduler.add_listener(
            lambda event: logger.error("job %s failed: %r", event.job_id, event.exception),
            EVENT_JOB_ERROR,
        )
        self.stdout.write(f"scheduler: {len(schedule.JOBS)} jobs (Ctrl+C stops)")
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            scheduler.start()


def _trigger(item: schedule.Job):
    from apscheduler.triggers.cron import CronTrigger

    return CronTrigger(timezone=settings.TIME_ZONE, **item.cron)


def _fire(name: str) -> None:
    # Each run on fresh connections: a database restarted since the last run must not fail it.
    close_old_connections()
    try:
        schedule.job_run(schedule.job_named(name), timezone.now())
    finally:
        close_old_connections()
