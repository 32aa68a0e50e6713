from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestConfig(AppConfig):
    name = "qualitymonth.contest"
    label = "contest"
    verbose_name = _("Micro-video contest")

    def ready(self):
        from qualitymonth.contest import permissions

        permissions.register()
