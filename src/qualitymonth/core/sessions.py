"""How long a signed-in session lives, and CSRF for API calls made with one.

Staff sessions open personal data and move cases, so they end after a spell of inactivity
(`SESSION_STAFF_IDLE_MINUTES`) and, for everyone, a session ends a fixed time after sign-in
(`SESSION_MAX_HOURS` for staff, the cookie's age for citizens) however busy it is.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _

SIGNED_IN_AT = "qm_signed_in_at"
LAST_SEEN = "qm_last_seen"
IS_STAFF = "qm_staff"
# The last-seen time is written at most this often, so a busy session is not saved on every click.
_SEEN_RESOLUTION = 60


def session_started(sender, request, user, **kwargs) -> None:
    """On sign-in: when, and whether this is a staff session."""
    from qualitymonth.core.permissions import policy

    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[IS_STAFF] = bool(user.is_staff or policy.is_staff_member(user))


def _expired(session, now: int) -> str | None:
    signed_in = session.get(SIGNED_IN_AT)
    if signed_in is None:
        return None
    staff = session.get(IS_STAFF, False)
    max_age = settings.QM_SESSION_MAX_HOURS * 3600 if staff else settings.SESSION_COOKIE_AGE
    if now - signed_in > max_age:
        return _("Your session has ended. Please sign in again.")
    idle = settings.QM_STAFF_IDLE_MINUTES * 60
    if staff and now - session.get(LAST_SEEN, signed_in) > idle:
        return _("You were signed out after %(minutes)d minutes without activity.") % {
            "minutes": settings.QM_STAFF_IDLE_MINUTES
        }
    return None


class SessionLifetimeMiddleware:
    """Signs out a session past its idle time or its maximum age (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SIGNED_IN_AT in session:
            now = int(time.time())
            reason = _expired(session, now)
            if reason:
                logout(request)
                if request.path.startswith(settings.QM_API_PREFIX):
                    return JsonResponse({"detail": reason, "code": "session_expired"}, status=401)
                messages.info(request, reason)
                return redirect_to_login(request.get_full_path())
            if session.get(IS_STAFF) and now - session.get(LAST_SEEN, 0) >= _SEEN_RESOLUTION:
                session[LAST_SEEN] = now
        return self.get_response(request)


class ApiSessionCsrfMiddleware:
    """An unsafe API request that carries a session cookie must carry the CSRF token too.

    django-ninja exempts its views from Django's CSRF check and checks it only in its cookie
    auth classes, so public operations that act as the signed-in person (registering, filing a
    complaint, liking, starting a quiz) could be driven from another site. Clients without a
    session cookie (Open311 and scripts with keys) are not concerned: a forged request from a
    browser always carries the cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in {"GET", "HEAD", "OPTIONS", "TRACE"}
            and request.path.startswith(settings.QM_API_PREFIX)
            and settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            check = CsrfViewMiddleware(lambda r: None)
            check.process_request(request)
            refused = check.process_view(request, _api_view, (), {})
            if refused is not None:
                return JsonResponse(
                    {
                        "detail": _(
                            "A request made with a signed-in session must carry the CSRF token "
                            "(X-CSRFToken header)."
                        ),
                        "code": "csrf",
                    },
                    status=403,
                )
        return self.get_response(request)


def _api_view(request):  # the check needs a view that is not CSRF-exempt
    return None
