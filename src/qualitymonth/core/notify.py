"""Telling people what happened to something of theirs (a case, a ticket): one interface,
pluggable channels.

`QM_NOTIFY_BACKENDS` lists backend classes; each gets every notification and sends what it can
(the SMS backend needs a mobile number, the e-mail backend an address). The console backend, the
default, prints and keeps the last notifications in memory for tests and the demo. Delivery runs
as a task after the transaction commits, so a rolled-back change never notifies anyone.
"""

import logging
from collections import deque
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger("qualitymonth.notify")


@dataclass(frozen=True)
class Notification:
    subject: str
    text: str
    mobile: str = ""
    email: str = ""


class ConsoleBackend:
    outbox: deque = deque(maxlen=500)

    def send(self, notification: Notification) -> None:
        self.outbox.append(notification)
        logger.info("notify %s: %s", notification.mobile or notification.email, notification.text)


class SmsBackend:
    def send(self, notification: Notification) -> None:
        if notification.mobile:
            from qualitymonth.core.sms import send_sms

            send_sms(notification.mobile, f"【{notification.subject}】{notification.text}")


class EmailBackend:
    def send(self, notification: Notification) -> None:
        if notification.email:
            from django.core.mail import send_mail

            send_mail(notification.subject, notification.text, None, [notification.email])


def backends() -> list:
    return [import_string(path)() for path in settings.QM_NOTIFY_BACKENDS]


def deliver(notification: Notification) -> None:
    for backend in backends():
        try:
            backend.send(notification)
        except Exception:
            # One channel failing (an SMS gateway down) must not stop the others.
            logger.exception("%s could not send a notification", type(backend).__name__)


def notify_on_commit(notification: Notification) -> None:
    from qualitymonth.core.tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification.enqueue(asdict(notification)))
