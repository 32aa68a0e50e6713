"""Sending text messages (verification codes, notifications) through a pluggable backend.

`QM_SMS_BACKEND` names the class. The console backend, the default, logs the message and keeps
the last ones in memory (tests read them there); a real provider is one class with `send`.
"""

import logging
from collections import deque

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("qualitymonth.sms")


class ConsoleBackend:
    outbox: deque = deque(maxlen=200)

    def send(self, mobile: str, text: str) -> None:
        self.outbox.append((mobile, text))
        logger.warning("SMS to %s: %s", mobile, text)
        print(f"[sms] to {mobile}: {text}", flush=True)


def backend():
    return import_string(
        getattr(settings, "QM_SMS_BACKEND", "qualitymonth.core.sms.ConsoleBackend")
    )()


def send_sms(mobile: str, text: str) -> None:
    backend().send(mobile, text)
