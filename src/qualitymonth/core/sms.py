"""Sending text messages (verification codes, notifications) through a pluggable backend.

`QM_SMS_BACKEND` names the class. The console backend, the default, logs that a message was
sent and keeps the last ones in memory (tests, and the demo's on-page code, read them there); a
real provider is one class with `send`.
"""

import logging
from collections import deque

from django.conf import settings
from django.utils.module_loading import import_string

from qualitymonth.core.validators import mask_mobile

logger = logging.getLogger("qualitymonth.sms")


class ConsoleBackend:
    outbox: deque = deque(maxlen=200)

    def send(self, mobile: str, text: str) -> None:
        self.outbox.append((mobile, text))
        # Logs are kept, shipped and read by more people than may see a number or use a code:
        # the number is masked, and the text (which may hold a verification code) is logged only
        # at DEBUG, which a developer turns on by hand (LOG_LEVEL=DEBUG).
        logger.warning("SMS to %s (console backend: not sent)", mask_mobile(mobile))
        logger.debug("SMS text to %s: %s", mask_mobile(mobile), text)


def backend():
    return import_string(
        getattr(settings, "QM_SMS_BACKEND", "qualitymonth.core.sms.ConsoleBackend")
    )()


def send_sms(mobile: str, text: str) -> None:
    backend().send(mobile, text)
