"""Readiness for the proxy and orchestrators, and the Prometheus scrape.

`/healthz` (core/views_auth.py) only says the process answers; `/readyz` says whether it can
serve: database, Redis, migrations, task queue. A probe reports and never fails itself: each
check gives "ok" or a short reason (an exception's class name, never its text).
"""

import ipaddress

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from qualitymonth.core import redis as fast_redis
from qualitymonth.core.metrics import exposition, tasks_in_database
from qualitymonth.core.ratelimit import client_ip

# Migrations only ever go from pending to applied while a process runs, so once they are all
# applied the check (which reads every migration file) is not repeated.
_migrations_applied = False


def _database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, "ok"


def _redis() -> tuple[bool, str]:
    """Redis away does not make a node unready: every path has its database route meanwhile
    (core/redis.py), and a probe failing on every node at once would take the whole site down."""
    if not settings.REDIS_URL:
        return True, "not configured"
    client = fast_redis.client()
    if client is None:
        return True, "unavailable: serving from the database"
    try:
        client.ping()
    except fast_redis.errors() as error:
        fast_redis.mark_down(error)
        return True, "unavailable: serving from the database"
    return True, "ok"


def _migrations() -> tuple[bool, str]:
    global _migrations_applied
    if not _migrations_applied:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            return False, f"{len(plan)} unapplied"
        _migrations_applied = True
    return True, "ok"


def _queue() -> tuple[bool, str]:
    if not tasks_in_database():
        return True, "immediate"
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.exists()
    return True, "ok"


def _run(check) -> tuple[bool, str]:
    try:
        return check()
    except Exception as error:
        return False, type(error).__name__


@never_cache
def readyz(request):
    database = _run(_database)
    checks = {"database": database, "redis": _run(_redis)}
    if database[0]:
        checks["migrations"] = _run(_migrations)
        checks["queue"] = _run(_queue)
    else:
        # Each would wait for the connect timeout again, and a probe must answer quickly.
        checks["migrations"] = checks["queue"] = (False, "database unavailable")
    ready = all(ok for ok, _reason in checks.values())
    degraded = ready and any(reason.startswith("unavailable") for _ok, reason in checks.values())
    response = JsonResponse(
        {
            "status": "degraded" if degraded else "ok" if ready else "unavailable",
            "checks": {name: reason for name, (_ok, reason) in checks.items()},
        },
        status=200 if ready else 503,
    )
    if not ready:
        response["Retry-After"] = "5"
    return response


def _may_scrape(request) -> bool:
    """The client's address is one of QM_METRICS_ALLOWED (which may also name networks)."""
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(allowed, strict=False)
        for allowed in settings.QM_METRICS_ALLOWED
    )


@never_cache
def metrics(request):
    if not _may_scrape(request):
        raise Http404  # the same answer as any path that does not exist
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
