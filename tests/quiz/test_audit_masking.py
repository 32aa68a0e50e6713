"""A quiz attempt taken with a verified mobile is named after the number: its text, in the admin
and the audit trail, shows the number masked."""

import pytest

from qualitymonth.core.models import AuditEvent
from qualitymonth.quiz.services import attempt_finish, attempt_start
from tests.quiz.conftest import answer_all

pytestmark = pytest.mark.django_db


def test_an_attempts_text_and_its_audit_rows_mask_the_mobile(quiz, person):
    attempt = attempt_start(quiz=quiz, participant=person)
    answer_all(attempt)
    attempt_finish(attempt=attempt)
    assert "13800138000" not in str(attempt) and "138****8000" in str(attempt)
    rows = AuditEvent.objects.filter(object_type="quiz.attempt", object_id=str(attempt.pk))
    assert rows.count() >= 2  # started and submitted
    for row in rows:
        assert "13800138000" not in f"{row.object_repr} {row.actor_label} {row.detail}"
