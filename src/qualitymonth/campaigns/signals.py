def adopt_session_tickets(sender, request, user, **kwargs):
    """Tickets registered in this browser before logging in become the account's."""
    from qualitymonth.campaigns.models import Registration
    from qualitymonth.campaigns.views.public import SESSION_TICKETS

    tokens = request.session.get(SESSION_TICKETS, []) if hasattr(request, "session") else []
    if tokens:
        Registration.objects.filter(token__in=tokens, user__isnull=True).update(user=user)
