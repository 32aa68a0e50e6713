"""The complainant's own look-up: a public tracking number and the last four digits of a mobile.

Four digits are a PIN of 10,000 values and tracking numbers are public (the Open311 feed lists
them), so a limit per address is not enough: whoever asks, a case's look-up closes for an hour
after a handful of wrong digits. The complainant, who knows the digits, waits an hour (or follows
the case signed in); a guesser gets five tries an hour instead of ten thousand.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qualitymonth.complaints import selectors
from qualitymonth.complaints.models import Complaint
from qualitymonth.core import ratelimit

WRONG_PIN_LIMIT = 5
WRONG_PIN_WINDOW = 3600


def _key(tracking_number: str) -> str:
    # Hashed: the number is whatever the client sent, and cache keys must be plain characters.
    digest = hashlib.sha256((tracking_number or "").strip().encode()).hexdigest()[:32]
    return f"pin:{digest}"


def case_by_pin(tracking_number: str, mobile_last4: str) -> Complaint | None:
    """The case these two prove, None when they do not match; refused while the case's
    look-up is locked, even with the right digits, so the lock cannot be probed."""
    key = _key(tracking_number)
    if ratelimit.exceeded(key, limit=WRONG_PIN_LIMIT):
        raise ValidationError(
            _(
                "Too many wrong digits were tried for this tracking number. Its look-up is "
                "closed for an hour; sign in to follow your own case meanwhile."
            ),
            code="rate_limited",
        )
    case = selectors.case_for_complainant(tracking_number, mobile_last4)
    if case is None:
        ratelimit.allow(key, limit=WRONG_PIN_LIMIT, window=WRONG_PIN_WINDOW)
    return case
