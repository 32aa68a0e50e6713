from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "qualitymonth.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from qualitymonth.enterprises import (
            excellence_permissions,
            permissions,
            programme_permissions,
            training_permissions,
        )

        permissions.register()
        from qualitymonth.enterprises import figures

        figures.register()
        from qualitymonth.campaigns import panels
        from qualitymonth.campaigns.signals import activity_completed
        from qualitymonth.enterprises import need_selectors
        from qualitymonth.enterprises.services.trainings import certify_when_completed

        activity_completed.connect(certify_when_completed, dispatch_uid="cqo-certificates")
        panels.register_office(
            "steward",
            template="enterprises/needs/_steward_panel.html",
            context=need_selectors.steward_overview,
            order=10,
        )
        programme_permissions.register()
        training_permissions.register()
        excellence_permissions.register()
