"""Who is taking the quiz: the signed-in account, or a mobile number verified by a text code."""

import secrets

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qualitymonth.core import ratelimit
from qualitymonth.core.sms import send_sms
from qualitymonth.core.validators import normalize_mobile, validate_mobile
from qualitymonth.quiz.models import Quiz
from qualitymonth.quiz.services.attempts import Participant

SESSION_MOBILE = "qm_verified_mobile"
CODE_TTL = 600
MAX_TRIES = 5


def current_participant(request, quiz: Quiz) -> Participant | None:
    user = request.user
    if user.is_authenticated and quiz.identity in (Quiz.Identity.LOGIN, Quiz.Identity.EITHER):
        return Participant(
            key=f"u:{user.pk}", name=user.get_full_name() or user.get_username(), user=user
        )
    mobile = request.session.get(SESSION_MOBILE) if hasattr(request, "session") else None
    if mobile and quiz.identity in (Quiz.Identity.MOBILE, Quiz.Identity.EITHER):
        return Participant(key=f"m:{mobile}", name=mobile, mobile=mobile)
    return None


def mobile_code_send(request, raw_mobile: str) -> str:
    mobile = normalize_mobile(raw_mobile)
    validate_mobile(mobile)
    if not ratelimit.allow(f"sms:{mobile}", limit=1, window=60):
        raise ValidationError(
            _("A code was sent less than a minute ago. Please wait before asking again.")
        )
    if not ratelimit.allow(f"sms-ip:{ratelimit.client_ip(request)}", limit=10, window=3600):
        raise ValidationError(_("Too many codes requested from this connection. Try again later."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    cache.set(f"quiz:code:{mobile}", {"code": code, "tries": 0}, CODE_TTL)
    send_sms(
        mobile,
        _("Your Quality Month quiz code is %(code)s, valid for 10 minutes.") % {"code": code},
    )
    return mobile


def mobile_code_check(request, raw_mobile: str, code: str) -> str:
    mobile = normalize_mobile(raw_mobile)
    key = f"quiz:code:{mobile}"
    entry = cache.get(key)
    if not entry:
        raise ValidationError(_("The code has expired or was never sent. Ask for a new one."))
    if entry["tries"] >= MAX_TRIES:
        cache.delete(key)
        raise ValidationError(_("Too many wrong codes. Ask for a new one."))
    if not secrets.compare_digest(entry["code"], (code or "").strip()):
        entry["tries"] += 1
        cache.set(key, entry, CODE_TTL)
        raise ValidationError(_("The code is not right."))
    cache.delete(key)
    request.session[SESSION_MOBILE] = mobile
    return mobile
