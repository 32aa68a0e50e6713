"""An attempt that spans a Redis outage is scored on every answer it was given: those saved by
the database path while Redis was away are not in Redis, so its submit takes the database path."""

import time

import pytest
from django.conf import settings
from django.db import connection

from qualitymonth.core import redis as fast_redis
from qualitymonth.quiz.models import Attempt, AttemptQuestion
from qualitymonth.quiz.services import (
    attempt_answer,
    attempt_finish,
    attempt_start,
    attempt_submit_quick,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _needs_redis_and_postgresql(db):
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("the quick paths run with Redis on PostgreSQL; CI runs them there")


def _answer(attempt, item):
    order = item.option_order
    display = sorted(order.index(original) for original in item.question.answer)
    attempt_answer(attempt_token=attempt.token, question_id=item.question_id, choices=display)


def test_answers_given_during_an_outage_count_at_the_submit(quiz, person, monkeypatch):
    attempt = attempt_start(quiz=quiz, participant=person)
    items = list(attempt.items.select_related("question").order_by("position"))
    assert len(items) >= 3
    _answer(attempt, items[0])  # Redis: queued
    fast_redis.mark_down()  # Redis away: the next answer goes to the database directly
    assert fast_redis.client() is None
    _answer(attempt, items[1])
    assert AttemptQuestion.objects.get(attempt=attempt, question=items[1].question).chosen
    # Redis back: the first process to see it records when.
    monkeypatch.setattr(fast_redis, "_down_until", 1.0)
    assert fast_redis.client() is not None
    assert fast_redis.outage_ended_ms() > 0
    _answer(attempt, items[2])
    # The quick submit would score from Redis, which lacks the second answer: it declines.
    assert attempt_submit_quick(token=attempt.token) is None
    finished = attempt_finish(attempt=Attempt.objects.get(pk=attempt.pk))
    assert finished.correct_count == 3
    assert finished.status == Attempt.Status.SUBMITTED


def test_attempts_started_after_the_outage_keep_the_quick_submit(quiz, person, monkeypatch):
    fast_redis.mark_down()
    monkeypatch.setattr(fast_redis, "_down_until", 1.0)
    assert fast_redis.client() is not None  # back, and remembered
    time.sleep(0.01)  # a later millisecond than the outage's end
    attempt = attempt_start(quiz=quiz, participant=person)
    for item in attempt.items.select_related("question"):
        _answer(attempt, item)
    result = attempt_submit_quick(token=attempt.token)
    assert result is not None and result.correct_count == attempt.items.count()
