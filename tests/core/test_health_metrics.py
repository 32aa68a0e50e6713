"""/readyz tells the proxy whether this process can serve; /metrics is Prometheus's, and only
for the addresses allowed to read it, with labels from bounded sets only."""

import json
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from qualitymonth.core import health, metrics
from qualitymonth.core import redis as fast_redis

pytestmark = pytest.mark.django_db

_DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _migrations_checked_again(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)


@pytest.fixture
def unreachable_redis(settings, monkeypatch):
    """Redis configured, but nothing listens: core.redis builds its client anew for this URL."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(fast_redis, "_client", None)


def _samples(body: bytes, name: str) -> list:
    return [
        sample
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
        if sample.name == name
    ]


def _scrape(client: Client | None = None) -> bytes:
    response = (client or Client()).get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200, response.content
    return response.content


# /readyz


def test_readyz_is_ok_when_everything_answers():
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"] == "ok"
    assert body["checks"]["redis"] == ("ok" if settings.REDIS_URL else "not configured")
    assert body["checks"]["queue"] == "immediate"
    assert "Retry-After" not in response
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_the_task_table_when_tasks_queue_in_the_database(settings):
    settings.TASKS = _DB_TASKS
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["queue"] == "ok"


def test_readyz_is_unavailable_with_the_reason_when_the_database_fails(monkeypatch):
    def refused():
        raise OperationalError('connection to "db.internal" failed: password for qm-admin')

    monkeypatch.setattr(health, "_database", refused)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "OperationalError"
    # The checks that need the database are not tried again (each would wait for a timeout).
    assert body["checks"]["migrations"] == "database unavailable"
    assert body["checks"]["queue"] == "database unavailable"
    assert b"password" not in response.content and b"db.internal" not in response.content


def test_readyz_stays_ready_but_says_degraded_while_redis_is_away(unreachable_redis):
    # Every path has its database route: a probe that failed on every node at once during a
    # Redis outage would take the whole site down instead.
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["redis"] == "unavailable: serving from the database"
    assert body["checks"]["database"] == "ok"
    # The same answer once this process knows Redis is down (no flip to "not configured").
    again = Client().get("/readyz").json()
    assert again["status"] == "degraded" and again["checks"]["redis"].startswith("unavailable")


def test_readyz_reports_unapplied_migrations_and_checks_again_until_applied(monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    real_plan = MigrationExecutor.migration_plan
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda *args: [object(), object()])
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "2 unapplied"

    monkeypatch.setattr(MigrationExecutor, "migration_plan", real_plan)
    assert Client().get("/readyz").json()["checks"]["migrations"] == "ok"
    assert health._migrations_applied


# /metrics: who may read it


def test_metrics_are_not_found_for_other_addresses():
    response = Client().get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    assert b"qm_http_requests_total" not in response.content


def test_metrics_use_the_address_the_trusted_proxy_saw(settings):
    settings.QM_TRUSTED_PROXY_COUNT = 1
    client = Client()
    # Through the proxy on loopback, from the internet: refused.
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 404
    # A client writing an allowed address in front of its own gains nothing.
    response = client.get(
        "/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.9"
    )
    assert response.status_code == 404
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 200


def test_metrics_allowed_addresses_may_name_a_network(settings):
    settings.QM_METRICS_ALLOWED = ["10.20.0.0/16"]
    assert Client().get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="10.21.3.4").status_code == 404
    assert Client().get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


# /metrics: what it says


def test_requests_are_counted_by_route_name_never_by_raw_path():
    client = Client()
    client.get("/healthz")
    assert client.get("/no/such/写/path").status_code == 404
    client.generic("BREW", "/healthz")
    body = _scrape(client)

    counted = {
        (s.labels["view"], s.labels["method"], s.labels["status"])
        for s in _samples(body, "qm_http_requests_total")
    }
    assert ("healthz", "GET", "200") in counted
    assert ("unresolved", "GET", "404") in counted
    assert any(view == "healthz" and method == "other" for view, method, _status in counted)
    timed = {s.labels["view"] for s in _samples(body, "qm_http_request_duration_seconds_count")}
    assert "healthz" in timed
    text = body.decode()
    assert "no/such" not in text and "写" not in text and "%E5%86%99" not in text
    assert "BREW" not in text


def test_task_queue_depth_counts_tasks_waiting_to_start(settings):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = _DB_TASKS
    assert _samples(_scrape(), "qm_task_queue_depth")[0].value == 0
    DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        task_path="qualitymonth.core.tasks.example",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
        run_after=timezone.now(),
    )
    assert _samples(_scrape(), "qm_task_queue_depth")[0].value == 1


def test_task_queue_depth_is_absent_when_tasks_run_immediately():
    assert _samples(_scrape(), "qm_task_queue_depth") == []


def test_queue_gauges_are_left_out_when_redis_is_unreachable(unreachable_redis):
    body = _scrape()
    assert _samples(body, "qm_queue_length") == []
    assert _samples(body, "qm_http_requests_total")  # the rest of the scrape is there


def test_the_apps_register_the_queues_their_burst_paths_use():
    from qualitymonth.contest.services import vote_queue
    from qualitymonth.quiz import burst

    assert set(metrics.QUEUES) == {"answers", "submissions", "votes"}
    assert metrics.QUEUES["answers"][0] == burst.QUEUE
    assert metrics.QUEUES["submissions"][0] == burst.FINISH_QUEUE
    assert metrics.QUEUES["votes"][0] == vote_queue.QUEUE


@pytest.mark.skipif(not settings.REDIS_URL, reason="the queues live in Redis")
def test_queue_length_and_flush_lag_come_from_the_redis_queues():
    client = fast_redis.client()
    keys = {name: fast_redis.key(key) for name, (key, _time) in metrics.QUEUES.items()}
    client.delete(*keys.values())
    minute_ago = time.time() - 60
    try:
        client.rpush(keys["answers"], f"11|22|0,2|{int(minute_ago * 1000)}")
        client.rpush(keys["answers"], f"11|23|1|{int(time.time() * 1000)}")
        client.rpush(keys["submissions"], json.dumps({"a": 11, "f": int(minute_ago * 1000)}))
        client.rpush(keys["votes"], json.dumps({"e": 5, "t": minute_ago, "f": ""}))
        body = _scrape()
    finally:
        client.delete(*keys.values())

    lengths = {s.labels["queue"]: s.value for s in _samples(body, "qm_queue_length")}
    ages = {s.labels["queue"]: s.value for s in _samples(body, "qm_queue_oldest_age_seconds")}
    assert lengths == {"answers": 2, "submissions": 1, "votes": 1}
    # Each age is that of the item at the head, queued a minute before the scrape.
    assert all(age >= 59 for age in ages.values()), ages
    assert set(ages) == {"answers", "submissions", "votes"}

    assert {s.value for s in _samples(_scrape(), "qm_queue_oldest_age_seconds")} == {0}
