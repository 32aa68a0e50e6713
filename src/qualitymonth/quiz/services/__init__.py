"""Every write of the quiz app."""

from qualitymonth.quiz.services.attempts import (
    Participant,
    attempt_answer,
    attempt_finish,
    attempt_set_excluded,
    attempt_start,
    attempt_submit_quick,
    attempts_close_overdue,
)
from qualitymonth.quiz.services.bank import question_save, questions_import, quiz_save
from qualitymonth.quiz.services.certificates import attempt_certificate_name_set

__all__ = [
    "Participant",
    "attempt_answer",
    "attempt_certificate_name_set",
    "attempt_finish",
    "attempt_set_excluded",
    "attempt_start",
    "attempt_submit_quick",
    "attempts_close_overdue",
    "question_save",
    "questions_import",
    "quiz_save",
]
