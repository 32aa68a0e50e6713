"""Query counts that depend on the configuration a test runs under."""

from django.conf import settings


def session_queries() -> int:
    """Reading the session is a query where sessions live in the database, none in Redis."""
    return 0 if settings.SESSION_ENGINE.endswith(".cache") else 1
