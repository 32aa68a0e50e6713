"""A shared engine away mid-request: 503 with Retry-After (never a 500), Redis marked down so the
next requests take the database paths, and the cache carried by the database meanwhile."""

from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.test import Client, override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from qualitymonth.core import loops
from qualitymonth.core import redis as fast_redis
from tests.core import outage_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(settings):
    settings.ROOT_URLCONF = "tests.core.outage_urls"
    return Client(raise_request_exception=False)


def _fail_with(error):
    outage_urls.ERROR[:] = [error]


def test_a_database_away_gives_a_page_that_says_try_again(client):
    _fail_with(OperationalError("connection refused"))
    response = client.get("/page/")
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "请稍后再试" in response.content.decode() and "try again" in response.content.decode()
    assert "connection refused" not in response.content.decode()


def test_the_api_answers_503_in_json(client):
    _fail_with(OperationalError("server closed the connection unexpectedly"))
    response = client.get("/api/broken")
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert response["Retry-After"] == "2"


def test_the_real_site_answers_503_for_a_database_away(monkeypatch):
    from qualitymonth.campaigns import api

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(api, "_campaign", broken)
    response = Client(raise_request_exception=False).get("/api/campaigns/any")
    assert response.status_code == 503 and response.json()["code"] == "unavailable"


def test_redis_away_mid_request_marks_it_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    fast_redis.reset()
    _fail_with(RedisConnectionError("Error 111 connecting"))
    response = client.get("/page/")
    assert response.status_code == 503
    assert fast_redis.client() is None  # the next requests use the database paths


def test_any_other_error_is_still_a_500(client):
    _fail_with(RuntimeError("a bug"))
    response = client.get("/page/")
    assert response.status_code == 500


def test_an_unreachable_redis_is_retried_after_a_pause(settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    fast_redis.reset()
    assert fast_redis.client() is not None  # not known to be down yet
    fast_redis.mark_down(RedisConnectionError())
    assert fast_redis.client() is None
    monkeypatch.setattr(fast_redis, "_down_until", 1.0)  # the pause is over
    assert fast_redis.client() is None  # one PING, refused: still down, no exception
    assert fast_redis._down_until > 1.0  # and another pause before the next PING


FALLBACK_CACHES = {
    "default": {
        "BACKEND": "qualitymonth.core.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"fallback": "fallback"},
    },
    "fallback": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}


def test_the_cache_is_carried_by_its_fallback_while_redis_is_away(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    fast_redis.reset()
    with override_settings(CACHES=FALLBACK_CACHES):
        cache = caches["default"]
        cache.set("limit", 1, 60)  # refused by Redis: marks it down, kept by the fallback
        assert fast_redis.client() is None
        assert cache.get("limit") == 1
        assert cache.incr("limit") == 2
        assert cache.add("code", "123456", 60) is True
        assert cache.get_many(["limit", "code"]) == {"limit": 2, "code": "123456"}
        assert caches["fallback"].get("limit") == 2


def test_a_flusher_waits_out_an_outage_and_goes_on(monkeypatch):
    calls, reported = [], []

    def step():
        calls.append(1)
        if len(calls) == 1:
            raise RedisConnectionError("Error 111")
        if len(calls) == 2:
            raise OperationalError("the database system is shutting down")
        if len(calls) == 3:
            return 5
        raise KeyboardInterrupt  # stop the loop

    monkeypatch.setattr(loops, "time", SimpleNamespace(sleep=lambda seconds: None))
    with pytest.raises(KeyboardInterrupt):
        loops.run_every(0.5, step, reported.append)
    assert len(calls) == 4 and reported == [5]


def test_a_flusher_raises_what_is_not_an_outage(monkeypatch):
    monkeypatch.setattr(loops, "time", SimpleNamespace(sleep=lambda seconds: None))

    def step():
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        loops.run_every(0.5, step, print)


@pytest.mark.django_db
def test_account_copies_are_dropped_when_redis_comes_back(settings, monkeypatch):
    """An account saved while Redis was away could not remove its copy there; the copy must not
    outlive the outage."""
    if not settings.REDIS_URL:
        pytest.skip("the copies live in Redis when Redis is configured")
    from qualitymonth.core.identity import account_check_key

    client = fast_redis.client()
    client.set(account_check_key(41), "old-session-hash", ex=3600)
    fast_redis.mark_down(RedisConnectionError())
    assert fast_redis.client() is None
    monkeypatch.setattr(fast_redis, "_down_until", 1.0)  # the pause is over, Redis answers
    assert fast_redis.client() is not None
    assert client.get(account_check_key(41)) is None
    assert fast_redis.outage_ended_ms() > 0


def _serialisation_error(raised: Exception) -> Exception:
    """What django-ninja meets when reading a related row for the JSON raises `raised`."""
    from ninja import Schema

    class Case:
        @property
        def events(self):
            raise raised

    class CaseOut(Schema):
        events: list[int]

    with pytest.raises(Exception) as caught:
        CaseOut.model_validate(Case())
    return caught.value


def test_a_database_gone_while_the_api_serialises_its_answer_is_a_503():
    """The view's write committed; reading a related row for the JSON then failed. The client
    must hear "try again", not a 500 (it was not told the case was filed)."""
    from qualitymonth.core.outage import outage_kind

    gone = OperationalError("terminating connection due to administrator command")
    assert outage_kind(_serialisation_error(gone)) == "database"
    assert outage_kind(_serialisation_error(ValueError("a bug"))) is None  # a real bug stays a 500


def test_the_api_answers_503_for_a_database_gone_during_serialisation(client):
    gone = OperationalError("terminating connection due to administrator command")
    _fail_with(_serialisation_error(gone))  # pydantic's ValidationError, as ninja would raise it
    response = client.get("/api/broken")
    assert response.status_code == 503 and response.json()["code"] == "unavailable"
