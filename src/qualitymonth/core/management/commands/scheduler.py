"""`qualitymonth scheduler`: fire the periodic jobs of core/schedule.py on time (APScheduler).

`scheduler run` (the default) blocks and fires jobs until stopped; `scheduler list` prints the
jobs and their next times; `scheduler once JOB` runs one job now; `scheduler prune --days N`
removes old claims.
"""

import contextlib
import datetime as dt
import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from qualitymonth.core import schedule
from qualitymonth.core.outage import outage_kind

logger = logging.getLogger(__name__)

MISFIRE_GRACE = 300  # seconds: a slot missed by less (a pause, a restart) still runs
CLAIM_TRIES, CLAIM_PAUSE = 6, 10.0


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
                misfire_grace_time=MISFIRE_GRACE,
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


def scheduled_slot(trigger, now: dt.datetime) -> dt.datetime:
    """The fire time this firing is for: the latest the trigger had at or before now (within the
    misfire grace), not the moment the job happens to start, so two schedulers firing either
    side of a minute's end still claim the same slot."""
    fire = trigger.get_next_fire_time(None, now - dt.timedelta(seconds=MISFIRE_GRACE))
    latest = None
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + dt.timedelta(microseconds=1))
    return latest or now


def _fire(name: str) -> None:
    job = schedule.job_named(name)
    slot = scheduled_slot(_trigger(job), timezone.now())
    # A database away when the slot comes (a restart at 08:30) must not cost the day's run:
    # the claim is tried again for a minute before the firing gives up.
    for attempt in range(CLAIM_TRIES):
        # Each try on fresh connections: a database restarted since the last run must not fail it.
        close_old_connections()
        try:
            schedule.job_run(job, slot)
            return
        except Exception as error:
            if outage_kind(error) is None or attempt == CLAIM_TRIES - 1:
                raise
            logger.warning("%s: database away (%s); trying again", name, type(error).__name__)
            time.sleep(CLAIM_PAUSE)
        finally:
            close_old_connections()
