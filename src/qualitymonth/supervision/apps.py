from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "qualitymonth.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from qualitymonth.supervision import permissions

        permissions.register()
