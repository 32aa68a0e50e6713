"""A mobile number proven by a text code: who may take the quiz or vote without an account."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qualitymonth.core import ratelimit
from qualitymonth.core.sms import ConsoleBackend, send_sms
from qualitymonth.core.validators import normalize_mobile, validate_mobile

SESSION_MOBILE = "qm_verified_mobile"
CODE_TTL = 600
MAX_TRIES = 5


def verified_mobile(request) -> str | None:
    return request.session.get(SESSION_MOBILE) if hasattr(request, "session") else None


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
    cache.set(f"mobile:code:{mobile}", {"code": code, "tries": 0}, CODE_TTL)
    send_sms(
        mobile,
        _("Your Quality Month verification code is %(code)s, valid for 10 minutes.")
        % {"code": code},
    )
    return mobile


def mobile_code_check(request, raw_mobile: str, code: str) -> str:
    mobile = normalize_mobile(raw_mobile)
    key = f"mobile:code:{mobile}"
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


def verify_mobile_step(request, *, verified_message: str) -> bool:
    """The two steps of a verification form (send a code, check it), as page messages. True once
    the number is verified."""
    mobile, code = request.POST.get("mobile", ""), request.POST.get("code", "")
    try:
        if code:
            mobile_code_check(request, mobile, code)
            messages.success(request, verified_message)
            return True
        mobile = mobile_code_send(request, mobile)
        request.session["qm_pending_mobile"] = mobile
        note = _("A 6-digit code was sent to %(mobile)s.") % {"mobile": mobile}
        if settings.QM_SMS_SHOW_CODES_ON_PAGE and ConsoleBackend.outbox:
            # Demo installs have no SMS provider: show the code the console backend "sent".
            note += " " + _("(Demo: %(text)s)") % {"text": ConsoleBackend.outbox[-1][1]}
        messages.info(request, note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return False
