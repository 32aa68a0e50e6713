from django.dispatch import Signal

# Sent after the commit that made an activity "completed" (its step, or an outcome report filed
# after it ended), with `activity` and `acting_user`. Other apps act on it (an enterprise
# training's certificates) without the campaigns importing them.
activity_completed = Signal()


def send_activity_completed(*, activity, acting_user) -> None:
    from django.db import transaction

    transaction.on_commit(
        lambda: activity_completed.send(
            sender=type(activity), activity=activity, acting_user=acting_user
        )
    )


def adopt_session_tickets(sender, request, user, **kwargs):
    """Tickets registered in this browser before logging in become the account's."""
    from qualitymonth.campaigns.models import Registration
    from qualitymonth.campaigns.views.public import SESSION_TICKETS

    tokens = request.session.get(SESSION_TICKETS, []) if hasattr(request, "session") else []
    if tokens:
        Registration.objects.filter(token__in=tokens, user__isnull=True).update(user=user)
