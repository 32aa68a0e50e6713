"""Prometheus metrics: requests by route name, and how much waits in the queues.

Every label value comes from a bounded set (route names, known methods, status codes, queue
names): a label holding the raw path would let any client create series without end.
"""

import os
import time
from collections.abc import Callable

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter(
    "qm_http_requests_total",
    "HTTP responses by route name, method and status.",
    ["view", "method", "status"],
)
DURATION = Histogram(
    "qm_http_request_duration_seconds",
    "Time until the response was returned, by route name.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _view_label(request, status: int) -> str:
    match = request.resolver_match
    if match is not None:
        return match.view_name  # "app:name", or the view's dotted path for an unnamed route
    # No route matched, or a middleware answered before routing (a redirect, a refusal).
    return "unresolved" if status == 404 else "<none>"


class MetricsMiddleware:
    """Counts and times every response; the first middleware, so it sees the refusals too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        status = response.status_code
        view = _view_label(request, status)
        method = request.method if request.method in _METHODS else "other"
        counter, histogram = _series(view, method, status)
        counter.inc()
        histogram.observe(elapsed)
        return response


# The labelled children by their labels: .labels() takes a lock and converts every value, which
# costs more than the counting itself. Bounded, as the labels are.
_children: dict[tuple[str, str, int], tuple] = {}


def _series(view: str, method: str, status: int) -> tuple:
    key = (view, method, status)
    series = _children.get(key)
    if series is None:
        series = _children[key] = (REQUESTS.labels(view, method, status), DURATION.labels(view))
    return series


# The Redis lists the burst paths queue into before a flush writes them to the database, by the
# name the gauges carry: (the list's name, when an item was queued in seconds since the epoch).
# The apps that own the queues register them from their ready(); core knows none of them.
QUEUES: dict[str, tuple[str, Callable[[str], float]]] = {}


def register_queue(name: str, redis_list: str, queued_at: Callable[[str], float]) -> None:
    """Report a Redis queue's length and the age of its oldest item (the flush lag)."""
    QUEUES[name] = (redis_list, queued_at)


def tasks_in_database() -> bool:
    """Whether the task queue is django-tasks-db's table (else tasks run where enqueued)."""
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def _redis_queues() -> list[tuple[str, int, float | None]]:
    """(queue, length, age of its oldest item) for each queue; empty without Redis."""
    from redis.exceptions import RedisError

    from qualitymonth.core import redis as fast_redis

    client = fast_redis.client()
    if client is None:
        return []
    pipe = client.pipeline(transaction=False)
    for key, _time in QUEUES.values():
        pipe.llen(fast_redis.key(key))
        pipe.lindex(fast_redis.key(key), 0)
    try:
        replies = pipe.execute()
    except RedisError:
        return []  # unreachable: the scrape goes on without these gauges
    now = time.time()
    state = []
    for (name, (_key, queued_at)), length, head in zip(
        QUEUES.items(), replies[0::2], replies[1::2], strict=True
    ):
        try:
            age = max(now - queued_at(head), 0.0) if head is not None else 0.0
        except (ValueError, TypeError, KeyError, IndexError):
            age = None  # an item of an unknown shape: its length still counts
        state.append((name, length, age))
    return state


def _task_queue_depth() -> int | None:
    from django.db import DatabaseError

    if not tasks_in_database():
        return None
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    try:
        return DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    except DatabaseError:
        return None


class QueueCollector:
    """Measured when scraped, by the process that answers the scrape."""

    def describe(self):
        return []  # no Redis or database call when the collector is registered

    def collect(self):
        queues = _redis_queues()
        if queues:
            lengths = GaugeMetricFamily(
                "qm_queue_length", "Items waiting in a Redis queue for a flush.", labels=["queue"]
            )
            ages = GaugeMetricFamily(
                "qm_queue_oldest_age_seconds",
                "Age of the oldest item in a Redis queue (flush lag).",
                labels=["queue"],
            )
            for name, length, age in queues:
                lengths.add_metric([name], length)
                if age is not None:
                    ages.add_metric([name], age)
            yield lengths
            yield ages
        depth = _task_queue_depth()
        if depth is not None:
            yield GaugeMetricFamily(
                "qm_task_queue_depth", "Tasks enqueued and not yet started.", value=depth
            )


_SCRAPE_TIME = CollectorRegistry()
_SCRAPE_TIME.register(QueueCollector())


def exposition() -> bytes:
    """One scrape: the request metrics (of every gunicorn worker in multiprocess mode, read
    from their files) and the queues, measured now."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(_SCRAPE_TIME)
