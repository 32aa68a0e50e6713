"""Who is taking the quiz: the signed-in account, or a mobile number verified by a text code."""

from qualitymonth.core.identity import SESSION_MOBILE, verified_mobile
from qualitymonth.quiz.models import Quiz
from qualitymonth.quiz.services.attempts import Participant

__all__ = ["SESSION_MOBILE", "current_participant"]


def current_participant(request, quiz: Quiz) -> Participant | None:
    user = request.user
    if user.is_authenticated and quiz.identity in (Quiz.Identity.LOGIN, Quiz.Identity.EITHER):
        return Participant(
            key=f"u:{user.pk}", name=user.get_full_name() or user.get_username(), user=user
        )
    mobile = verified_mobile(request)
    if mobile and quiz.identity in (Quiz.Identity.MOBILE, Quiz.Identity.EITHER):
        return Participant(key=f"m:{mobile}", name=mobile, mobile=mobile)
    return None
