"""A mobile number proven by a text code: who may take the quiz or vote without an account."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qualitymonth.core import ratelimit
from qualitymonth.core import redis as fast_redis
from qualitymonth.core.sms import ConsoleBackend, send_sms
from qualitymonth.core.validators import normalize_mobile, validate_mobile

SESSION_MOBILE = "qm_verified_mobile"
CODE_TTL = 600
MAX_TRIES = 5


# --- a signed-in account, checked without reading its row ------------------------------------
# Django checks every signed-in request against the account row (active, session hash of the
# current password). The hottest endpoints keep a copy of that check, "authz:<id>" = the session
# hash ("" for an inactive account), in Redis (plain, so a Lua script can compare it) or the cache.
_AUTH_TTL = 3600


def account_check_key(user_id) -> str:
    return fast_redis.key(f"authz:{user_id}")


def forget_all_accounts(client) -> None:
    """Redis is back after an outage: an account saved meanwhile (a new password, deactivated)
    could not drop its copy then, so every copy goes and the next request checks afresh."""
    fast_redis.delete_matching(client, account_check_key("*"))


def _copy_get(user_id) -> str | None:
    client = fast_redis.client()
    if client is not None:
        return client.get(account_check_key(user_id))
    return cache.get(f"authz:{user_id}")


def remember_account(user, **kwargs) -> None:
    """Keep the account's session check at hand (on login, and after a full check)."""
    value = user.get_session_auth_hash() if user.is_active else ""
    client = fast_redis.client()
    if client is not None:
        client.set(account_check_key(user.pk), value, ex=_AUTH_TTL)
    else:
        cache.set(f"authz:{user.pk}", value, _AUTH_TTL)


def forget_account(sender, instance, **kwargs) -> None:
    """A saved account (new password, deactivated) is checked against the database again."""
    client = fast_redis.client()
    if client is not None:
        client.delete(account_check_key(instance.pk))
    cache.delete(f"authz:{instance.pk}")


def session_account(request) -> tuple[int, str] | None:
    """(account id, session hash) as the session claims them; not yet checked."""
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY

    session = getattr(request, "session", None)
    user_id = session.get(SESSION_KEY) if session is not None else None
    if user_id is None:
        return None
    return int(user_id), session.get(HASH_SESSION_KEY, "")


def signed_in_user_id(request, *, trust_copy: bool = True) -> int | None:
    """The signed-in account's id, checked like Django's own session check but from the copy
    when it agrees; otherwise Django's full check (which also handles key rotation and logs a
    stale session out), and the copy is refreshed."""
    claimed = session_account(request)
    if claimed is None:
        return None
    user_id, session_hash = claimed
    known = _copy_get(user_id) if trust_copy else None
    if known and session_hash and secrets.compare_digest(known, session_hash):
        return user_id
    user = request.user
    if not user.is_authenticated:
        return None
    remember_account(user)
    return user.pk


def verified_mobile(request) -> str | None:
    return request.session.get(SESSION_MOBILE) if hasattr(request, "session") else None


def mobile_code_send(request, raw_mobile: str) -> str:
    mobile = normalize_mobile(raw_mobile)
    validate_mobile(mobile)
    if not ratelimit.allow(f"sms:{mobile}", limit=1, window=60):
        raise ValidationError(
            _("A code was sent less than a minute ago. Please wait before asking again.")
        )
    if not ratelimit.allow(f"sms-ip:{ratelimit.client_key(request)}", limit=10, window=3600):
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
        sent = [text for to, text in ConsoleBackend.outbox if to == mobile]
        if settings.QM_SMS_SHOW_CODES_ON_PAGE and sent:
            # Demo installs have no SMS provider: show the code the console backend "sent" to
            # this number (not the last one sent, which may be another visitor's).
            note += " " + _("(Demo: %(text)s)") % {"text": sent[-1]}
        messages.info(request, note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return False
