"""A step repeated every few seconds by a long-running process (the flushers), which outlives an
outage of PostgreSQL or Redis instead of exiting: the step's items stay queued until it succeeds."""

import logging
import time
from collections.abc import Callable

from django.db import connections

from qualitymonth.core import redis as fast_redis
from qualitymonth.core.outage import outage_kind

logger = logging.getLogger(__name__)


def run_every(every: float, step: Callable[[], int], report: Callable[[int], None]) -> None:
    """Run step() now and then every `every` seconds (once when every is 0); report(n) after a
    step that did something. An unreachable engine is waited out; any other error is raised
    (the process runner restarts the process)."""
    while True:
        try:
            done = step()
        except Exception as error:
            kind = outage_kind(error)
            if kind is None or not every:
                raise
            if kind == "redis":
                fast_redis.mark_down(error)
            else:
                for connection in connections.all():
                    connection.close()  # a fresh connection once the database is back
            logger.warning("%s unreachable (%s); trying again", kind, type(error).__name__)
            done = 0
        if done or not every:
            report(done)
        if not every:
            return
        time.sleep(every)
