"""When PostgreSQL or Redis stops answering mid-request: 503 with Retry-After, never a 500.

Django turns any exception into the 500 handler's response, in whichever layer it was raised
(a view, the session middleware saving, the authentication lookup), and calls the handler inside
its `except` block; so the handler sees the exception and one place covers every layer. A client
told 503 knows its request was not accepted and may send it again; the proxy stops waiting
within DATABASE_TIMEOUT seconds (settings) instead of holding connections until they time out.
"""

import sys

from django.conf import settings
from django.db import utils as db_errors
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

RETRY_AFTER_SECONDS = 2


def _database_errors() -> tuple[type[Exception], ...]:
    found: list[type[Exception]] = [db_errors.OperationalError, db_errors.InterfaceError]
    try:
        import psycopg
        import psycopg_pool

        found += [psycopg.OperationalError, psycopg.InterfaceError, psycopg_pool.PoolTimeout]
    except ImportError:  # SQLite-only installs
        pass
    return tuple(found)


def outage_kind(error: BaseException | None) -> str | None:
    """ "redis", "database" or None: whether this exception means a shared engine is away."""
    from qualitymonth.core import redis as fast_redis

    if error is None:
        return None
    try:
        if isinstance(error, fast_redis.errors()):
            return "redis"
    except ImportError:
        pass
    if isinstance(error, _database_errors()):
        return "database"
    return _read_while_serialising(error)


# The class names an engine going away raises, as pydantic keeps them (below).
_OUTAGE_NAMES = {
    "database": {"OperationalError", "InterfaceError", "PoolTimeout"},
    "redis": {"ConnectionError", "BusyLoadingError"},
}


def _read_while_serialising(error: BaseException) -> str | None:
    """django-ninja builds a response's JSON after the view has returned, so a related row read
    then (a case's events) meets a database that went away meanwhile; pydantic reports that as
    its own ValidationError, keeping only the original's name and text. Seen in the fault test:
    a PostgreSQL restart between a complaint's commit and its response."""
    try:
        from pydantic_core import ValidationError
    except ImportError:  # pragma: no cover - django-ninja brings pydantic
        return None
    if not isinstance(error, ValidationError):
        return None
    for item in error.errors(include_url=False):
        if item.get("type") != "get_attribute_error":
            continue
        name = str(item.get("ctx", {}).get("error", "")).split(":", 1)[0].strip()
        for kind, names in _OUTAGE_NAMES.items():
            if name in names:
                return kind
    return None


def server_error(request, template_name: str = "500.html"):
    """handler500: an unreachable engine answers 503 (and Redis is marked down, so the next
    requests take the database paths); anything else is Django's 500 page."""
    error = sys.exc_info()[1]
    kind = outage_kind(error)
    if kind is None:
        return defaults.server_error(request, template_name)
    if kind == "redis":
        from qualitymonth.core import redis as fast_redis

        fast_redis.mark_down(error)
    if request.path.startswith(settings.QM_API_PREFIX) or request.path.startswith("/open311/"):
        response = JsonResponse(
            {
                "code": "unavailable",
                "detail": "服务暂时无法处理，请稍后重试 / Temporarily unavailable, please retry",
            },
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:  # a static page: rendering it needs neither the database nor Redis
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
