"""Background tasks of the core app (django-tasks: immediate by default, a worker in production)."""

from django_tasks import task

from qualitymonth.core.notify import Notification, deliver


@task()
def deliver_notification(notification: dict) -> None:
    deliver(Notification(**notification))
