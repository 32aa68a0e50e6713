from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "qualitymonth.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns and activities")

    def ready(self):
        from qualitymonth.campaigns import permissions

        permissions.register()
        from qualitymonth.campaigns.figures import CampaignFigures
        from qualitymonth.core import figures

        figures.register(CampaignFigures())
        from django.contrib.auth.signals import user_logged_in

        from qualitymonth.campaigns.signals import adopt_session_tickets

        user_logged_in.connect(
            adopt_session_tickets, dispatch_uid="campaigns.adopt_session_tickets"
        )
